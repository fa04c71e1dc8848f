"""Known issues: declare, update, link threads and cases, follow (resolving: resolving.py).

Every staff action is written to the audit log (``moderation.audit``) in its transaction.
"""

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from community.models import Thread
from moderation import audit
from moderation.cases.models import Case
from portal.database import utcnow
from portal.errors import ValidationFailed
from portal.i18n import N_
from portal.models import Tag, User
from portal.permissions import can_follow_known_issue, can_manage_known_issues, require
from proactive.models import (
    EXPLANATION_MAX,
    OPEN_STATUSES,
    TITLE_MAX,
    AlertStatus,
    IssueStatus,
    KnownIssue,
    KnownIssueFollow,
    KnownIssueLink,
    SurgeAlert,
)

AUDIT_ACTIONS = {
    "known_issue.declared": N_("Known issue declared"),
    "known_issue.updated": N_("Known issue updated"),
    "known_issue.resolved": N_("Known issue resolved"),
    "known_issue.linked": N_("Linked to a known issue"),
    "known_issue.unlinked": N_("Unlinked from a known issue"),
    "surge_alert.dismissed": N_("Surge alert dismissed"),
}


def issue_link(issue: KnownIssue) -> str:
    """The issue's public status page (relative: notifications build absolute links)."""
    return f"/known-issues/{issue.id}"


def _clean(title: str, explanation: str, status: str) -> tuple[str, str, IssueStatus]:
    title = (title or "").strip()
    explanation = (explanation or "").replace("\r\n", "\n").strip()
    if not title:
        raise ValidationFailed(_("Give the issue a title."), field="title")
    if len(title) > TITLE_MAX:
        raise ValidationFailed(
            _("Keep the title under %(num)d characters.", num=TITLE_MAX), field="title"
        )
    if not explanation:
        raise ValidationFailed(_("Explain publicly what is happening."), field="explanation")
    if len(explanation) > EXPLANATION_MAX:
        raise ValidationFailed(
            _("Keep the explanation under %(num)d characters.", num=EXPLANATION_MAX),
            field="explanation",
        )
    try:
        chosen = IssueStatus(status)
    except ValueError:
        raise ValidationFailed(_("Choose a status from the list."), field="status") from None
    return title, explanation, chosen


def _tags(session: Session, slugs: list[str]) -> list[Tag]:
    found = list(session.scalars(select(Tag).where(Tag.slug.in_(slugs or []))))
    if len(found) != len(set(slugs or [])):
        raise ValidationFailed(_("Choose topics from the list."), field="topics")
    return found


def audit_issue(session: Session, actor: User, action: str, issue: KnownIssue, reason: str = ""):
    audit.record(
        session,
        actor,
        action,
        target_type="known_issue",
        target_id=issue.id,
        target_label=issue.title,
        reason=reason,
    )


def declare_issue(
    session: Session,
    agent: User,
    *,
    title: str,
    explanation: str,
    status: str = IssueStatus.INVESTIGATING.value,
    tag_slugs: list[str] | None = None,
    alert: SurgeAlert | None = None,
) -> KnownIssue:
    """Declare a known issue (from a surge alert or by hand); its banner shows at once."""
    require(can_manage_known_issues(agent), _("Only agents declare known issues."))
    title, explanation, chosen = _clean(title, explanation, status)
    if chosen == IssueStatus.RESOLVED:
        raise ValidationFailed(_("A new issue is not resolved yet."), field="status")
    issue = KnownIssue(
        title=title,
        explanation=explanation,
        status=chosen.value,
        declared_by_id=agent.id,
        alert_id=alert.id if alert else None,
        tags=_tags(session, tag_slugs or []),
    )
    session.add(issue)
    if alert is not None:
        alert.status = AlertStatus.DECLARED.value
        alert.handled_by_id = agent.id
    session.flush()
    audit_issue(session, agent, "known_issue.declared", issue)
    session.flush()
    return issue


