"""SQL building blocks of the dashboard: two periods in one query, hours, weeks, medians.

Each KPI is asked for the period and the period before it in the same query: rows of
both periods are read once and grouped by ``is_current`` (1 for the period, 0 for the
one before). The two SQL functions below are the only dialect-specific SQL; each has a
SQLite and a PostgreSQL spelling, so every query runs unchanged on both.
"""

import statistics
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import Float, and_, case, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import FunctionElement

from dashboard.results import Kpi, Period, Unit
from portal.permissions import Role

# The paid support side. Everyone else (customers, super-users, moderators) is "the
# community" in the community-vs-agent split, so the two shares always add up to 100 %.
AGENT_ROLES = (Role.AGENT.value, Role.ADMIN.value)


class hours_between(FunctionElement):  # noqa: N801 - used like a SQL function
    """SQL: hours from the first timestamp to the second, as a float."""

    type = Float()
    name = "hours_between"
    inherit_cache = True


@compiles(hours_between)
def _hours_between_postgresql(element, compiler, **kw) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(EXTRACT(EPOCH FROM ({end} - {start})) / 3600.0 AS DOUBLE PRECISION)"


@compiles(hours_between, "sqlite")
def _hours_between_sqlite(element, compiler, **kw) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 24.0)"


class week_start(FunctionElement):  # noqa: N801 - used like a SQL function
    """SQL: the Monday (UTC) of a timestamp's week; a date, or ISO text on SQLite."""

    name = "week_start"
    inherit_cache = True


@compiles(week_start)
def _week_start_postgresql(element, compiler, **kw) -> str:
    (value,) = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(date_trunc('week', {value} AT TIME ZONE 'UTC') AS DATE)"


@compiles(week_start, "sqlite")
def _week_start_sqlite(element, compiler, **kw) -> str:
    # SQLite keeps UTC text; 'weekday 0' moves on to Sunday, 6 days back is its Monday.
    # The day is cut from the text first: date() itself rounds to the millisecond, which
    # moved Sunday 23:59:59.9995 into the next week.
    (value,) = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"date(substr({value}, 1, 10), 'weekday 0', '-6 days')"


def in_both(column, period: Period):
    """SQL: the timestamp falls in the previous period or in the period."""
    return and_(column >= period.previous().start, column < period.end)


def in_period(column, period: Period):
    return and_(column >= period.start, column < period.end)


def is_current(column, period: Period):
    """SQL: 1 in the period, 0 before it (use with in_both)."""
    return case((column >= period.start, 1), else_=0)


def flag(condition):
    """SQL: 1 when the condition holds, else 0 (to SUM)."""
    return case((condition, 1), else_=0)


def by_period(session: Session, rows, *aggregates) -> dict[int, tuple]:
    """Aggregate a subquery with an ``is_current`` column: {1: period, 0: previous}.

    Grouping happens outside the subquery: PostgreSQL would not match the CASE of the
    select list with the one of GROUP BY, whose parameters are bound separately.
    """
    empty = tuple(None for _ in aggregates)
    result = {1: empty, 0: empty}
    query = select(rows.c.is_current, *aggregates).group_by(rows.c.is_current)
    for current, *values in session.execute(query):
        result[int(current)] = tuple(values)
    return result


def hours_by_period(session: Session, query) -> list[tuple[list[float], list[float]]]:
    """For each hours column of (is_current, hours, ...) rows: (period, previous) lists.

    Only these few float columns travel to Python, for the medians; empty values are left
    out (a thread with no reply yet has no time to first reply).
    """
    columns = None
    for is_now, *hours in session.execute(query):
        columns = columns or [([], []) for _ in hours]
        for value, (current, previous) in zip(hours, columns, strict=True):
            if value is not None:
                (current if is_now else previous).append(float(value))
    return columns or [([], []) for _ in query.selected_columns[1:]]


def make_kpi(
    section: str, key: str, label: str, values: tuple, unit: Unit, higher_is_better: bool = True
) -> Kpi:
    """A Kpi from a (period, previous) pair of values."""
    value, previous = values
    return Kpi(key, label, value, previous, unit, section, higher_is_better)


def median(values: Iterable[float]) -> float | None:
    values = list(values)
    return statistics.median(values) if values else None


def percent(part, whole) -> float | None:
    """100 × part / whole, None when there is nothing to divide by."""
    return 100.0 * (part or 0) / whole if whole else None


def as_date(value) -> date:
    """A week_start() value as a date (SQLite returns text)."""
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def weeks_of(period: Period) -> list[date]:
    """The Mondays of every week the period touches, the first and last maybe partial."""
    monday = period.first_day - timedelta(days=period.first_day.weekday())
    weeks = []
    while monday <= period.last_day:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def weekly_rows(period: Period, *series: dict) -> tuple[tuple, ...]:
    """(week, n1, n2, ...) for every week of the period; weeks without data get zeros."""
    return tuple(
        (week, *(int(counts.get(week, 0) or 0) for counts in series)) for week in weeks_of(period)
    )
