"""What the banners show and what they record.

Banners go by topic on the home and topic pages (every open issue on the home page, the
topic's on its page) and by meaning where a customer describes a problem (search results,
suggestions while typing, the ask and contact forms: ``matching``). On the forms they show
before the customer posts; opening the status page from such a banner is a step of the
browser's deflection flow as search records it (``search.deflection``): the flow starts as
"shown" (within the address's limit), the issue's page is "opened" with the doc key
``issue:<id>``, and "This answers my question" is "solved". So the flow is deflected by
search's own rule: solved, or opened and no question or request within
DEFLECTION_WINDOW_HOURS. The dashboard counts the flows deflected through an issue.
"""

from datetime import timedelta

from flask import session as browser_session
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation import audit
from portal.database import utcnow
from portal.extensions import db
from portal.i18n import N_
from portal.models import User
from portal.permissions import can_manage_known_issues, require
from proactive import issues, matching, tagging
from proactive.models import AlertStatus, IssueStatus, KnownIssue, SurgeAlert
from search import deflection
from search.models import FlowStep

DOC_KEY_PREFIX = "issue:"
RESOLVED_SHOWN_DAYS = 7
STATUS_LABELS = {
    IssueStatus.INVESTIGATING.value: N_("Investigating"),
    IssueStatus.IDENTIFIED.value: N_("Identified"),
    IssueStatus.RESOLVED.value: N_("Resolved"),
}


def doc_key(issue: KnownIssue) -> str:
    return f"{DOC_KEY_PREFIX}{issue.id}"


def status_label(status: str) -> str:
    """An issue's status in the reader's language."""
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status


def recently_resolved(session: Session) -> list[KnownIssue]:
    since = utcnow() - timedelta(days=RESOLVED_SHOWN_DAYS)
    return list(
        session.scalars(
            select(KnownIssue)
            .where(KnownIssue.status == IssueStatus.RESOLVED.value, KnownIssue.resolved_at >= since)
            .order_by(KnownIssue.resolved_at.desc())
        )
    )


# ----------------------------------------------------------- template helpers
def banner_issues(tag=None) -> list[KnownIssue]:
    """For _banner.html: every open issue (home page), or those of a topic (its page)."""
    if tag is not None:
        return matching.issues_for_topic(db.session, tag.id)
    return issues.open_issues(db.session)


def issues_matching(text: str) -> list[KnownIssue]:
    """For the search page and the forms: the open issues the text is about, by meaning."""
    return matching.matching_issues(db.session, text)


def form_issues(text: str = "") -> list[KnownIssue]:
    """For the ask and contact forms: the issues the text is about once there is text (a
    form shown again), else every open issue, so the customer sees them before writing."""
    if text and text.strip():
        found = matching.matching_issues(db.session, text)
        if found:
            return found
    return issues.open_issues(db.session)


def status_url(issue: KnownIssue, query: str = "") -> str:
    """The status page, marked as reached from a banner (a step of the deflection flow)."""
    return url_for("proactive.issue", issue_id=issue.id, via="banner", q=query[:200] or None)


def collect_notices(sender, session: Session, text: str, notices: list, **data) -> None:
    """``search.notices_collecting``: the known issues the typed text is about, first."""
    for issue in matching.matching_issues(session, text):
        notices.append(
            {
                "title": issue.title,
                "status": status_label(issue.status),
                "text": _("Known issue · %(status)s", status=status_label(issue.status)),
                "url": status_url(issue, text),
            }
        )


def topic_form(form) -> dict | None:
    """For _topic_proposals.html: the form's text fields, its topic field and, when the
    form holds text (a preview, a refused submit), the topics proposed for it."""
    sources = [form[name] for name in ("title", "subject", "summary", "body") if name in form]
    target = next((form[name] for name in ("tags", "topics") if name in form), None)
    if target is None or not sources:
        return None
    typed = "\n".join(str(field.data) for field in sources if field.data)
    return {
        "sources": [field.id for field in sources],
        "target": target.id,
        "proposed": tagging.propose(db.session, typed) if typed else [],
    }


# --------------------------------------------------------------- deflection
def record_opened(session: Session, issue: KnownIssue, query: str = "") -> None:
    """The status page opened from a banner: the flow starts if it had not, then "opened"."""
    if not browser_session.get(deflection.COUNTED_KEY):
        deflection.start_flow(session, FlowStep.SHOWN, query or issue.title)
    deflection.record_once(session, FlowStep.OPENED, doc_key(issue))


def record_answered(session: Session, issue: KnownIssue) -> None:
    """ "This answers my question" on a status page reached from a banner."""
    deflection.record_once(session, FlowStep.SOLVED, doc_key(issue))


def opened_from_banner(issue: KnownIssue) -> bool:
    return deflection.opened_from_suggestion(doc_key(issue))


# -------------------------------------------------------------------- alerts
def open_alerts(session: Session) -> list[SurgeAlert]:
    return list(
        session.scalars(
            select(SurgeAlert)
            .where(SurgeAlert.status == AlertStatus.OPEN.value)
            .order_by(SurgeAlert.raised_at.desc())
        )
    )


def desk_alerts() -> list[SurgeAlert]:
    """For the desk's include: the open surge alerts, newest first."""
    return open_alerts(db.session)


def dismiss_alert(session: Session, actor: User, alert: SurgeAlert) -> None:
    """The alert was looked at and needs no known issue."""
    require(can_manage_known_issues(actor), _("Only agents handle surge alerts."))
    alert.status = AlertStatus.DISMISSED.value
    alert.handled_by_id = actor.id
    audit.record(
        session,
        actor,
        "surge_alert.dismissed",
        target_type="surge_alert",
        target_id=alert.id,
        target_label=alert.title,
    )
    session.flush()
