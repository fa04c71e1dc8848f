"""What the dashboard shows, as plain values: periods, KPIs and tables.

``metrics.build_dashboard(period)`` fills these; the views, the SVG charts and the CSV
export only read them. Keeping them free of SQLAlchemy lets each side be tested alone.

Numbers stay numbers (formatted for the viewer only when shown, dashboard/formatting.py),
but the words — KPI labels, table titles, column names, notes, the dashboard's own cell
text such as "Unassigned" — are written in the request's language when the metrics build
them, each where its number is defined. A second table of labels keyed by KPI and column
would have to be kept in step with the metrics, and a label kept as an untranslated
message could not carry its gettext context: "Solved" counts questions (feminine in
French) in one table and cases (masculine) in the next. Nothing keeps a Dashboard beyond
its request, so nothing mixes two languages; the numbers are the same in every language
(tests/dashboard/test_i18n.py).
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from flask_babel import gettext as _

from portal.errors import ValidationFailed
from portal.inputs import parse_id

PRESET_DAYS = (7, 30, 90)
DEFAULT_DAYS = 30
MAX_CUSTOM_DAYS = 366 * 2


@dataclass(frozen=True)
class Period:
    """Whole UTC days: ``start`` included, ``end`` excluded."""

    start: datetime
    end: datetime

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def previous(self) -> "Period":
        """The period of the same length just before this one."""
        return Period(self.start - (self.end - self.start), self.start)

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(days=1)).date()


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def preset_period(days: int, today: date) -> Period:
    """The last ``days`` whole days, today included."""
    end = _midnight(today + timedelta(days=1))
    return Period(end - timedelta(days=days), end)


def parse_period(args, today: date) -> Period:
    """The period asked for by query arguments: ``days`` (7/30/90) or ``from`` + ``to``.

    ``from``/``to`` are ISO dates (YYYY-MM-DD), both included. Bad values raise
    ValidationFailed with a message meant for the user.
    """
    start_text, end_text = (args.get("from") or "").strip(), (args.get("to") or "").strip()
    if start_text or end_text:
        try:
            first = date.fromisoformat(start_text)
            last = date.fromisoformat(end_text)
        except ValueError:
            raise ValidationFailed(
                _("Dates must be written YYYY-MM-DD, with both a start and an end date."),
                field="from",
            ) from None
        if last < first:
            raise ValidationFailed(_("The end date is before the start date."), field="to")
        if last > today:
            raise ValidationFailed(_("The end date is in the future."), field="to")
        if (last - first).days + 1 > MAX_CUSTOM_DAYS:
            raise ValidationFailed(
                _("Choose a period of at most %(days)d days.", days=MAX_CUSTOM_DAYS),
                field="from",
            )
        return Period(_midnight(first), _midnight(last + timedelta(days=1)))
    days_text = (args.get("days") or "").strip()
    if not days_text:
        return preset_period(DEFAULT_DAYS, today)
    days = parse_id(days_text)
    if days not in PRESET_DAYS:
        raise ValidationFailed(_("Choose 7, 30 or 90 days, or a custom range."), field="days")
    return preset_period(days, today)


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"  # 0–100
    HOURS = "hours"
    MONEY = "money"  # in the currency of the cost settings
    SCORE = "score"  # e.g. CSAT average 1–5, NPS −100…100


@dataclass(frozen=True)
class Kpi:
    """One number of the period, with the same number for the previous period.

    ``value`` is None when the period has no data for it (e.g. a median of no cases):
    the page shows "no data", never 0 % or an error.
    """

    key: str  # stable id, also the anchor of its entry on the definitions page
    label: str  # in the request's language
    value: float | None
    previous: float | None
    unit: Unit
    section: str  # "community", "cases", "deflection", "satisfaction", "kb", "members"
    higher_is_better: bool = True


class ChartKind(StrEnum):
    NONE = "none"  # a table only
    LINE = "line"  # first column: week start (date); other columns: one series each
    BAR = "bar"  # first column: label; second column: the bar's value


@dataclass(frozen=True)
class Table:
    """Rows to chart, show as an accessible table and export as CSV (``key``.csv)."""

    key: str
    title: str  # title, column names and note in the request's language
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    chart: ChartKind = ChartKind.NONE
    section: str = ""
    note: str = ""  # e.g. "needs a holdout: PORTAL_SEARCH_HOLDOUT_PERCENT"


@dataclass(frozen=True)
class Dashboard:
    period: Period
    previous: Period
    kpis: tuple[Kpi, ...]
    tables: tuple[Table, ...]
    notes: tuple[str, ...] = field(default=())

    def table(self, key: str) -> Table | None:
        return next((table for table in self.tables if table.key == key), None)
