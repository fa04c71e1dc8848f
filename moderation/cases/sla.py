"""SLA arithmetic: due times per priority, whether a target is met, at risk or breached,
and the time left said in the reader's language (Babel's units)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from babel.lists import format_list
from babel.units import format_unit
from flask_babel import get_locale, gettext

from moderation.cases.triage import Priority

# Hours to first response and to resolution, per priority; overridden by the SLA_POLICY setting.
DEFAULT_SLA_POLICY = {
    "urgent": {"first_response": 1, "resolution": 8},
    "high": {"first_response": 4, "resolution": 24},
    "normal": {"first_response": 24, "resolution": 72},
    "low": {"first_response": 72, "resolution": 168},
}
# A target is "at risk" once less than this share of its window is left.
AT_RISK_SHARE = 0.25


class SlaState(StrEnum):
    ON_TRACK = "on track"
    AT_RISK = "at risk"
    BREACHED = "breached"
    MET = "met"
    MISSED = "missed"  # done, but after the due time
    PAUSED = "paused"  # the resolution clock waits on the customer (SLA_PAUSE_WHILE_PENDING)


@dataclass(frozen=True)
class SlaDue:
    first_response: datetime
    resolution: datetime


def due_times(opened_at: datetime, priority: Priority, policy: dict = DEFAULT_SLA_POLICY) -> SlaDue:
    """When the first response and the resolution are due for a case opened at opened_at."""
    hours = policy[priority.name.lower()]
    return SlaDue(
        first_response=opened_at + timedelta(hours=hours["first_response"]),
        resolution=opened_at + timedelta(hours=hours["resolution"]),
    )


def sla_state(started: datetime, due: datetime, done: datetime | None, now: datetime) -> SlaState:
    """Where one target stands: met/missed once done, else on track, at risk or breached."""
    if done is not None:
        return SlaState.MET if done <= due else SlaState.MISSED
    if now > due:
        return SlaState.BREACHED
    window = (due - started).total_seconds()
    left = (due - now).total_seconds()
    return SlaState.AT_RISK if window > 0 and left / window < AT_RISK_SHARE else SlaState.ON_TRACK


def duration(delta: timedelta, locale=None) -> str:
    """A duration to the minute in its two largest units, as CLDR writes them in the
    language: "3 days 1 hr" / "3 j 1 h", "2 hr 5 min" / "2 h 5 min", "40 min".

    Babel's format_unit, not format_timedelta: the latter rounds to one unit ("1 hour" for
    59 minutes, "2 months" for 45 days), and an agent needs the minutes.
    """
    minutes = abs(int(delta.total_seconds())) // 60
    days, hours, minutes = minutes // 1440, (minutes % 1440) // 60, minutes % 60
    if days:
        units = [(days, "duration-day"), (hours, "duration-hour")]
    else:
        units = [(hours, "duration-hour"), (minutes, "duration-minute")]
    parts = [
        format_unit(amount, unit, length="short", locale=locale) for amount, unit in units if amount
    ] or [format_unit(0, "duration-minute", length="short", locale=locale)]
    return format_list(parts, style="unit-narrow", locale=locale)


def time_left(remaining: timedelta) -> str:
    """ "2 hr 5 min left" or "overdue by 3 hr 10 min", in the reader's language."""
    locale = get_locale() or "en"
    text = duration(remaining, locale)
    if remaining >= timedelta(0):
        return gettext("%(time)s left", time=text)
    return gettext("overdue by %(time)s", time=text)
