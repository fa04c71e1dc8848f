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
            "down, and the word beside it whether that is better or worse.",
        ),
        (
            "no-data",
            "No data",
            "Shown when a number has nothing to be computed from — a share of no questions, "
            "a median of no cases, an average of no surveys. Counts show 0 instead.",
        ),
    ),
    _group(
        "community",
        "Community",
        (
            "questions_asked",
            "Questions asked",
            "Community questions asked in the period. A question a moderator hid or its "
            "author deleted (spam, withdrawn) does not count; one waiting for moderation "
            "does. The other community numbers follow these same questions as they stand "
            "today, so an older period has had more time to be answered and solved.",
        ),
        (
            "answered_pct",
            "Answered",
            "Of the questions asked in the period, the share with at least one visible reply "
            "by someone other than the asker.",
        ),
        (
            "solved_pct",
            "Solved",
            "Of the questions asked in the period, the share with an accepted solution.",
        ),
        (
            "community_solved_pct",
            "Solved by the community",
            "Of the questions asked in the period that are solved, the share whose accepted "
            "solution was written by a member of the community (a customer, super-user or "
            "moderator) — an answer that cost support nothing.",
        ),
        (
            "agent_solved_pct",
            "Solved by agents",
            "Of the same solved questions, the share whose accepted solution was written by "
            "an agent or an admin — including an agent's public reply sent from a case. "
            "The two shares add up to 100 %.",
        ),
        (
            "median_first_reply_hours",
            "Median time to first reply",
            "For the questions asked in the period that got a reply: the hours from asking "
            "to the first visible reply by someone else. Half were answered faster, half "
            "slower.",
        ),
        (
            "median_solution_hours",
            "Median time to solution",
            "For the questions asked in the period that are solved: the hours from asking to "
            "the solution being accepted.",
        ),
        (
            "weekly_community",
            "Community questions per week",
            "Per week (Monday to Sunday, UTC): the questions asked that week, and how many of "
            "those are solved or became a case so far.",
        ),
        (
            "questions_by_tag",
            "Questions by tag",
            "The questions asked in the period under each of the 15 busiest tags; a question "
            "with two tags counts under both.",
        ),
    ),
    _group(
        "cases",
        "Cases and SLA",
        (
            "escalation_rate_pct",
            "Escalation rate",
            "Of the questions asked in the period, the share that became an agent case — "
            "swept after going unanswered or unsolved too long, sent by the asker with "
            '"I still need help", or by a moderator.',
        ),
        (
            "cases_opened",
            "Cases opened",
            "Cases opened in the period, from community threads and from the Contact "
            "support form. A reopened case is the same case: it is not opened twice. "
            "Fewer is better: fewer people needed an agent.",
        ),
        (
            "cases_solved",
            "Cases solved",
            "Cases whose last solve falls in the period. A case reopened and solved again "
            "counts once, when it was solved the last time; a case reopened and not yet "
            "solved again does not count; a case closed without a solution never counts.",
        ),
        (
            "median_case_first_response_hours",
            "Median first response time",
            "For the cases opened in the period that got a response: the hours from opening "
            "to the agent's first reply to the customer, public or private (or to the solve, "
            "when the agent solved without writing). Internal notes do not count.",
        ),
        (
            "median_case_resolution_hours",
            "Median resolution time",
            "For the cases solved in the period: the hours from opening to the last solve, "
            "time spent reopened included.",
        ),
        (
            "sla_breached_pct",
            "SLA breached",
            "Of the cases opened in the period, the share that missed their first-response "
            "or resolution due time (set by the SLA policy for their priority), or are still "
            "waiting past it now.",
        ),
        (
            "weekly_cases",
            "Cases per week",
            "Per week (Monday to Sunday, UTC): cases opened, cases solved, and how many of "
            "the cases opened that week breached their SLA.",
        ),
        (
            "cases_by_agent",
            "Solved cases by agent",
            'Cases solved in the period, under the agent they are assigned to ("Unassigned" '
            "when nobody is).",
        ),
        (
            "cases_by_agent_open",
            "Open cases by agent, now",
            "Each agent's queue at this moment — new, open and pending cases — whatever the "
            "period chosen.",
        ),
    ),
    _group(
        "deflection",
        "Deflection and savings",
        (
            "deflection_rate_pct",
            "Deflection rate",
            "A flow is one visitor's browser session that was shown answers while typing a "
            "question or a support request, counted in the period it was first shown them. "
            'It is deflected when the visitor said "this solved my problem", or opened a '
            "suggestion and then asked no question and sent no request within the "
            "deflection window (DEFLECTION_WINDOW_HOURS, 24 hours by default). Flows whose "
            "window is still open are left out until it closes. Rate = deflected flows ÷ "
            "decided flows.",
        ),
        (
            "deflected_flows",
            "Deflected contacts",
            "The number of flows of the period that were deflected (see the deflection "
            "rate): contacts support did not have to answer.",
        ),
        (
            "estimated_savings",
            "Estimated savings",
            "Deflected contacts × (cost of an assisted contact − cost of a self-service "
            "contact). Both costs are settings: ASSISTED_CONTACT_COST ($8.01 by default) and "
            "SELF_SERVICE_COST ($0.10). An estimate: not every deflected visitor would have "
            "contacted support.",
        ),
        (
            "contact_rate_shown_pct",
            "Contact rate with suggestions",
            "Of the flows shown suggestions, the share that still asked a question or sent a "
            "support request. Shown only when a holdout is configured.",
        ),
        (
            "contact_rate_holdout_pct",
            "Contact rate without suggestions (holdout)",
            "The same share for the holdout: sessions picked at random "
            "(SEARCH_HOLDOUT_PERCENT of them) that are never shown suggestions. The gap "
            "between the two rates is what the suggestions changed, not who the visitors "
            "were.",
        ),
    ),
    _group(
        "satisfaction",
        "Satisfaction",
        (
            "csat_satisfied_pct",
            "CSAT: satisfied",
            "Of the surveys answered in the period, the share rating 4 (satisfied) or 5 "
            "(very satisfied) on the 1–5 scale. A survey is sent once when an agent solves a "
            "case, so these numbers speak for customers who reached an agent.",
        ),
        (
            "csat_average",
            "CSAT average (1–5)",
            "The average rating of the surveys answered in the period, from 1 (very "
            "dissatisfied) to 5 (very satisfied).",
        ),
        (
            "nps",
            "Net Promoter Score",
            'Of the surveys answered in the period: the % of promoters (9 or 10 to "how '
            'likely are you to recommend us?") minus the % of detractors (0 to 6). From '
            "−100 to +100; above 0 means more promoters than detractors.",
        ),
        (
            "satisfaction_by_channel",
            "Satisfaction by who solved it",
            "CSAT and NPS split by who solved the customer's problem: the case's thread "
            "solved by the community, the thread solved by an agent (or the agent answered "
            "the case), or a Contact support request answered by an agent. Threads the "
            "community solved without ever becoming a case get no survey.",
        ),
    ),
    _group(
        "kb",
        "Knowledge base",
        (
            "kb_most_viewed",
            "Most viewed articles (all time)",
            "The published articles read most. The portal keeps a running total of views per "
            "article, not the time of each view, so this list is the same for every period.",
        ),
        (
            "kb_least_helpful",
            "Least helpful articles (all time)",
            'Published articles with enough "Was this helpful?" votes to judge '
            '(KB_LEAST_HELPFUL_MIN_VOTES), the lowest share of "yes" first.',
        ),
        (
            "kb_created_from",
            "Articles created from threads and cases",
            "Articles created in the period from community work: solved threads promoted to "
            'the knowledge base, and drafts an agent started when solving a case ("new '
            'article needed"). The latest 25 at most.',
        ),
        (
            "content_gaps",
            "Content gaps: searches with no result",
            "The searches of the period that found nothing, the most frequent first "
            "(the same text counted together): articles to write, or to retitle.",
        ),
    ),
    _group(
        "members",
        "Members",
        (
            "active_members",
            "Active members",
            "Members of the community — every account except agents and admins — who posted "
            "a question or reply, or voted, in the period.",
        ),
        (
            "new_superusers",
            "New super-users",
            "Members who became super-users in the period, by earning the reputation or "
            "being granted the role by an admin (each role change is in the audit log).",
        ),
        (
            "top_contributors",
            "Top contributors",
            "The ten members who gained the most reputation in the period, with their "
            "visible replies and the accepted solutions they wrote on other people's "
            "questions.",
        ),
    ),
)

DEFINITIONS = {entry.key: entry for group in GROUPS for entry in group.entries}