def update_issue(
    session: Session,
    agent: User,
    issue: KnownIssue,
    *,
    title: str,
    explanation: str,
    status: str,
    tag_slugs: list[str],
) -> None:
    """Change what the banner says while the issue is open ("identified", a better text)."""
    require(can_manage_known_issues(agent), _("Only agents declare known issues."))
    if not issue.is_open:
        raise ValidationFailed(_("This issue is resolved: declare a new one."))
    title, explanation, chosen = _clean(title, explanation, status)
    if chosen == IssueStatus.RESOLVED:
        raise ValidationFailed(
            _("Use “Resolve” to resolve the issue: it tells everyone at once."), field="status"
        )
    before = f"{issue.status}: {issue.title}\n{issue.explanation}"
    issue.title, issue.explanation, issue.status = title, explanation, chosen.value
    issue.tags = _tags(session, tag_slugs)
    issue.updated_at = utcnow()
    audit.record(
        session,
        agent,
        "known_issue.updated",
        target_type="known_issue",
        target_id=issue.id,
        target_label=issue.title,
        before=before,
        after=f"{issue.status}: {issue.title}\n{issue.explanation}",
    )
    session.flush()


def open_issues(session: Session) -> list[KnownIssue]:
    """The issues whose banner shows, newest first."""
    return list(
        session.scalars(
            select(KnownIssue)
            .where(KnownIssue.status.in_(OPEN_STATUSES))
            .order_by(KnownIssue.created_at.desc(), KnownIssue.id.desc())
        )
    )


def get_issue(session: Session, issue_id: int) -> KnownIssue | None:
    return session.get(KnownIssue, issue_id)


# ------------------------------------------------------------------ links
def links(session: Session, issue: KnownIssue) -> list[KnownIssueLink]:
    return list(
        session.scalars(
            select(KnownIssueLink)
            .where(KnownIssueLink.issue_id == issue.id)
            .order_by(KnownIssueLink.id)
        )
    )


def link(
    session: Session,
    agent: User,
    issue: KnownIssue,
    *,
    thread: Thread | None = None,
    case: Case | None = None,
) -> KnownIssueLink:
    """Confirm that a thread or a case is about the issue (idempotent)."""
    require(can_manage_known_issues(agent), _("Only agents declare known issues."))
    if (thread is None) == (case is None):
        raise ValidationFailed(_("Choose a thread or a case to link."))
    column = KnownIssueLink.thread_id if thread else KnownIssueLink.case_id
    target = thread or case
    existing = session.scalar(
        select(KnownIssueLink).where(KnownIssueLink.issue_id == issue.id, column == target.id)
    )
    if existing is not None:
        return existing
    row = KnownIssueLink(
        issue_id=issue.id,
        thread_id=thread.id if thread else None,
        case_id=case.id if case else None,
        linked_by_id=agent.id,
    )
    session.add(row)
    session.flush()
    what = f"thread #{thread.id}" if thread else f"case #{case.id}"
    audit_issue(session, agent, "known_issue.linked", issue, reason=what)
    session.flush()
    return row


def unlink(session: Session, agent: User, issue: KnownIssue, row: KnownIssueLink) -> None:
    """Take back a link made by mistake."""
    require(can_manage_known_issues(agent), _("Only agents declare known issues."))
    what = f"thread #{row.thread_id}" if row.thread_id else f"case #{row.case_id}"
    session.delete(row)
    audit_issue(session, agent, "known_issue.unlinked", issue, reason=what)
    session.flush()


# ---------------------------------------------------------------- followers
def follow(session: Session, user: User, issue: KnownIssue) -> None:
    """Tell this member when the issue is resolved (idempotent)."""
    require(can_follow_known_issue(user))
    exists = session.scalar(
        select(KnownIssueFollow.id).where(
            KnownIssueFollow.issue_id == issue.id, KnownIssueFollow.user_id == user.id
        )
    )
    if exists is None:
        session.add(KnownIssueFollow(issue_id=issue.id, user_id=user.id))
        session.flush()


def is_following(session: Session, user, issue: KnownIssue) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        session.scalar(
            select(KnownIssueFollow.id).where(
                KnownIssueFollow.issue_id == issue.id, KnownIssueFollow.user_id == user.id
            )
        )
        is not None
    )
