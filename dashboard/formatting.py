"""How the dashboard's numbers read: units, rounding and "no data", in one place.

The cards, the tables under the charts and the chart labels all use these, so a value
reads the same wherever it appears. CSV export does not: it writes plain numbers.
"""

from datetime import date, datetime

from dashboard.results import Unit

NO_DATA = "no data"
EMPTY_CELL = "—"
# The assisted and self-service cost settings are dollars (defaults $8.01 and $0.10).
CURRENCY_SYMBOL = "$"
# Keeps "41 %" and "3.4 h" on one line when a card is narrow.
NBSP = "\u00a0"


def format_number(value: float, decimals: int = 1) -> str:
    """1,234 for whole numbers, 3.4 otherwise: at most ``decimals`` places, no trailing 0."""
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def format_value(value: float | None, unit: Unit) -> str:
    """A KPI value as a reader expects it: 1,234 · 41.5 % · 3.4 h · $1,234 · 4.2."""
    if value is None:
        return NO_DATA
    if unit is Unit.COUNT:
        return format_number(value, decimals=0)
    if unit is Unit.PERCENT:
        return f"{format_number(value)}{NBSP}%"
    if unit is Unit.HOURS:
        return f"{format_number(value)}{NBSP}h"
    if unit is Unit.MONEY:
        sign = "-" if round(value) < 0 else ""
        return f"{sign}{CURRENCY_SYMBOL}{abs(value):,.0f}"
    return format_number(value)


def format_day(day: date | datetime) -> str:
    """5 May 2025: day first and the month in words, so no reader mistakes the order."""
    return f"{day.day} {day:%b %Y}"


def format_cell(value) -> str:
    """One cell of a dashboard table, for reading (CSV keeps raw values)."""
    if value is None:
        return EMPTY_CELL
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, date):
        return format_day(value)
    return str(value)
