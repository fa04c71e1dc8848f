"""Resolving a known issue: one update to every linked thread, case and follower at once.

A public reply by the agent in each linked thread (the community's own notices carry it to
the thread's followers; a locked or closed thread's asker is notified instead), a message
to the customer on each linked case not already answered through its thread (or the case
solved with it), and a notification, e-mailed, to each follower of the issue. Audited.
"""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from community import service as community_service
from community.models import Thread
from moderation import audit
from moderation.cases import service as cases_service
from moderation.cases import surveys
from moderation.cases.models import Case, Disposition
from portal import notifications
from portal.database import utcnow
from portal.errors import DomainError, ValidationFailed
from portal.i18n import N_
from portal.models import User
from portal.permissions import can_manage_known_issues, require
from proactive.issues import audit_issue, issue_link, links
from proactive.models import IssueStatus, KnownIssue, KnownIssueFollow

RESOLVED_MESSAGE = N_("Fixed: “%(title)s”. %(message)s")


def resolve_issue(
    session: Session,
    agent: User,
    issue: KnownIssue,
    *,
    message: str,
    solve_cases: bool = False,
    now: datetime | None = None,
) -> dict[str, int]:
    """Resolve: one update to every linked thread, case and follower; linked cases solved
    together when ``solve_cases``. Returns how many of each were reached."""
    require(can_manage_known_issues(agent), _("Only agents declare known issues."))
    if not issue.is_open:
        raise ValidationFailed(_("This issue is already resolved."))
    message = cases_service.clean_body(message, "reply", "message")
    now = now or utcnow()
    issue.status, issue.resolution = IssueStatus.RESOLVED.value, message
    issue.resolved_at = issue.updated_at = now
    reached = {"threads": 0, "cases": 0, "solved": 0, "followers": 0}
    rows = links(session, issue)
    answered_threads = set()
    for row in rows:
        if row.thread_id is None:
            continue
        thread = session.get(Thread, row.thread_id)
        try:
            with session.begin_nested():  # a locked or closed thread takes no reply
                community_service.reply(session, agent, thread, body=message)
            answered_threads.add(thread.id)
        except DomainError:
            notifications.notify(  # its asker still hears of it
                session,
                thread.author,
                kind="known_issue_resolved",
                message=RESOLVED_MESSAGE,
                params={"title": issue.title, "message": message[:300]},
                link=issue_link(issue),
                actor=agent,
            )
        reached["threads"] += 1
    for row in rows:
        if row.case_id is None:
            continue
        case = session.get(Case, row.case_id)
        if case is None or not case.is_active:
            continue
        if case.thread_id is None or case.thread_id not in answered_threads:
            cases_service.reply_privately(session, agent, case, message, now=now)
        if solve_cases:
            surveys.solve_case(
                session, agent, case, disposition=Disposition.KNOWN_GAP.value, now=now
            )
            row.solved_at = now
            reached["solved"] += 1
        reached["cases"] += 1
    followers = session.scalars(
        select(User)
        .join(KnownIssueFollow, KnownIssueFollow.user_id == User.id)
        .where(KnownIssueFollow.issue_id == issue.id)
    )
    for follower in followers:
        note = notifications.notify(
            session,
            follower,
            kind="known_issue_resolved",
            message=RESOLVED_MESSAGE,
            params={"title": issue.title, "message": message[:300]},
            link=issue_link(issue),
            actor=agent,
        )
        reached["followers"] += note is not None
    audit_issue(
        session,
        agent,
        "known_issue.resolved",
        issue,
        reason=audit.site_text(
            session,
            N_("%(threads)s threads, %(cases)s cases (%(solved)s solved), %(followers)s followers"),
            **reached,
        ),
    )
    session.flush()
    return reached
