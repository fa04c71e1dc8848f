"""SLA arithmetic: due times per priority, and whether a target is met, at risk or breached."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

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


def time_left(due: datetime, now: datetime) -> str:
    """'2 h 05 min left' or '3 h 10 min overdue', for queue views."""
    seconds = int((due - now).total_seconds())
    minutes = abs(seconds) // 60
    days, hours, minutes = minutes // 1440, (minutes % 1440) // 60, minutes % 60
    text = (
        f"{days} d {hours} h"
        if days
        else f"{hours} h {minutes:02d} min"
        if hours
        else f"{minutes} min"
    )
    return f"{text} left" if seconds >= 0 else f"{text} overdue"
