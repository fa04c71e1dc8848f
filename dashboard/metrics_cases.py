"""Case KPIs: opened, solved, response and resolution times, SLA breaches, per agent.

How a case's life is read from its row:

* **Opened** once, at ``opened_at``. Reopening (moderation.cases.service: status back to open,
  a "Reopened" status event) keeps the same row, so a reopened case is never opened twice.
* **Solved** at ``solved_at``: a reopening clears it and the next solve sets it again, so
  it is always the *last* solve. A case reopened and not solved again is not solved; a
  case closed without being solved never counts as solved.
* **First response** at ``first_response_at`` (the first public or private reply, or the
  solve when an agent solved without replying).
* **SLA breached**: the case has a recorded breach (``SlaBreach``, moderation.cases.clock):
  a target found late when it happened — at the case's next event or by the periodic
  check — and never recomputed away by a reopening or a priority change.
* **Solved by** the agent of the case's last "solved" event (its assignee when no event
  says who, as for cases older than the timeline).

Counts and first-response times look at the cases *opened* in the period; cases solved
and resolution times at the cases *solved* in the period — a resolution time runs from the
opening to the last solve, time spent reopened included.
"""

from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from dashboard.metrics_sql import (
    as_date,
    by_period,
    flag,
    hours_between,
    hours_by_period,
    in_both,
    in_period,
    is_current,
    make_kpi,
    median,
    percent,
    week_start,
    weekly_rows,
)
from dashboard.results import ChartKind, Kpi, Period, Table, Unit
from moderation.cases.models import Case, CaseEvent, EventKind, SlaBreach
from moderation.cases.routing import ACTIVE_STATUSES
from portal.models import User

SECTION = "cases"


def breached():
    """SQL: the case has a recorded SLA breach (see above)."""
    return exists().where(SlaBreach.case_id == Case.id)


def case_kpis(session: Session, period: Period) -> list[Kpi]:
    """Cases opened and solved, median first response and resolution, % SLA breached."""
    opened = (
        select(
            is_current(Case.opened_at, period).label("is_current"),
            flag(breached()).label("breached"),
        )
        .where(in_both(Case.opened_at, period))
        .subquery()
    )
    opened_totals = by_period(session, opened, func.count(), func.sum(opened.c.breached))
    solved = (
        select(is_current(Case.solved_at, period).label("is_current"))
        .where(in_both(Case.solved_at, period))
        .subquery()
    )
    solved_totals = by_period(session, solved, func.count())
    ((first_now, first_before),) = hours_by_period(
        session,
        select(
            is_current(Case.opened_at, period),
            hours_between(Case.opened_at, Case.first_response_at),
        ).where(in_both(Case.opened_at, period)),
    )
    ((resolved_now, resolved_before),) = hours_by_period(
        session,
        select(
            is_current(Case.solved_at, period), hours_between(Case.opened_at, Case.solved_at)
        ).where(in_both(Case.solved_at, period)),
    )

    def counts(totals, index=0):
        return tuple(int(totals[key][index] or 0) for key in (1, 0))

    opened_counts, breached_counts = counts(opened_totals), counts(opened_totals, 1)
    return [
        make_kpi(
            SECTION,
            "cases_opened",
            pgettext("dashboard", "Cases opened"),
            opened_counts,
            Unit.COUNT,
            False,
        ),
        make_kpi(
            SECTION,
            "cases_solved",
            pgettext("dashboard", "Cases solved"),
            counts(solved_totals),
            Unit.COUNT,
        ),
        make_kpi(
            SECTION,
            "median_case_first_response_hours",
            pgettext("dashboard", "Median first response time"),
            (median(first_now), median(first_before)),
            Unit.HOURS,
            False,
        ),
        make_kpi(
            SECTION,
            "median_case_resolution_hours",
            pgettext("dashboard", "Median resolution time"),
            (median(resolved_now), median(resolved_before)),
            Unit.HOURS,
            False,
        ),
        make_kpi(
            SECTION,
            "sla_breached_pct",
            pgettext("dashboard", "SLA breached"),
            tuple(map(percent, breached_counts, opened_counts)),
            Unit.PERCENT,
            False,
        ),
    ]


def weekly_cases(session: Session, period: Period) -> Table:
    """Cases opened, solved and (of those opened) breached, each week."""
    opened_week = week_start(Case.opened_at)
    opened = session.execute(
        select(opened_week, func.count(), func.sum(flag(breached())))
        .where(in_period(Case.opened_at, period))
        .group_by(opened_week)
    ).all()
    solved_week = week_start(Case.solved_at)
    solved = session.execute(
        select(solved_week, func.count())
        .where(in_period(Case.solved_at, period))
        .group_by(solved_week)
    ).all()
    return Table(
        "weekly_cases",
        pgettext("dashboard", "Cases per week"),
        # Cases, not questions: the context lets French write "résolus", not "résolues".
        (
            pgettext("dashboard", "Week"),
            pgettext("dashboard cases", "Opened"),
            pgettext("dashboard cases", "Solved"),
            pgettext("dashboard cases", "Breached"),
        ),
        weekly_rows(
            period,
            {as_date(week): n for week, n, _ in opened},
            {as_date(week): n for week, n in solved},
            {as_date(week): late for week, _, late in opened},
        ),
        ChartKind.LINE,
        SECTION,
        note=_(
            "Weeks start on Monday (UTC). Breached counts the cases opened that week that "
            "missed a first-response or resolution target. The first and last weeks count "
            "only the days inside the period, so they can look low."
        ),
    )


def last_solver():
    """SQL: who solved the case the last time (its last "solved" event), else its assignee."""
    solver = (
        select(CaseEvent.actor_id)
        .where(CaseEvent.case_id == Case.id, CaseEvent.kind == EventKind.SOLVED.value)
        .order_by(CaseEvent.id.desc())
        .limit(1)
        .correlate(Case)
        .scalar_subquery()
    )
    return func.coalesce(solver, Case.assignee_id)


def _by_agent(session: Session, agent_id, where, limit: int = 15) -> tuple[tuple, ...]:
    count = func.count(Case.id)
    rows = session.execute(
        select(User.display_name, User.username, count)
        .select_from(Case)
        .outerjoin(User, User.id == agent_id)
        .where(where)
        .group_by(User.id, User.display_name, User.username)
        .order_by(count.desc(), User.username.asc().nulls_last())  # "Unassigned" last
        .limit(limit)
    )
    unassigned = pgettext("dashboard", "Unassigned")
    return tuple((display or username or unassigned, int(n)) for display, username, n in rows)


def cases_by_agent(session: Session, period: Period) -> Table:
    """Cases solved in the period, by the agent who solved them."""
    return Table(
        "cases_by_agent",
        pgettext("dashboard", "Solved cases by agent"),
        (pgettext("dashboard", "Agent"), pgettext("dashboard", "Solved cases")),
        _by_agent(session, last_solver(), in_period(Case.solved_at, period)),
        ChartKind.BAR,
        SECTION,
        note=_("By the agent who solved the case the last time, whoever it was assigned to."),
    )


def open_cases_by_agent(session: Session) -> Table:
    """The cases waiting now (new, open, pending), by assignee: today's load, any period."""
    return Table(
        "cases_by_agent_open",
        pgettext("dashboard", "Open cases by agent, now"),
        (pgettext("dashboard", "Agent"), pgettext("dashboard", "Open cases")),
        _by_agent(session, Case.assignee_id, Case.status.in_(ACTIVE_STATUSES)),
        ChartKind.BAR,
        SECTION,
        note=_("Today's queue, whatever the period."),
    )
