"""Proactive care (proactive/): surge alerts, how fast they came, contacts the known-issue
banners deflected and cases solved through a known issue.

  surge_alerts_raised            surge alerts raised in the period (one per surge)
  median_surge_alert_hours       surge's first item → its alert, alerts raised in the period
  known_issue_deflected          browser flows that opened a known issue's status page from a
                                 banner in the period and then did not contact support: they
                                 said "no need to write", or sent no question or request
                                 within DEFLECTION_WINDOW_HOURS of the opening (a window still
                                 open is not counted yet)
  cases_solved_via_known_issue   linked cases solved together with their known issue
"""

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import pgettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.metrics_sql import in_both, is_current, make_kpi, median
from dashboard.results import Kpi, Period, Unit
from proactive.banners import DOC_KEY_PREFIX
from proactive.models import KnownIssueLink, SurgeAlert
from search.deflection import CONTACT_STEPS
from search.models import DeflectionEvent, FlowStep

SECTION = "proactive"


def proactive_kpis(session: Session, period: Period, now: datetime) -> list[Kpi]:
    """The four numbers of proactive care, for the period and the one before."""
    alerts = session.execute(
        select(SurgeAlert.raised_at, SurgeAlert.first_item_at).where(
            in_both(SurgeAlert.raised_at, period)
        )
    ).all()
    counts, delays = {0: 0, 1: 0}, {0: [], 1: []}
    for raised_at, first_at in alerts:
        current = int(raised_at >= period.start)
        counts[current] += 1
        delays[current].append((raised_at - first_at).total_seconds() / 3600)
    solved = dict(
        session.execute(
            select(is_current(KnownIssueLink.solved_at, period).label("c"), func.count())
            .where(in_both(KnownIssueLink.solved_at, period))
            .group_by("c")
        ).all()
    )
    deflected = _deflected_by_banners(session, period, now)
    label = pgettext
    return [
        make_kpi(SECTION, "surge_alerts_raised", label("dashboard", "Surge alerts raised"),
                 (counts[1], counts[0]), Unit.COUNT, higher_is_better=False),
        make_kpi(SECTION, "median_surge_alert_hours",
                 label("dashboard", "Median time from a surge's first post to its alert"),
                 (median(delays[1]), median(delays[0])), Unit.HOURS, higher_is_better=False),
        make_kpi(SECTION, "known_issue_deflected",
                 label("dashboard", "Contacts deflected by known-issue banners"),
                 (deflected[1], deflected[0]), Unit.COUNT),
        make_kpi(SECTION, "cases_solved_via_known_issue",
                 label("dashboard", "Cases solved through a known issue"),
                 (solved.get(1, 0), solved.get(0, 0)), Unit.COUNT),
    ]  # fmt: skip


def _deflected_by_banners(session: Session, period: Period, now: datetime) -> dict[int, int]:
    """Per period (1: this one, 0: the one before): flows deflected through a banner."""
    window = timedelta(hours=float(current_app.config["DEFLECTION_WINDOW_HOURS"]))
    opened = session.execute(
        select(DeflectionEvent.session_id, func.min(DeflectionEvent.created_at))
        .where(
            DeflectionEvent.doc_key.like(f"{DOC_KEY_PREFIX}%"),
            DeflectionEvent.step == FlowStep.OPENED.value,
            in_both(DeflectionEvent.created_at, period),
        )
        .group_by(DeflectionEvent.session_id)
    ).all()
    result = {0: 0, 1: 0}
    if not opened:
        return result
    steps: dict[str, list] = {}
    for sid, step, at, key in session.execute(
        select(
            DeflectionEvent.session_id,
            DeflectionEvent.step,
            DeflectionEvent.created_at,
            DeflectionEvent.doc_key,
        ).where(DeflectionEvent.session_id.in_([sid for sid, _at in opened]))
    ):
        steps.setdefault(sid, []).append((step, at, key or ""))
    for sid, first in opened:
        events = steps.get(sid, [])
        said_so = any(
            s == FlowStep.SOLVED.value and k.startswith(DOC_KEY_PREFIX) for s, _a, k in events
        )
        contacted = any(s in CONTACT_STEPS and first <= a <= first + window for s, a, _k in events)
        if said_so or (not contacted and now >= first + window):
            result[int(first >= period.start)] += 1
    return result
