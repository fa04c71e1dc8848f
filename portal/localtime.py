"""Times are stored in UTC and shown in the viewer's zone: the one place that formats them.

Pages use the ``localtime`` filter (``{{ post.created_at|localtime }}``, or
``|localtime("date")``): a ``<time>`` element whose text is in the signed-in user's saved
zone, or in UTC with the "UTC" label when none is saved — then portal/static/localtime.js
rewrites it into the browser's zone. Plain text (e-mails, messages on a page) uses
``format_time(value, user.time_zone)``. Relative times ("2 h left") stay relative.

Both write in the language of the page (or of the e-mail's recipient, under
``force_locale``), through Babel's patterns for it: "15 Jan 2025, 13:00 CET",
"15 janv. 2025, 13:00 CET". The zone's abbreviation comes from the tz database, the same
in every language.
"""

from datetime import UTC, date, datetime
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from flask import has_app_context, has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from portal.errors import ValidationFailed

TIME_ZONE_MAX = 64
# Whose conventions dates follow in each language of the site: English pages write the day
# first and a 24-hour clock, as the portal always has (localtime.js does the same).
DATE_LOCALES = {"en": "en_GB"}


@cache
def known_time_zones() -> frozenset[str]:
    """Every IANA zone this machine knows (the system's tz database or tzdata)."""
    return frozenset(available_timezones())


@cache
def time_zone_names() -> tuple[str, ...]:
    """The known zones, sorted: the settings page's choices."""
    return tuple(sorted(known_time_zones()))


def clean_time_zone(name: str | None) -> str | None:
    """A zone to save: a known IANA name, or None for "detect from my browser"."""
    name = (name or "").strip()
    if not name:
        return None
    if len(name) > TIME_ZONE_MAX or name not in known_time_zones():
        raise ValidationFailed(
            _(
                "“%(name)s” is not a time zone we know. Choose one from the list, or “Detect "
                "from my browser”.",
                name=name[:TIME_ZONE_MAX],
            ),
            field="time_zone",
        )
    return name


def _zone(name: str | None) -> ZoneInfo | None:
    # A saved zone that tzdata later drops falls back to UTC instead of breaking pages.
    if not name or name not in known_time_zones():
        return None
    return ZoneInfo(name)


def as_utc(value: datetime) -> datetime:
    """Aware in UTC; a naive value is taken as UTC (what the database stores)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def date_locale() -> Locale:
    """The Babel locale whose date patterns this page (or e-mail) follows."""
    locale = get_locale() if has_app_context() else None
    return _date_locale(str(locale) if locale else "en")


@cache
def _date_locale(code: str) -> Locale:
    return Locale.parse(DATE_LOCALES.get(code, code))


@cache
def _patterns(locale: Locale) -> dict[str, str]:
    """The language's medium day ("15 Jan 2025", "15 janv. 2025") and 24-hour time,
    joined as the language joins them ("{1}, {0}")."""
    day = locale.datetime_skeletons.get("yMMMd") or locale.date_formats["medium"]
    day = getattr(day, "pattern", day)
    return {"date": day, "datetime": locale.datetime_formats["medium"].format("HH:mm", day)}


def format_time(
    value: datetime | date | None, zone_name: str | None, style: str = "datetime"
) -> str:
    """'15 Jan 2025, 13:00 CET' in the zone, or '15 Jan 2025, 12:00 UTC' without one, in
    the current language ('15 janv. 2025, 13:00 CET')."""
    if value is None:
        return ""
    locale = date_locale()
    patterns = _patterns(locale)
    if not isinstance(value, datetime):  # a calendar day has no zone to convert
        return babel_format_date(value, patterns["date"], locale=locale)
    zone = _zone(zone_name)
    local = as_utc(value).astimezone(zone) if zone else as_utc(value)
    if style == "date":
        return babel_format_date(local.date(), patterns["date"], locale=locale)
    text = babel_format_datetime(local, patterns["datetime"], tzinfo=local.tzinfo, locale=locale)
    return f"{text} {local:%Z}" if zone else f"{text} UTC"


def viewer_time_zone() -> str | None:
    """The signed-in viewer's saved zone, None for visitors and "detect"."""
    if not has_request_context() or not current_user.is_authenticated:
        return None
    return current_user.time_zone


def localtime(value: datetime | date | None, style: str = "datetime") -> Markup:
    """The Jinja filter: a <time> element in the viewer's zone, the exact UTC time as title.

    Without a saved zone the element carries data-localize, and localtime.js shows it in
    the browser's zone; the UTC text stays for readers without JavaScript.
    """
    if value is None:
        return Markup("")
    locale = get_locale() if has_app_context() else None
    return _time_element(value, viewer_time_zone(), style, str(locale) if locale else "en")


# A list page shows ~40 times: formatting each through Babel was a fifth of its CPU time
# (issue #22). The element depends on nothing else, so the same time is formatted once.
@lru_cache(maxsize=16384)
def _time_element(value: datetime | date, zone_name: str | None, style: str, _locale: str):
    if not isinstance(value, datetime):
        return Markup('<time datetime="{}">{}</time>').format(
            value.isoformat(), format_time(value, None)
        )
    utc = as_utc(value)
    localize = Markup("") if _zone(zone_name) else Markup(' data-localize="{}"').format(style)
    return Markup('<time datetime="{}" title="{}"{}>{}</time>').format(
        utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        format_time(utc, None),
        localize,
        format_time(utc, zone_name, style),
    )


def init_app(app) -> None:
    """The filter, under its name and the two older ones templates may still use."""
    app.add_template_filter(localtime, "localtime")
    app.add_template_filter(localtime, "datetime")
    app.add_template_filter(lambda value: localtime(value, "date"), "date")
    app.jinja_env.globals["viewer_time_zone"] = viewer_time_zone
