"""What each dashboard number means, in plain words, for the definitions page.

Keyed by ``Kpi.key`` and ``Table.key``: the key is also the entry's anchor, so a card
links straight to its explanation. Each entry says what counts, what does not (``excludes``)
and, where the portal's number differs from the one most support tools report, how
(``industry``). tests/dashboard check that every number the metrics produce has an entry
here, and tests/dashboard/test_reference.py recomputes every KPI from these words.
"""

from dataclasses import dataclass


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


def _group(section: str, title: str, *entries: tuple[str, ...]) -> DefinitionGroup:
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
            "Community questions asked in the period, including those waiting for "
            "moderation. The other community numbers follow these same questions as they "
            "stand today (a cohort), so an older period has had more time to be answered "
            "and solved.",
            "A question a moderator hid or its author deleted (spam, withdrawn).",
            "Many tools count the questions answered or solved in the period, whenever "
            "they were asked; here a question stays in the period it was asked in.",
        ),
        (
            "answered_pct",
            "Answered",
            "Of the questions asked in the period, the share with at least one visible reply "
            "by someone other than the asker, at any time until now.",
            "The asker's own replies; replies held for moderation, hidden or deleted.",
        ),
        (
            "solved_pct",
            "Solved",
            "Of the questions asked in the period, the share that has an accepted solution now.",
            "A solution that was accepted and then withdrawn.",
        ),
        (
            "community_solved_pct",
            "Solved by the community",
            "Of the questions asked in the period that are solved, the share whose accepted "
            "solution was written by a member of the community other than the asker (a "
            "customer, super-user or moderator) — an answer that cost support nothing.",
            "Solutions written by agents or admins, and the asker's own reply (see Solved "
            "by the asker).",
            'Community platforms often call every accepted answer "community-solved", the '
            "asker's own and the staff's included.",
        ),
        (
            "agent_solved_pct",
            "Solved by agents",
            "Of the same solved questions, the share whose accepted solution was written by "
            "an agent or an admin — including an agent's public reply sent from a case.",
            "An agent's own question answered by themselves (that is solved by the asker).",
        ),
        (
            "asker_solved_pct",
            "Solved by the asker",
            "Of the same solved questions, the share whose accepted solution is the asker's "
            "own reply: they found the answer themselves. The three shares — community, "
            "agents, asker — add up to 100 %.",
        ),
        (
            "median_first_reply_hours",
            "Median time to first reply",
            "For the questions asked in the period that got a reply: the hours from asking "
            "to the first visible reply by someone else. Half were answered faster, half "
            "slower.",
            "Questions without such a reply yet (they are not counted as zero or as "
            "infinite); the asker's own replies.",
        ),
        (
            "median_solution_hours",
            "Median time to solution",
            "For the questions asked in the period that are solved: the hours from asking to "
            "the moment the current solution was accepted.",
            "Unsolved questions; a withdrawn solution's time.",
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
            '"I still need help", or by a moderator — at any time until now.',
            "Contact support requests (they never were community questions).",
        ),
        (
            "cases_opened",
            "Cases opened",
            "Cases opened in the period, from community threads and from the Contact "
            "support form. Fewer is better: fewer people needed an agent.",
            "Reopenings: a reopened case is the same case, it is not opened twice.",
            "Tools that create a new ticket for a follow-up count it again.",
        ),
        (
            "cases_solved",
            "Cases solved",
            "Cases whose last solve falls in the period: a case solved, reopened and solved "
            "again counts once, when it was solved the last time.",
            "A case active again — reopened, or left pending by an agent's reply after it "
            "was solved — until it is solved again; a case closed without a solution.",
            "Some tools count every solve event, so a reopened case counts twice.",
        ),
        (
            "median_case_first_response_hours",
            "Median first response time",
            "For the cases opened in the period that got a response: the hours from opening "
            "to the agent's first reply to the customer, public or private (or to the solve, "
            "when the agent solved without writing), in calendar hours.",
            "Internal notes; cases without a response yet.",
            "Tools with business hours count only working hours; these are calendar hours.",
        ),
        (
            "median_case_resolution_hours",
            "Median resolution time",
            "For the cases solved in the period: the hours from opening to the last solve, "
            "in calendar hours, time spent reopened and waiting on the customer included "
            '(the "full resolution time").',
            "Cases not solved (see Cases solved).",
            "The SLA's resolution clock pauses while the case waits on the customer; this "
            "median does not.",
        ),
        (
            "sla_breached_pct",
            "SLA breached",
            "Of the cases opened in the period, the share with a recorded breach of their "
            "first-response or resolution target. First response is due at the opening + "
            "the policy's hours for the priority; resolution at the opening + its hours, "
            "afresh from each reopening, its clock stopped while the case is solved or "
            "closed and — with SLA_PAUSE_WHILE_PENDING (on by default) — paused while it is "
            "pending customer. A priority change moves both due times to the new "
            "priority's hours. A target is breached the first time it is past its due time "
            "while its clock runs; the breach is recorded then (at the case's next event, or "
            "within SLA_BREACH_CHECK_MINUTES by the periodic check) with the target then in "
            "force, and stays: a late answer, a reopening or a downgrade never removes it.",
            "A target met exactly at its due time; time paused waiting on the customer; a "
            "case opened in another period, even if it breached during this one.",
            "Some tools report breaches by the period the target fell due in, or recompute "
            "targets after a priority change; here a breach is a fact of the case, counted "
            "with the cases opened in the period.",
        ),
        (
            "weekly_cases",
            "Cases per week",
            "Per week (Monday to Sunday, UTC): cases opened, cases solved (last solve), and "
            "how many of the cases opened that week have a recorded SLA breach.",
        ),
        (
            "cases_by_agent",
            "Solved cases by agent",
            "Cases solved in the period, under the agent who solved them the last time "
            "(the case's assignee when the timeline does not say who solved it).",
            "Cases active again or closed unsolved.",
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
            "question or a support request, counted once, in the period it was first shown "
            'them. It is deflected when the visitor said "this solved my problem", or '
            "opened a suggestion and then asked no question and sent no request from the "
            "first opening until the deflection window (DEFLECTION_WINDOW_HOURS, 24 hours "
            "by default) after the last opening — however late that is. Flows whose window "
            "is still open are left out until it closes. Rate = deflected flows ÷ decided "
            "flows.",
            "Sessions shown answers in an earlier period (shown again, they are still that "
            "earlier flow); flows that never opened a suggestion count as not deflected; "
            "holdout sessions (never shown answers).",
            "Many tools divide self-service sessions by tickets created; this rate follows "
            "each session to what it did next, so it is lower and harder to inflate.",
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
            "support request after they were first shown them. Shown only when a holdout is "
            "configured.",
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
            "(very satisfied) on the 1–5 scale. A survey is sent once, when an agent first "
            "solves a case, so these numbers speak for customers who reached an agent.",
            "Surveys sent but not answered.",
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
            "",
            "NPS is usually a relationship survey of all customers; this one is asked "
            "after a case, so it leans towards the support experience.",
        ),
        (
            "satisfaction_by_channel",
            "Satisfaction by who solved it",
            "CSAT and NPS split by who solved the customer's problem: the case's thread "
            "solved by the community, by the asker, by an agent (or the agent answered the "
            "case), or a Contact support request answered by an agent.",
            "Threads the community solved without ever becoming a case: they get no survey.",
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
            "Members of the community — every account except agents and admins — who "
            "published a question or reply (still shown today) or voted, in the period.",
            "Posts held for moderation, hidden by a moderator or deleted (so spam accounts "
            "whose posts were removed do not count); agents and admins.",
            "Many platforms count anyone who signed in or read; this counts contributions.",
        ),
        (
            "new_superusers",
            "New super-users",
            "Members who became super-users in the period, by earning the reputation "
            "(demo data included) or being granted the role by an admin: each promotion is "
            "a role change in the audit log. A member promoted twice counts once.",
            "Demotions; a super-user made moderator.",
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
