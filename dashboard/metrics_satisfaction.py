"""Satisfaction: CSAT and NPS from the surveys answered in the period.

Surveys belong to cases (moderation.cases.surveys: one per solved case, answered once), so
they speak for customers who reached an agent. The split by who solved it is therefore:

* **Thread solved by the community** — the case's thread has an accepted answer written
  by a member other than the asker (not an agent or admin): the community answered;
* **Thread solved by the asker** — the accepted answer is the asker's own reply;
* **Thread solved by an agent** — the case's thread has an accepted answer by an agent, or
  none (the agent answered the case);
* **Contact form (agent)** — a case without a thread, answered by an agent.

Community threads that never became a case get no survey: nothing is known of their
askers' satisfaction, and the dashboard says "no data" rather than guess.
"""

from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from community.models import AcceptedSolution, Post, Thread
from dashboard.metrics_sql import (
    AGENT_ROLES,
    by_period,
    flag,
    in_both,
    in_period,
    is_current,
    make_kpi,
    percent,
)
from dashboard.results import Kpi, Period, Table, Unit
from moderation.cases.models import Case, Survey
from portal.i18n import N_
from portal.models import User

SECTION = "satisfaction"
# CSAT 4 "Satisfied" and 5 "Very satisfied" (moderation.cases.surveys.CSAT_LABELS).
SATISFIED_FROM = 4
# NPS groups as moderation.cases.surveys.nps_group draws them: 0–6 detractor, 9–10 promoter.
DETRACTOR_UP_TO, PROMOTER_FROM = 6, 9
# The query groups by these English texts; the table shows them in the viewer's language.
COMMUNITY_SOLVED = N_("Thread solved by the community")
ASKER_SOLVED = N_("Thread solved by the asker")
AGENT_SOLVED_THREAD = N_("Thread solved by an agent")
AGENT_SOLVED_CONTACT = N_("Contact form (agent)")
SOLVED_BY = (COMMUNITY_SOLVED, ASKER_SOLVED, AGENT_SOLVED_THREAD, AGENT_SOLVED_CONTACT)


def _scores(columns) -> tuple:
    """Aggregates of answered surveys: answers, satisfied, CSAT sum, NPS answers, ±."""
    csat, nps = columns.csat, columns.nps
    return (
        func.count(csat),
        func.sum(flag(csat >= SATISFIED_FROM)),
        func.sum(csat),
        func.count(nps),
        func.sum(flag(nps >= PROMOTER_FROM)),
        func.sum(flag(nps <= DETRACTOR_UP_TO)),
    )


def _measures(values: tuple) -> tuple[float | None, float | None, float | None]:
    """(% satisfied, CSAT average, NPS) from _scores() values; None without answers."""
    answers, satisfied, csat_sum, nps_answers, promoters, detractors = (
        int(value or 0) for value in values
    )
    average = csat_sum / answers if answers else None
    nps = percent(promoters - detractors, nps_answers)
    return percent(satisfied, answers), average, nps


def satisfaction_kpis(session: Session, period: Period) -> list[Kpi]:
    """CSAT % satisfied, CSAT average and NPS of the surveys answered in each period."""
    rows = (
        select(is_current(Survey.answered_at, period).label("is_current"), Survey.csat, Survey.nps)
        .where(in_both(Survey.answered_at, period))
        .subquery()
    )
    totals = by_period(session, rows, *_scores(rows.c))
    current, previous = _measures(totals[1]), _measures(totals[0])
    keys = (
        ("csat_satisfied_pct", pgettext("dashboard", "CSAT: satisfied"), Unit.PERCENT),
        ("csat_average", pgettext("dashboard", "CSAT average (1–5)"), Unit.SCORE),
        ("nps", pgettext("dashboard", "Net Promoter Score"), Unit.SCORE),
    )
    return [
        make_kpi(SECTION, key, label, (current[index], previous[index]), unit)
        for index, (key, label, unit) in enumerate(keys)
    ]


def satisfaction_by_channel(session: Session, period: Period) -> Table:
    """CSAT and NPS of the period's answered surveys, by who solved the customer's problem."""
    solution_post = aliased(Post)
    solver = aliased(User)
    solved_by = case(
        (Case.thread_id.is_(None), AGENT_SOLVED_CONTACT),
        (solver.id == Thread.author_id, ASKER_SOLVED),
        (solver.role.in_(AGENT_ROLES), AGENT_SOLVED_THREAD),
        (AcceptedSolution.id.is_(None), AGENT_SOLVED_THREAD),
        else_=COMMUNITY_SOLVED,
    )
    rows = (
        select(solved_by.label("solved_by"), Survey.csat, Survey.nps)
        .select_from(Survey)
        .join(Case, Case.id == Survey.case_id)
        .outerjoin(Thread, Thread.id == Case.thread_id)
        .outerjoin(AcceptedSolution, AcceptedSolution.thread_id == Case.thread_id)
        .outerjoin(solution_post, solution_post.id == AcceptedSolution.post_id)
        .outerjoin(solver, solver.id == solution_post.author_id)
        .where(in_period(Survey.answered_at, period))
        .subquery()
    )
    found = {
        label: values
        for label, *values in session.execute(
            select(rows.c.solved_by, *_scores(rows.c)).group_by(rows.c.solved_by)
        )
    }
    table_rows = []
    for label in SOLVED_BY:
        values = found.get(label, (0,) * 6)
        table_rows.append((_(label), int(values[0] or 0), *_measures(values)))
    return Table(
        "satisfaction_by_channel",
        pgettext("dashboard", "Satisfaction by who solved it"),
        (
            pgettext("dashboard", "Solved by"),
            pgettext("dashboard", "Answered surveys"),
            pgettext("dashboard", "CSAT satisfied %"),
            pgettext("dashboard", "CSAT average"),
            pgettext("dashboard", "NPS"),
        ),
        tuple(table_rows),
        section=SECTION,
        note=_(
            "Surveys are sent when an agent solves a case. Threads the community solved without "
            "ever becoming a case get no survey, so there is no data on their askers."
        ),
    )
