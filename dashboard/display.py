"""The dashboard page's shape: KPI cards and tables grouped by section, ready to render.

The template only loops: a new KPI or table from the metrics appears under its section
without a template change, and a section nobody named yet still gets a heading. The
sentences written here (a KPI's change, the period) are in the viewer's language.
"""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import pgettext
from markupsafe import Markup

from dashboard.charts import chart_for
from dashboard.definitions import definition_keys
from dashboard.formatting import day_element, format_cell, format_value
from dashboard.results import DEFAULT_DAYS, PRESET_DAYS, Dashboard, Kpi, Period, Table
from portal.inputs import parse_id

OTHER_SECTION = "more"


def section_titles() -> dict[str, str]:
    """Each section's heading (the definitions page names its groups with the same words)."""
    return {
        "community": pgettext("dashboard", "Community"),
        "cases": pgettext("dashboard", "Cases and SLA"),
        "deflection": pgettext("dashboard", "Deflection and savings"),
        "satisfaction": pgettext("dashboard", "Satisfaction"),
        "kb": pgettext("dashboard", "Knowledge base"),
        "members": pgettext("dashboard", "Members"),
        "proactive": pgettext("dashboard", "Proactive care"),
        OTHER_SECTION: pgettext("dashboard", "More"),
    }


@dataclass(frozen=True)
class Change:
    """How a KPI moved since the previous period, in words and as an arrow."""

    arrow: str  # "▲", "▼", "=" or "" when there is nothing to compare
    text: str  # "Up from 2.8 h", "Previous period: no data"
    tone: str  # "better", "worse" or "neutral": the CSS class (the template puts it in words)


@dataclass(frozen=True)
class KpiCard:
    kpi: Kpi
    value: str
    change: Change
    has_definition: bool


@dataclass(frozen=True)
class TableView:
    table: Table
    chart: Markup | None
    rows: list[list[str]]
    numeric: list[bool]  # per column: right-aligned, so digits line up
    has_definition: bool

    @property
    def wide(self) -> bool:
        """A table of three columns or more, without a chart, gets the page's full width."""
        return self.chart is None and len(self.table.columns) >= 3


@dataclass
class Section:
    key: str
    title: str
    cards: list[KpiCard] = field(default_factory=list)
    tables: list[TableView] = field(default_factory=list)


def compare(kpi: Kpi) -> Change:
    """The change since the previous period, judged by whether higher is better."""
    current, before = kpi.value, kpi.previous
    before_text = format_value(before, kpi.unit)
    if current is None or before is None:
        return Change("", _("Previous period: %(value)s", value=before_text), "neutral")
    if format_value(current, kpi.unit) == before_text or current == before:
        return Change(
            "=", _("Same as the previous period (%(value)s)", value=before_text), "neutral"
        )
    went_up = current > before
    better = went_up == kpi.higher_is_better
    if went_up:
        text = _("Up from %(value)s", value=before_text)
    else:
        text = _("Down from %(value)s", value=before_text)
    return Change("▲" if went_up else "▼", text, "better" if better else "worse")


def kpi_card(kpi: Kpi) -> KpiCard:
    has_definition = kpi.key in definition_keys()
    return KpiCard(kpi, format_value(kpi.value, kpi.unit), compare(kpi), has_definition)


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def table_view(table: Table) -> TableView:
    rows = [[format_cell(value) for value in row] for row in table.rows]
    numeric = [
        index > 0 and any(_is_number(row[index]) for row in table.rows)
        for index in range(len(table.columns))
    ]
    return TableView(table, chart_for(table), rows, numeric, table.key in definition_keys())


def sections(dashboard: Dashboard) -> list[Section]:
    """KPIs and tables under their sections, in the order the metrics list them."""
    grouped: dict[str, Section] = {}
    titles = section_titles()

    def section(key: str) -> Section:
        key = key or OTHER_SECTION
        if key not in grouped:
            grouped[key] = Section(key, titles.get(key, key.replace("_", " ").title()))
        return grouped[key]

    for kpi in dashboard.kpis:
        section(kpi.section).cards.append(kpi_card(kpi))
    for table in dashboard.tables:
        section(table.section).tables.append(table_view(table))
    return list(grouped.values())


def describe_period(period: Period) -> Markup:
    """1 May 2025 – 30 May 2025 (both days included), each day a <time> element."""
    if period.first_day == period.last_day:
        return day_element(period.first_day)
    return Markup("{} – {}").format(day_element(period.first_day), day_element(period.last_day))


def chosen_preset(args) -> int | None:
    """The 7/30/90 link to mark as current, None for a custom range."""
    if args.get("from") or args.get("to"):
        return None
    days_text = (args.get("days") or "").strip()
    if not days_text:
        return DEFAULT_DAYS
    days = parse_id(days_text)
    return days if days in PRESET_DAYS else None


def date_input_type(typed: str) -> str:
    """A date picker, unless the typed text is not a date: a text box then shows it as is."""
    try:
        date.fromisoformat(typed)
    except ValueError:
        return "text" if typed.strip() else "date"
    return "date"


def period_args(period: Period, preset: int | None) -> dict[str, str | int]:
    """The query arguments that ask for this period again (for export links)."""
    if preset is not None:
        return {"days": preset}
    return {"from": period.first_day.isoformat(), "to": period.last_day.isoformat()}
