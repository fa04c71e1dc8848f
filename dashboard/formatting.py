"""How the dashboard's numbers read: units, rounding and "no data", in one place.

The cards, the tables under the charts and the chart labels all use these, so a value
reads the same wherever it appears, in the viewer's language through Babel's patterns
(1,234.5 · 41.5% · $1,234 in English; 1 234,5 · 41,5 % · 1 234 $US in French). CSV
export does not: it writes plain numbers.
"""

import copy
from datetime import date, datetime
from decimal import Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_decimal
from flask import current_app, has_app_context
from flask_babel import get_locale, pgettext
from flask_babel import gettext as _
from markupsafe import Markup, escape

from dashboard.results import Unit

EMPTY_CELL = "—"
# The assisted and self-service cost settings are amounts in this currency (ISO 4217).
DEFAULT_CURRENCY = "USD"
# Day first and the month in words, in both languages, so no reader mistakes the order:
# "5 May 2025", "5 mai 2025" (the portal's dates read the same way).
DAY_PATTERN = "d MMM y"
SHORT_DAY_PATTERN = "d MMM"


def locale() -> Locale:
    """The viewer's locale; English outside a request (unit tests, the shell)."""
    return (get_locale() if has_app_context() else None) or Locale.parse("en")


def currency() -> str:
    """The currency the cost settings are written in (the CURRENCY setting)."""
    if not has_app_context():
        return DEFAULT_CURRENCY
    return current_app.config.get("CURRENCY") or DEFAULT_CURRENCY


def _rounded(value: float, decimals: int) -> Decimal:
    """The value as it will be shown: no "-0" for a small negative number."""
    shown = round(Decimal(str(value)), decimals)
    return Decimal(0) if shown == 0 else shown


def no_data() -> str:
    """What a number with nothing to be computed from shows instead of 0 %."""
    return pgettext("dashboard", "no data")


def format_number(value: float, decimals: int = 1) -> str:
    """1,234 for whole numbers, 3.4 otherwise: at most ``decimals`` places, no trailing 0."""
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(_rounded(value, decimals), pattern, locale=locale())


def _with_fraction(pattern, digits: int):
    """A copy of one of the locale's number patterns showing at most ``digits`` decimals."""
    pattern = copy.copy(pattern)
    pattern.frac_prec = (0, digits)
    return pattern


def format_percent(value: float) -> str:
    """41.5% (English), 41,5 % (French): ``value`` is 0–100, one decimal at most."""
    where = locale()
    pattern = _with_fraction(where.percent_formats[None], 1)
    return pattern.apply(_rounded(value, 1) / 100, where)


def format_money(value: float) -> str:
    """Whole units in the viewer's way of writing money: $1,234 · 1 234 $US · 1 234 €."""
    where = locale()
    pattern = _with_fraction(where.currency_formats["standard"], 0)
    return pattern.apply(_rounded(value, 0), where, currency=currency(), currency_digits=False)


def format_compact(value: float) -> str:
    """20K, 1.5M (English); 20 k, 1,5 M (French): short enough for a chart's axis."""
    return format_compact_decimal(value, format_type="short", fraction_digits=1, locale=locale())


def format_value(value: float | None, unit: Unit) -> str:
    """A KPI value as a reader expects it: 1,234 · 41.5% · 3.4 h · $1,234 · 4.2."""
    if value is None:
        return no_data()
    if unit is Unit.COUNT:
        return format_number(value, decimals=0)
    if unit is Unit.PERCENT:
        return format_percent(value)
    if unit is Unit.HOURS:
        # The no-break space keeps "3.4 h" on one line when a card is narrow.
        return _("%(hours)s\u00a0h", hours=format_number(value))
    if unit is Unit.MONEY:
        return format_money(value)
    return format_number(value)


def format_day(day: date | datetime) -> str:
    """5 May 2025, 5 mai 2025."""
    return format_date(day, DAY_PATTERN, locale=locale())


def format_short_day(day: date | datetime) -> str:
    """5 May, 5 mai: a chart's axis (the year is in the period)."""
    return format_date(day, SHORT_DAY_PATTERN, locale=locale())


def day_element(day: date | datetime) -> Markup:
    """The day for a page: a <time> element that machines read as an ISO date."""
    iso = day.date().isoformat() if isinstance(day, datetime) else day.isoformat()
    return Markup('<time datetime="{}">{}</time>').format(iso, escape(format_day(day)))


def format_cell(value) -> str | Markup:
    """One cell of a dashboard table, for reading (CSV keeps raw values)."""
    if value is None:
        return EMPTY_CELL
    if isinstance(value, bool):
        return pgettext("dashboard", "yes") if value else pgettext("dashboard", "no")
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, date):
        return day_element(value)
    return str(value)
