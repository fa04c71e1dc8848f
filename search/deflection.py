"""Deflection: the anonymous flow id, the holdout, recorded steps and the one deflection rate.

**Deflection rate** (``deflection_rate``). A *flow* is one anonymous browser session that
was shown suggestions (step ``shown``) for the first time within the period. A flow is
*deflected* when the user clicked "this solved my problem" (``solved``), or when they
opened a suggestion (``opened``) and no question or support request (``question`` /
``request``) came from that session between the first opening and
``DEFLECTION_WINDOW_HOURS`` after the last one. A flow whose window is still open and
has neither outcome yet is *pending*: left out of the rate, never counted as a success.
rate = deflected / (flows − pending).

**Counted once, limited per address.** A browser's flow is counted from its first
suggestions (``start_flow``), at most ``DEFLECTION_FLOW_RATE_LIMIT`` new flows per address
(portal/ratelimits.py): a script that drops its cookie to start flow after flow is soon
ignored. Within a counted flow each document is opened and confirmed at most once, and
"solved my problem" counts only for a document this browser opened from a suggestion.
Signals beyond that are not recorded; the reader notices nothing.

**Holdout.** ``SEARCH_HOLDOUT_PERCENT`` of sessions (chosen by a hash of their id) get no
suggestions; their would-be showings are recorded as ``withheld``. The contact rate —
flows that posted a question or a request anyway — of both groups tells whether the
suggestions, not the people, made the difference.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, has_request_context
from flask import session as browser_session
from flask_login import current_user
from sqlalchemy import Row, exists, select
from sqlalchemy.orm import Session, aliased, object_session

from portal import ratelimits
from portal.database import utcnow
from search.models import QUERY_MAX, DeflectionEvent, FlowStep

SESSION_KEY = "search_flow"
OPENED_KEY = "search_opened"  # doc keys this browser opened from a suggestion
COUNTED_KEY = "search_flow_counted"  # this browser's flow started within the address's limit
CONTACT_STEPS = {FlowStep.QUESTION.value, FlowStep.REQUEST.value}
FLOW_STARTS = (FlowStep.SHOWN.value, FlowStep.WITHHELD.value)


def flow_id() -> str:
    """The browser's anonymous flow id (kept in the signed session cookie)."""
    if SESSION_KEY not in browser_session:
        browser_session[SESSION_KEY] = secrets.token_hex(16)
    return browser_session[SESSION_KEY]


def in_holdout(session_id: str, percent: float) -> bool:
    """Whether a session belongs to the holdout group (stable for the session's life)."""
    bucket = int(hashlib.sha256(session_id.encode()).hexdigest()[:8], 16) % 10000
    return bucket < percent * 100


def current_in_holdout() -> bool:
    """Whether this browser gets no suggestions."""
    return in_holdout(flow_id(), float(current_app.config["SEARCH_HOLDOUT_PERCENT"]))


def record(
    session: Session, step: FlowStep, *, doc_key: str | None = None, query_text: str = ""
) -> DeflectionEvent:
    """Record one step of this browser's flow (the caller commits)."""
    sid = flow_id()
    if step is FlowStep.OPENED and doc_key:
        opened = browser_session.get(OPENED_KEY, [])
        browser_session[OPENED_KEY] = [doc_key, *[k for k in opened if k != doc_key]][:20]
    event = DeflectionEvent(
        session_id=sid,
        step=step.value,
        holdout=current_in_holdout(),
        doc_key=doc_key,
        query_text=(query_text or "")[:QUERY_MAX],
        user_id=current_user.id if current_user.is_authenticated else None,
    )
    session.add(event)
    session.flush()
    return event


def start_flow(session: Session, step: FlowStep, query_text: str) -> DeflectionEvent | None:
    """Record suggestions shown (or withheld) to this browser; its first such record starts
    a flow, within the address's DEFLECTION_FLOW_RATE_LIMIT. None when not recorded."""
    if not browser_session.get(COUNTED_KEY):
        bucket = ratelimits.Bucket("DEFLECTION_FLOW_RATE_LIMIT", ratelimits.client_address())
        if not ratelimits.take(bucket):
            return None
        browser_session[COUNTED_KEY] = True
    return record(session, step, query_text=query_text)


def record_once(session: Session, step: FlowStep, doc_key: str) -> DeflectionEvent | None:
    """Record an opening or a "solved my problem" of a counted flow, once per document;
    "solved" only for a document opened from a suggestion. None when not recorded."""
    if not browser_session.get(COUNTED_KEY):
        return None
    if step is FlowStep.SOLVED and not opened_from_suggestion(doc_key):
        return None
    already = session.scalar(
        select(DeflectionEvent.id)
        .where(
            DeflectionEvent.session_id == flow_id(),
            DeflectionEvent.step == step.value,
            DeflectionEvent.doc_key == doc_key,
        )
        .limit(1)
    )
    return None if already else record(session, step, doc_key=doc_key)


