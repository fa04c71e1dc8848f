"""Case KPIs: opened, solved, response and resolution times, SLA breaches, per agent.

How a case's life is read from its row:

* **Opened** once, at ``opened_at``. Reopening (moderation.cases.service: status back to open,
  a "Reopened" status event) keeps the same row, so a reopened case is never opened twice.
* **Solved** at ``solved_at``: a reopening clears it and the next solve sets it again, so
  it is always the *last* solve. A case reopened and not solved again is not solved; a
  case closed without being solved never counts as solved.
* **First response** at ``first_response_at`` (the first public or private reply, or the
  solve when an agent solved without replying).
* **SLA breached**: the first response, or the resolution (the last solve, or the close of
  a case closed unsolved), came after its due time, or is still missing after its due time
  at ``now``. Due times are the stored ones (a priority change moves them).

Counts and first-response times look at the cases *opened* in the period; cases solved
and resolution times at the cases *solved* in the period — a resolution time runs from the
opening to the last solve, time spent reopened included.
"""

from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from dashboard.metrics_sql import (
    PARTIAL_WEEKS_NOTE,
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
from moderation.cases.models import Case
from moderation.cases.routing import ACTIVE_STATUSES
from portal.models import User

SECTION = "cases"
UNASSIGNED = "Unassigned"


def _late(done, due, now: datetime):
    """SQL: done after its due time, or not done and past it."""
    return or_(and_(done.is_not(None), done > due), and_(done.is_(None), due < now))


def breached(now: datetime):
    """SQL: the case missed its first-response or its resolution target (see above)."""
    first_response = func.coalesce(Case.first_response_at, Case.closed_at)
    resolution = func.coalesce(Case.solved_at, Case.closed_at)
    return or_(
        _late(first_response, Case.first_response_due, now),
        _late(resolution, Case.resolution_due, now),
    )


def case_kpis(session: Session, period: Period, now: datetime) -> list[Kpi]:
    """Cases opened and solved, median first response and resolution, % SLA breached."""
    opened = (
        select(
            is_current(Case.opened_at, period).label("is_current"),
            flag(breached(now)).label("breached"),
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
        make_kpi(SECTION, "cases_opened", "Cases opened", opened_counts, Unit.COUNT, False),
        make_kpi(SECTION, "cases_solved", "Cases solved", counts(solved_totals), Unit.COUNT),
        make_kpi(
            SECTION,
            "median_case_first_response_hours",
            "Median first response time",
            (median(first_now), median(first_before)),
            Unit.HOURS,
            False,
        ),
        make_kpi(
            SECTION,
            "median_case_resolution_hours",
            "Median resolution time",
            (median(resolved_now), median(resolved_before)),
            Unit.HOURS,
            False,
        ),
        make_kpi(
            SECTION,
            "sla_breached_pct",
            "SLA breached",
            tuple(map(percent, breached_counts, opened_counts)),
            Unit.PERCENT,
            False,
        ),
    ]


def weekly_cases(session: Session, period: Period, now: datetime) -> Table:
    """Cases opened, solved and (of those opened) breached, each week."""
    opened_week = week_start(Case.opened_at)
    opened = session.execute(
        select(opened_week, func.count(), func.sum(flag(breached(now))))
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
        "Cases per week",
        ("Week", "Opened", "Solved", "Breached"),
        weekly_rows(
            period,
            {as_date(week): n for week, n, _ in opened},
            {as_date(week): n for week, n in solved},
            {as_date(week): late for week, _, late in opened},
        ),
        ChartKind.LINE,
        SECTION,
        note="Weeks start on Monday (UTC). Breached counts the cases opened that week that "
        "missed a first-response or resolution target. " + PARTIAL_WEEKS_NOTE,
    )


def _by_assignee(session: Session, where, limit: int = 15) -> tuple[tuple, ...]:
    count = func.count(Case.id)
    rows = session.execute(
        select(User.display_name, User.username, count)
        .select_from(Case)
        .outerjoin(User, User.id == Case.assignee_id)
        .where(where)
        .group_by(User.id, User.display_name, User.username)
        .order_by(count.desc(), User.username.asc().nulls_last())  # "Unassigned" last
        .limit(limit)
    )
    return tuple((display or username or UNASSIGNED, int(n)) for display, username, n in rows)


def cases_by_agent(session: Session, period: Period) -> Table:
    """Cases solved in the period, by the agent the case is assigned to."""
    return Table(
        "cases_by_agent",
        "Solved cases by agent",
        ("Agent", "Solved cases"),
        _by_assignee(session, in_period(Case.solved_at, period)),
        ChartKind.BAR,
        SECTION,
        note="By the case's assignee; a case solved without one counts as unassigned.",
    )


def open_cases_by_agent(session: Session) -> Table:
    """The cases waiting now (new, open, pending), by assignee: today's load, any period."""
    return Table(
        "cases_by_agent_open",
        "Open cases by agent, now",
        ("Agent", "Open cases"),
        _by_assignee(session, Case.status.in_(ACTIVE_STATUSES)),
        ChartKind.BAR,
        SECTION,
        note="Today's queue, whatever the period.",
    )
