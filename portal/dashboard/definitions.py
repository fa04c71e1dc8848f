"""What each dashboard number means, in plain words, for the definitions page.

Keyed by ``Kpi.key`` and ``Table.key``: the key is also the entry's anchor, so a card
links straight to its explanation. tests/dashboard check that every number the metrics
produce has an entry here.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Definition:
    key: str
    term: str
    text: str


@dataclass(frozen=True)
class DefinitionGroup:
    section: str
    title: str
    entries: tuple[Definition, ...]


def _group(section: str, title: str, *entries: tuple[str, str, str]) -> DefinitionGroup:
    return DefinitionGroup(section, title, tuple(Definition(*entry) for entry in entries))


GROUPS = (
    _group(
        "period",
        "Periods and comparisons",
        (
            "period",
            "Period",
            "Whole days in UTC: the last 7, 30 or 90 days including today, or the days you "
            "choose (both included). Each number is shown beside the same number for the "
            "period of the same length just before; the arrow says whether it went up or "
            "down and whether that is better or worse.",
        ),
        (
            "no-data",
            "No data",
            "Shown when a number cannot be computed for the period — for example a median "
            "time when nothing was answered. It is never shown as 0.",
        ),
    ),
    _group(
        "community",
        "Community",
        (
            "questions_asked",
            "Questions asked",
            "New community threads started in the period (removed ones not counted).",
        ),
        (
            "answered_pct",
            "Answered",
            "Of the questions asked in the period, the share that has at least one reply "
            "from someone other than the asker.",
        ),
        (
            "solved_pct",
            "Solved",
            "Of the questions asked in the period, the share that has an accepted solution.",
        ),
        (
            "community_solved_pct",
            "Solved by the community",
            "Of the questions asked in the period, the share whose accepted solution was "
            "written by a customer or super-user — a question peers answered, at no cost "
            "to support.",
        ),
        (
            "agent_solved_pct",
            "Solved by agents",
            "Of the questions asked in the period, the share whose accepted solution was "
            "written by an agent or an admin, including an agent's public reply from a case.",
        ),
        (
            "median_first_reply_hours",
            "Median time to first reply",
            "For questions asked in the period that got a reply: the hours from asking to the "
            "first reply by someone else. Half were answered faster, half slower.",
        ),
        (
            "median_solution_hours",
            "Median time to solution",
            "For questions asked in the period that were solved: the hours from asking to "
            "the accepted answer being posted.",
        ),
        (
            "weekly_community",
            "Community by week",
            "Per week (starting Monday): questions asked, questions solved and threads "
            "escalated to agents.",
        ),
        (
            "questions_by_tag",
            "Questions by tag",
            "Questions asked in the period, counted under each of their tags (a question "
            "with two tags counts under both).",
        ),
        (
            "top_contributors",
            "Top contributors",
            "Members whose replies were most often accepted as solutions in the period.",
        ),
    ),
    _group(
        "cases",
        "Cases and SLA",
        (
            "escalation_rate_pct",
            "Escalation rate",
            "Of the questions asked in the period, the share that became an agent case "
            '(unanswered too long, "I still need help", or sent by a moderator).',
        ),
        (
            "cases_opened",
            "Cases opened",
            "Cases created in the period, from any channel (community threads and the "
            "Contact support form).",
        ),
        (
            "cases_solved",
            "Cases solved",
            "Cases marked solved in the period. A case that was reopened and solved again "
            "counts once, in the period of its last solve.",
        ),
        (
            "median_case_first_response_hours",
            "Median first response",
            "For cases opened in the period that got an answer: the hours from opening to the "
            "first reply an agent sent to the customer (internal notes do not count).",
        ),
        (
            "median_case_resolution_hours",
            "Median resolution time",
            "For cases solved in the period: the hours from opening to being solved.",
        ),
        (
            "sla_breached_pct",
            "SLA breached",
            "Of the cases opened in the period, the share that missed their first-response "
            "or resolution due time (set by the SLA policy for their priority), including "
            "open cases already past due.",
        ),
        (
            "weekly_cases",
            "Cases by week",
            "Per week (starting Monday): cases opened, cases solved and cases that breached "
            "their SLA.",
        ),
        (
            "cases_by_agent",
            "Solved cases by agent",
            "Cases each agent solved in the period.",
        ),
    ),
    _group(
        "deflection",
        "Deflection and savings",
        (
            "deflection_rate_pct",
            "Deflection rate",
            "A flow is one visitor's session that was shown search suggestions while typing "
            'a question or a support request. It is deflected when they said "this solved '
            'my problem", or opened a suggestion and then did not post a question or send '
            "a request within the deflection window (DEFLECTION_WINDOW_HOURS, 24 hours by "
            "default). Flows whose window is still open are left out. Rate = deflected ÷ "
            "decided flows.",
        ),
        (
            "deflected_flows",
            "Deflected flows",
            "The number of flows deflected in the period (see the deflection rate).",
        ),
        (
            "estimated_savings",
            "Estimated savings",
            "Deflected flows × (cost of an assisted contact − cost of a self-service "
            "contact). Both costs are settings ($8.01 and $0.10 by default). An estimate: "
            "not every deflected visitor would have contacted support.",
        ),
        (
            "contact_rate_shown_pct",
            "Contact rate with suggestions",
            "Of the flows shown suggestions, the share that still posted a question or sent a "
            "support request.",
        ),
        (
            "contact_rate_holdout_pct",
            "Contact rate without suggestions (holdout)",
            "The same share for the holdout: sessions chosen at random "
            "(SEARCH_HOLDOUT_PERCENT) that are not shown suggestions. The gap between the "
            "two rates is what the suggestions changed. No data when no holdout is set.",
        ),
    ),
    _group(
        "satisfaction",
        "Satisfaction",
        (
            "csat_satisfied_pct",
            "CSAT: satisfied",
            "Of the surveys answered in the period (sent when a case is solved), the share "
            "rating 4 (satisfied) or 5 (very satisfied) on the 1–5 scale.",
        ),
        (
            "csat_average",
            "CSAT: average",
            "The average rating of those surveys, from 1 (very dissatisfied) to 5 (very "
            "satisfied).",
        ),
        (
            "nps",
            "NPS",
            "Net Promoter Score of the surveys answered in the period: the % of promoters "
            '(9–10 on "how likely are you to recommend us") minus the % of detractors '
            "(0–6). From −100 to +100.",
        ),
        (
            "satisfaction_by_channel",
            "Satisfaction by channel",
            "CSAT and NPS split by how the customer's problem was solved: cases whose thread "
            "the community had solved versus cases solved by an agent.",
        ),
    ),
    _group(
        "kb",
        "Knowledge base",
        (
            "kb_most_viewed",
            "Most viewed articles",
            "Published articles with the most views in the period.",
        ),
        (
            "kb_least_helpful",
            "Least helpful articles",
            'Articles with the lowest share of "yes" to "Was this helpful?" in the '
            "period, among those with enough votes to judge.",
        ),
        (
            "kb_created_from",
            "Articles created from cases and threads",
            "Articles created in the period, counted by where they came from: written from "
            "scratch, promoted from a solved thread, or drafted while solving a case.",
        ),
        (
            "content_gaps",
            "Content gaps",
            "The searches of the period that most often found nothing: topics to write "
            "articles about.",
        ),
    ),
    _group(
        "members",
        "Members",
        (
            "active_members",
            "Active members",
            "Members who posted a question or a reply in the period.",
        ),
        (
            "new_superusers",
            "New super-users",
            "Members who became super-users in the period, by reputation or by an admin.",
        ),
    ),
)

DEFINITIONS = {entry.key: entry for group in GROUPS for entry in group.entries}