def on_post_submitted(sender, post, **data) -> None:
    """A community question asked from a browser that has a flow: it was not deflected."""
    if post.is_question:
        _record_contact(object_session(post), FlowStep.QUESTION)


def on_contact_submitted(sender, session: Session, **data) -> None:
    """A support request sent anyway (the Contact support form)."""
    _record_contact(session, FlowStep.REQUEST)


def _record_contact(session: Session | None, step: FlowStep) -> None:
    # Only browsers that started a flow matter; others were never offered suggestions.
    if session is not None and has_request_context() and SESSION_KEY in browser_session:
        record(session, step)


def opened_from_suggestion(doc_key: str) -> bool:
    """Whether this browser reached the document from a suggestion (shows the solved button)."""
    return doc_key in browser_session.get(OPENED_KEY, [])


@dataclass
class DeflectionReport:
    """The numbers behind the deflection rate, for one period."""

    flows: int = 0
    opened: int = 0
    confirmed: int = 0
    deflected: int = 0
    pending: int = 0
    contacted: int = 0
    holdout_flows: int = 0
    holdout_contacted: int = 0

    @property
    def rate(self) -> float | None:
        decided = self.flows - self.pending
        return self.deflected / decided if decided else None

    @property
    def contact_rate(self) -> float | None:
        return self.contacted / self.flows if self.flows else None

    @property
    def holdout_contact_rate(self) -> float | None:
        return self.holdout_contacted / self.holdout_flows if self.holdout_flows else None


def deflection_rate(
    session: Session,
    since: datetime,
    until: datetime,
    window_hours: float,
    now: datetime | None = None,
) -> DeflectionReport:
    """Deflection of the flows that started in [since, until), by the rules of this module.

    A flow belongs to the period of its session's *first* showing: a session shown
    suggestions before ``since`` is no flow of this period, however often it is shown
    again. Its later steps are read to the end (not to ``until`` + the window): an opening
    after the period extends the window, and a question inside it is a contact.
    """
    now = now or utcnow()
    window = timedelta(hours=window_hours)
    starts = DeflectionEvent.step.in_(FLOW_STARTS)
    earlier = aliased(DeflectionEvent)
    started_before = (
        exists()
        .where(
            earlier.session_id == DeflectionEvent.session_id,
            earlier.step.in_(FLOW_STARTS),
            earlier.created_at < since,
        )
        .correlate(DeflectionEvent)
    )
    started_here = (
        select(DeflectionEvent.session_id)
        .where(
            starts,
            DeflectionEvent.created_at >= since,
            DeflectionEvent.created_at < until,
            ~started_before,
        )
        .distinct()
    )
    # Three columns as plain rows, not whole events: the dashboard reads a large period.
    events = session.execute(
        select(DeflectionEvent.session_id, DeflectionEvent.step, DeflectionEvent.created_at)
        .where(DeflectionEvent.session_id.in_(started_here), DeflectionEvent.created_at >= since)
        .order_by(DeflectionEvent.created_at, DeflectionEvent.id)
    ).all()
    flows: dict[str, list[Row]] = {}
    for event in events:
        flows.setdefault(event.session_id, []).append(event)

    report = DeflectionReport()
    for steps in flows.values():
        start = next(e for e in steps if e.step in FLOW_STARTS)
        later = [e for e in steps if e.created_at >= start.created_at]
        contacted = any(e.step in CONTACT_STEPS for e in later)
        if start.step == FlowStep.WITHHELD:
            report.holdout_flows += 1
            report.holdout_contacted += contacted
            continue
        report.flows += 1
        report.contacted += contacted
        outcome = _outcome(later, window, now)
        report.opened += outcome != "unopened"
        report.confirmed += outcome == "confirmed"
        report.deflected += outcome in ("confirmed", "deflected")
        report.pending += outcome == "pending"
    return report


def _outcome(steps: list[Row], window: timedelta, now: datetime) -> str:
    """confirmed | deflected | contacted | pending | unopened, for one exposed flow."""
    if any(e.step == FlowStep.SOLVED for e in steps):
        return "confirmed"
    opens = [e.created_at for e in steps if e.step == FlowStep.OPENED]
    if not opens:
        return "unopened"
    first, deadline = opens[0], opens[-1] + window
    if any(e.step in CONTACT_STEPS and first <= e.created_at <= deadline for e in steps):
        return "contacted"
    return "pending" if now < deadline else "deflected"
