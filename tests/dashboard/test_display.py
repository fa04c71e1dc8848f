"""How numbers read on the dashboard: units, "no data", changes in words, sections."""

from datetime import UTC, date, datetime

import pytest

from dashboard import display
from dashboard.formatting import format_cell, format_value
from dashboard.results import ChartKind, Dashboard, Kpi, Period, Table, Unit

NBSP = "\u00a0"


@pytest.mark.parametrize(
    "value, unit, shown",
    [
        (1234, Unit.COUNT, "1,234"),
        (0, Unit.COUNT, "0"),
        (41.46, Unit.PERCENT, "41.5%"),
        (100.0, Unit.PERCENT, "100%"),
        (3.42, Unit.HOURS, f"3.4{NBSP}h"),
        (0.04, Unit.HOURS, f"0{NBSP}h"),
        (1234.4, Unit.MONEY, "$1,234"),
        (-12.6, Unit.MONEY, "-$13"),
        (4.25, Unit.SCORE, "4.2"),
        (-20, Unit.SCORE, "-20"),
        (None, Unit.PERCENT, "no data"),
        (None, Unit.COUNT, "no data"),
    ],
)
def test_values_read_by_unit(value, unit, shown):
    assert format_value(value, unit) == shown


@pytest.mark.parametrize(
    "value, shown",
    [
        (None, "—"),
        (12000, "12,000"),
        (2.0, "2"),
        (date(2025, 5, 5), '<time datetime="2025-05-05">5 May 2025</time>'),
        ("<b>", "<b>"),
    ],
)
def test_table_cells(value, shown):
    assert format_cell(value) == shown


def kpi(value, previous, higher_is_better=True, unit=Unit.HOURS):
    return Kpi("k", "K", value, previous, unit, "cases", higher_is_better)


@pytest.mark.parametrize(
    "kpi, arrow, text, tone",
    [
        (kpi(5, 3), "▲", f"Up from 3{NBSP}h", "better"),
        (kpi(5, 3, higher_is_better=False), "▲", f"Up from 3{NBSP}h", "worse"),
        (kpi(2, 3, higher_is_better=False), "▼", f"Down from 3{NBSP}h", "better"),
        (kpi(2, 3), "▼", f"Down from 3{NBSP}h", "worse"),
        (kpi(3.01, 3.04), "=", f"Same as the previous period (3{NBSP}h)", "neutral"),
        (kpi(None, 3), "", f"Previous period: 3{NBSP}h", "neutral"),
        (kpi(3, None), "", "Previous period: no data", "neutral"),
    ],
)
def test_change_since_the_previous_period(kpi, arrow, text, tone):
    assert display.compare(kpi) == display.Change(arrow, text, tone)


def test_sections_keep_the_metrics_order_and_name_unknown_ones():
    period = Period(datetime(2025, 5, 1, tzinfo=UTC), datetime(2025, 5, 8, tzinfo=UTC))
    dashboard = Dashboard(
        period, period.previous(),
        kpis=(
            Kpi("cases_opened", "Cases opened", 3, 2, Unit.COUNT, "cases"),
            Kpi("questions_asked", "Questions", 3, 2, Unit.COUNT, "community"),
            Kpi("x", "X", 1, 1, Unit.COUNT, "new_things"),
        ),
        tables=(Table("loose", "Loose", ("A",), ()), Table("t", "T", ("A",), (), section="cases")),
    )  # fmt: skip
    sections = display.sections(dashboard)
    assert [(s.key, s.title) for s in sections] == [
        ("cases", "Cases and SLA"), ("community", "Community"), ("new_things", "New Things"),
        ("more", "More"),
    ]  # fmt: skip
    assert [view.table.key for view in sections[0].tables] == ["t"]


@pytest.mark.parametrize(
    "args, preset",
    [({}, 30), ({"days": "7"}, 7), ({"days": "90"}, 90), ({"days": "8"}, None),
     ({"from": "2025-01-01", "to": "2025-01-02"}, None)],
)  # fmt: skip
def test_chosen_preset(args, preset):
    assert display.chosen_preset(args) == preset


@pytest.mark.parametrize(
    "typed, kind", [("", "date"), ("2025-01-31", "date"), ("2025-02-30", "text"), ("soon", "text")]
)
def test_a_date_that_is_not_one_is_shown_as_typed(typed, kind):
    assert display.date_input_type(typed) == kind


def test_columns_with_numbers_are_numeric_and_plain_wide_tables_span_the_page():
    rows = (("Community", 0, None, "—"), ("Agent", 3, 66.7, "n/a"))
    table = Table("by_channel", "By channel", ("Solved by", "Surveys", "CSAT %", "Note"), rows)
    view = display.table_view(table)
    assert view.numeric == [False, True, True, False]
    assert view.rows[0] == ["Community", "0", "—", "—"] and view.wide and view.chart is None
    charted = Table("t", "T", ("Tag", "Questions", "Solved"), (("Wi-Fi", 2, 1),), ChartKind.BAR)
    assert not display.table_view(charted).wide
