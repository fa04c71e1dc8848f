"""What each dashboard number means, in plain words, for the definitions page.

Keyed by ``Kpi.key`` and ``Table.key``: the key is also the entry's anchor, so a card
links straight to its explanation. Each entry says what counts, what does not (``excludes``)
and, where the portal's number differs from the one most support tools report, how
(``industry``). tests/dashboard check that every number the metrics produce has an entry
here, and tests/dashboard/test_reference.py recomputes every KPI from these words.

The entries are written in the viewer's language each time the page is drawn; a term is
the same catalog entry as the KPI's label, so a card and its definition say the same word.
"""

from dataclasses import dataclass
from functools import cache

from flask_babel import gettext as _
from flask_babel import pgettext


@dataclass(frozen=True)
class Definition:
    key: str
    term: str
    text: str  # what it is and what counts
    excludes: str = ""  # what does not count
    industry: str = ""  # how it differs from the usual definition elsewhere


@dataclass(frozen=True)
class DefinitionGroup:
    section: str
    title: str
    entries: tuple[Definition, ...]


def _group(section: str, title: str, *entries: Definition) -> DefinitionGroup:
    return DefinitionGroup(section, title, entries)


def definition_groups() -> tuple[DefinitionGroup, ...]:
    """Every entry, by section, in the viewer's language."""
    return (
        _group(
            "period",
            pgettext("dashboard", "Periods and comparisons"),
            Definition(
                "period",
                pgettext("dashboard", "Period"),
                _(
                    "Whole days in UTC: the last 7, 30 or 90 days including today, or the days "
                    "you choose (both included). Each number is shown beside the same number for "
                    "the period of the same length just before; the arrow says whether it went "
                    "up or down, and the word beside it whether that is better or worse."
                ),
            ),
            Definition(
                "no-data",
                pgettext("dashboard", "No data"),
                _(
                    "Shown when a number has nothing to be computed from — a share of no "
                    "questions, a median of no cases, an average of no surveys. Counts show 0 "
                    "instead."
                ),
            ),
        ),
        _group(
            "community",
            pgettext("dashboard", "Community"),
            Definition(
                "questions_asked",
                pgettext("dashboard", "Questions asked"),
                _(
                    "Community questions asked in the period, including those waiting for "
                    "moderation. The other community numbers follow these same questions as they "
                    "stand today (a cohort), so an older period has had more time to be answered "
                    "and solved."
                ),
                excludes=_("A question a moderator hid or its author deleted (spam, withdrawn)."),
                industry=_(
                    "Many tools count the questions answered or solved in the period, whenever "
                    "they were asked; here a question stays in the period it was asked in."
                ),
            ),
            Definition(
                "answered_pct",
                pgettext("dashboard", "Answered"),
                _(
                    "Of the questions asked in the period, the share with at least one visible "
                    "reply by someone other than the asker, at any time until now."
                ),
                excludes=_(
                    "The asker's own replies; replies held for moderation, hidden or deleted."
                ),
            ),
            Definition(
                "solved_pct",
                pgettext("dashboard", "Solved"),
                _(
                    "Of the questions asked in the period, the share that has an accepted "
                    "solution now."
                ),
                excludes=_("A solution that was accepted and then withdrawn."),
            ),
            Definition(
                "community_solved_pct",
                pgettext("dashboard", "Solved by the community"),
                _(
                    "Of the questions asked in the period that are solved, the share whose "
                    "accepted solution was written by a member of the community other than the "
                    "asker (a customer, super-user or moderator) — an answer that cost support "
                    "nothing."
                ),
                excludes=_(
                    "Solutions written by agents or admins, and the asker's own reply (see "
                    "Solved by the asker)."
                ),
                industry=_(
                    'Community platforms often call every accepted answer "community-solved", '
                    "the asker's own and the staff's included."
                ),
            ),
            Definition(
                "agent_solved_pct",
                pgettext("dashboard", "Solved by agents"),
                _(
                    "Of the same solved questions, the share whose accepted solution was written "
                    "by an agent or an admin — including an agent's public reply sent from a "
                    "case."
                ),
                excludes=_(
                    "An agent's own question answered by themselves (that is solved by the asker)."
                ),
            ),
            Definition(
                "asker_solved_pct",
                pgettext("dashboard", "Solved by the asker"),
                _(
                    "Of the same solved questions, the share whose accepted solution is the "
                    "asker's own reply: they found the answer themselves. The three shares — "
                    "community, agents, asker — add up to 100 %."
                ),
            ),
            Definition(
                "median_first_reply_hours",
                pgettext("dashboard", "Median time to first reply"),
                _(
                    "For the questions asked in the period that got a reply: the hours from "
                    "asking to the first visible reply by someone else. Half were answered "
                    "faster, half slower."
                ),
                excludes=_(
                    "Questions without such a reply yet (they are not counted as zero or as "
                    "infinite); the asker's own replies."
                ),
            ),
            Definition(
                "median_solution_hours",
                pgettext("dashboard", "Median time to solution"),
                _(
                    "For the questions asked in the period that are solved: the hours from "
                    "asking to the moment the current solution was accepted."
                ),
                excludes=_("Unsolved questions; a withdrawn solution's time."),
            ),
            Definition(
                "weekly_community",
                pgettext("dashboard", "Community questions per week"),
                _(
                    "Per week (Monday to Sunday, UTC): the questions asked that week, and how "
                    "many of those are solved or became a case so far."
                ),
            ),
            Definition(
                "questions_by_tag",
                pgettext("dashboard", "Questions by tag"),
                _(
                    "The questions asked in the period under each of the 15 busiest tags; a "
                    "question with two tags counts under both."
                ),
            ),
        ),
        _group(
            "cases",
            pgettext("dashboard", "Cases and SLA"),
            Definition(
                "escalation_rate_pct",
                pgettext("dashboard", "Escalation rate"),
                _(
                    "Of the questions asked in the period, the share that became an agent case — "
                    "swept after going unanswered or unsolved too long, sent by the asker with "
                    '"I still need help", or by a moderator — at any time until now.'
                ),
                excludes=_("Contact support requests (they never were community questions)."),
            ),
            Definition(
                "cases_opened",
                pgettext("dashboard", "Cases opened"),
                _(
                    "Cases opened in the period, from community threads and from the Contact "
                    "support form. Fewer is better: fewer people needed an agent."
                ),
                excludes=_("Reopenings: a reopened case is the same case, it is not opened twice."),
                industry=_("Tools that create a new ticket for a follow-up count it again."),
            ),
            Definition(
                "cases_solved",
                pgettext("dashboard", "Cases solved"),
                _(
                    "Cases whose last solve falls in the period: a case solved, reopened and "
                    "solved again counts once, when it was solved the last time."
                ),
                excludes=_(
                    "A case active again — reopened, or left pending by an agent's reply after "
                    "it was solved — until it is solved again; a case closed without a solution."
                ),
                industry=_("Some tools count every solve event, so a reopened case counts twice."),
            ),
            Definition(
                "median_case_first_response_hours",
                pgettext("dashboard", "Median first response time"),
                _(
                    "For the cases opened in the period that got a response: the hours from "
                    "opening to the agent's first reply to the customer, public or private (or "
                    "to the solve, when the agent solved without writing), in calendar hours."
                ),
                excludes=_("Internal notes; cases without a response yet."),
                industry=_(
                    "Tools with business hours count only working hours; these are calendar hours."
                ),
            ),
            Definition(
                "median_case_resolution_hours",
                pgettext("dashboard", "Median resolution time"),
                _(
                    "For the cases solved in the period: the hours from opening to the last "
                    "solve, in calendar hours, time spent reopened and waiting on the customer "
                    'included (the "full resolution time").'
                ),
                excludes=_("Cases not solved (see Cases solved)."),
                industry=_(
                    "The SLA's resolution clock pauses while the case waits on the customer; "
                    "this median does not."
                ),
            ),
            Definition(
                "sla_breached_pct",
                pgettext("dashboard", "SLA breached"),
                _(
                    "Of the cases opened in the period, the share with a recorded breach of "
                    "their first-response or resolution target. First response is due at the "
                    "opening + the policy's hours for the priority; resolution at the opening + "
                    "its hours, afresh from each reopening, its clock stopped while the case is "
                    "solved or closed and — with SLA_PAUSE_WHILE_PENDING (on by default) — "
                    "paused while it is pending customer. A priority change moves both due times "
                    "to the new priority's hours. A target is breached the first time it is past "
                    "its due time while its clock runs; the breach is recorded then (at the "
                    "case's next event, or within SLA_BREACH_CHECK_MINUTES by the periodic "
                    "check) with the target then in force, and stays: a late answer, a reopening "
                    "or a downgrade never removes it."
                ),
                excludes=_(
                    "A target met exactly at its due time; time paused waiting on the customer; "
                    "a case opened in another period, even if it breached during this one."
                ),
                industry=_(
                    "Some tools report breaches by the period the target fell due in, or "
                    "recompute targets after a priority change; here a breach is a fact of the "
                    "case, counted with the cases opened in the period."
                ),
            ),
            Definition(
                "weekly_cases",
                pgettext("dashboard", "Cases per week"),
                _(
                    "Per week (Monday to Sunday, UTC): cases opened, cases solved (last solve), "
                    "and how many of the cases opened that week have a recorded SLA breach."
                ),
            ),
            Definition(
                "cases_by_agent",
                pgettext("dashboard", "Solved cases by agent"),
                _(
                    "Cases solved in the period, under the agent who solved them the last time "
                    "(the case's assignee when the timeline does not say who solved it)."
                ),
                excludes=_("Cases active again or closed unsolved."),
            ),
            Definition(
                "cases_by_agent_open",
                pgettext("dashboard", "Open cases by agent, now"),
                _(
                    "Each agent's queue at this moment — new, open and pending cases — whatever "
                    "the period chosen."
                ),
            ),
        ),
        _group(
            "deflection",
            pgettext("dashboard", "Deflection and savings"),
            Definition(
                "deflection_rate_pct",
                pgettext("dashboard", "Deflection rate"),
                _(
                    "A flow is one visitor's browser session that was shown answers while typing "
                    "a question or a support request, counted once, in the period it was first "
                    'shown them. It is deflected when the visitor said "this solved my problem", '
                    "or opened a suggestion and then asked no question and sent no request from "
                    "the first opening until the deflection window (DEFLECTION_WINDOW_HOURS, 24 "
                    "hours by default) after the last opening — however late that is. Flows "
                    "whose window is still open are left out until it closes. Rate = deflected "
                    "flows ÷ decided flows."
                ),
                excludes=_(
                    "Sessions shown answers in an earlier period (shown again, they are still "
                    "that earlier flow); flows that never opened a suggestion count as not "
                    "deflected; holdout sessions (never shown answers)."
                ),
                industry=_(
                    "Many tools divide self-service sessions by tickets created; this rate "
                    "follows each session to what it did next, so it is lower and harder to "
                    "inflate."
                ),
            ),
            Definition(
                "deflected_flows",
                pgettext("dashboard", "Deflected contacts"),
                _(
                    "The number of flows of the period that were deflected (see the deflection "
                    "rate): contacts support did not have to answer."
                ),
            ),
            Definition(
                "estimated_savings",
                pgettext("dashboard", "Estimated savings"),
                _(
                    "Deflected contacts × (cost of an assisted contact − cost of a self-service "
                    "contact). Both costs are settings, in the currency of the CURRENCY setting "
                    "(US dollars by default): ASSISTED_CONTACT_COST (8.01 by default) and "
                    "SELF_SERVICE_COST (0.10). An estimate: not every deflected visitor would "
                    "have contacted support."
                ),
            ),
            Definition(
                "contact_rate_shown_pct",
                pgettext("dashboard", "Contact rate with suggestions"),
                _(
                    "Of the flows shown suggestions, the share that still asked a question or "
                    "sent a support request after they were first shown them. Shown only when a "
                    "holdout is configured."
                ),
            ),
            Definition(
                "contact_rate_holdout_pct",
                pgettext("dashboard", "Contact rate without suggestions (holdout)"),
                _(
                    "The same share for the holdout: sessions picked at random "
                    "(SEARCH_HOLDOUT_PERCENT of them) that are never shown suggestions. The gap "
                    "between the two rates is what the suggestions changed, not who the visitors "
                    "were."
                ),
            ),
        ),
        _group(
            "satisfaction",
            pgettext("dashboard", "Satisfaction"),
            Definition(
                "csat_satisfied_pct",
                pgettext("dashboard", "CSAT: satisfied"),
                _(
                    "Of the surveys answered in the period, the share rating 4 (satisfied) or 5 "
                    "(very satisfied) on the 1–5 scale. A survey is sent once, when an agent "
                    "first solves a case, so these numbers speak for customers who reached an "
                    "agent."
                ),
                excludes=_("Surveys sent but not answered."),
            ),
            Definition(
                "csat_average",
                pgettext("dashboard", "CSAT average (1–5)"),
                _(
                    "The average rating of the surveys answered in the period, from 1 (very "
                    "dissatisfied) to 5 (very satisfied)."
                ),
            ),
            Definition(
                "nps",
                pgettext("dashboard", "Net Promoter Score"),
                _(
                    "Of the surveys answered in the period: the percentage of promoters (9 or 10 "
                    'to "how likely are you to recommend us?") minus the percentage of '
                    "detractors (0 to 6). From −100 to +100; above 0 means more promoters than "
                    "detractors."
                ),
                industry=_(
                    "NPS is usually a relationship survey of all customers; this one is asked "
                    "after a case, so it leans towards the support experience."
                ),
            ),
            Definition(
                "satisfaction_by_channel",
                pgettext("dashboard", "Satisfaction by who solved it"),
                _(
                    "CSAT and NPS split by who solved the customer's problem: the case's thread "
                    "solved by the community, by the asker, by an agent (or the agent answered "
                    "the case), or a Contact support request answered by an agent."
                ),
                excludes=_(
                    "Threads the community solved without ever becoming a case: they get no survey."
                ),
            ),
        ),
        _group(
            "kb",
            pgettext("dashboard", "Knowledge base"),
            Definition(
                "kb_most_viewed",
                pgettext("dashboard", "Most viewed articles (all time)"),
                _(
                    "The published articles read most. The portal keeps a running total of views "
                    "per article, not the time of each view, so this list is the same for every "
                    "period."
                ),
            ),
            Definition(
                "kb_least_helpful",
                pgettext("dashboard", "Least helpful articles (all time)"),
                _(
                    'Published articles with enough "Was this helpful?" votes to judge '
                    '(KB_LEAST_HELPFUL_MIN_VOTES), the lowest share of "yes" first.'
                ),
            ),
            Definition(
                "kb_created_from",
                pgettext("dashboard", "Articles created from threads and cases"),
                _(
                    "Articles created in the period from community work: solved threads promoted "
                    "to the knowledge base, and drafts an agent started when solving a case "
                    '("new article needed"). The latest 25 at most.'
                ),
            ),
            Definition(
                "content_gaps",
                pgettext("dashboard", "Content gaps: searches with no result"),
                _(
                    "The searches of the period that found nothing, the most frequent first (the "
                    "same text counted together): articles to write, or to retitle."
                ),
            ),
        ),
        _group(
            "members",
            pgettext("dashboard", "Members"),
            Definition(
                "active_members",
                pgettext("dashboard", "Active members"),
                _(
                    "Members of the community — every account except agents and admins — who "
                    "published a question or reply (still shown today) or voted, in the period."
                ),
                excludes=_(
                    "Posts held for moderation, hidden by a moderator or deleted (so spam "
                    "accounts whose posts were removed do not count); agents and admins."
                ),
                industry=_(
                    "Many platforms count anyone who signed in or read; this counts contributions."
                ),
            ),
            Definition(
                "new_superusers",
                pgettext("dashboard", "New super-users"),
                _(
                    "Members who became super-users in the period, by earning the reputation "
                    "(demo data included) or being granted the role by an admin: each promotion "
                    "is a role change in the audit log. A member promoted twice counts once."
                ),
                excludes=_("Demotions; a super-user made moderator."),
            ),
            Definition(
                "top_contributors",
                pgettext("dashboard", "Top contributors"),
                _(
                    "The ten members who gained the most reputation in the period, with their "
                    "visible replies and the accepted solutions they wrote on other people's "
                    "questions."
                ),
            ),
        ),
        _group(
            "proactive",
            pgettext("dashboard", "Proactive care"),
            Definition(
                "surge_alerts_raised",
                pgettext("dashboard", "Surge alerts raised"),
                _(
                    "Alerts raised in the period: many similar questions, support requests or "
                    "searches within an hour, well above what their topic usually gets. One "
                    "surge raises one alert, however long it lasts."
                ),
            ),
            Definition(
                "median_surge_alert_hours",
                pgettext("dashboard", "Median time from a surge's first post to its alert"),
                _(
                    "For the alerts raised in the period, the time from the first similar item "
                    "of the surge to the alert, the median of them."
                ),
            ),
            Definition(
                "known_issue_deflected",
                pgettext("dashboard", "Contacts deflected by known-issue banners"),
                _(
                    "Visitors who opened a known issue's status page from a banner in the "
                    "period and then did not contact support: they said there was no need to "
                    "write, or sent no question or request within the deflection window."
                ),
                excludes=_("Openings whose window is still open."),
            ),
            Definition(
                "cases_solved_via_known_issue",
                pgettext("dashboard", "Cases solved through a known issue"),
                _(
                    "Cases linked to a known issue and solved with it, with one answer, when "
                    "the issue was resolved in the period."
                ),
            ),
        ),
    )


@cache
def definition_keys() -> frozenset[str]:
    """The keys with an entry: the cards and tables that link to their definition."""
    return frozenset(entry.key for group in definition_groups() for entry in group.entries)
