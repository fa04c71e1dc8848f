"""A deleted account at the support desk, and a customer's requests for download.

A customer's cases keep what the service statistics need (dates, status, priority, channel,
agent, tags, survey scores) and lose every text about them: subject, message, replies,
notes, the survey's comment. Open ones are closed. A deleted agent's open cases go back to
the unassigned queue. Their name in other cases' timelines ("assigned to …") reads
DELETED_NAME by itself: the system's lines name people by id (moderation.cases.timeline);
only lines written as English text before migration 0016 (and left so by it) are
rewritten here. Skills, availability and the VIP flag go.
"""

import re

from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from moderation.cases.drafts import ReplyDraft
from moderation.cases.models import (
    AgentProfile,
    Case,
    CaseEvent,
    CaseStatus,
    CustomerFlag,
    EventKind,
    Survey,
)
from moderation.cases.routing import ACTIVE_STATUSES
from moderation.cases.service import add_event
from moderation.cases.timeline import line, render_lines
from portal.database import utcnow
from portal.models import DELETED_NAME, User

# Events whose body people wrote (the system's own words are in CaseEvent.lines).
FREE_TEXT_KINDS = [
    kind.value
    for kind in (
        EventKind.CREATED,
        EventKind.NOTE,
        EventKind.PUBLIC_REPLY,
        EventKind.PRIVATE_REPLY,
        EventKind.CUSTOMER_MESSAGE,
    )
]
# Where the desk wrote a staff member's name into a timeline as text, before 0016.
NAMING_KINDS = [EventKind.ASSIGNED.value, EventKind.CREATED.value]
NAMING_PHRASES = (
    r"(?<=assigned to ){name}$",
    r"^{name}(?= took the case$)",
    r"(?<=^Reassigned by ){name}(?=: )",
    r"(?<=^Escalated by moderator ){name}(?=$|: )",
)


def on_user_deleting(sender, *, session: Session, user: User, **data) -> None:
    _erase_requests(session, user)
    _release_agent(session, user)
    session.execute(delete(AgentProfile).where(AgentProfile.user_id == user.id))
    session.execute(delete(CustomerFlag).where(CustomerFlag.user_id == user.id))


def _erase_requests(session: Session, user: User) -> None:
    cases = session.scalars(select(Case).where(Case.customer_id == user.id)).all()
    if not cases:
        return
    case_ids = [case.id for case in cases]
    session.execute(
        update(CaseEvent)
        .where(CaseEvent.case_id.in_(case_ids), CaseEvent.kind.in_(FREE_TEXT_KINDS))
        .values(body="")
    )
    session.execute(update(Survey).where(Survey.case_id.in_(case_ids)).values(comment=""))
    # Unsent replies quote the customer as often as not.
    session.execute(delete(ReplyDraft).where(ReplyDraft.case_id.in_(case_ids)))
    for case in cases:
        case.subject, case.body = "", ""  # Case.title: ERASED_SUBJECT, in the reader's language
        if case.status in ACTIVE_STATUSES:
            case.status, case.closed_at = CaseStatus.CLOSED.value, utcnow()
            add_event(session, case, EventKind.STATUS, None, lines=[line("account_deleted")])


def _release_agent(session: Session, user: User) -> None:
    assigned = session.scalars(
        select(Case).where(Case.assignee_id == user.id, Case.status.in_(ACTIVE_STATUSES))
    ).all()
    for case in assigned:
        case.assignee_id = None
        add_event(session, case, EventKind.ASSIGNED, None, lines=[line("unassigned")])
    name = re.escape(user.display_name or user.username)  # User.name before the deletion
    naming = re.compile("|".join(phrase.format(name=name) for phrase in NAMING_PHRASES), re.M)
    mentioned = session.scalars(
        select(CaseEvent).where(
            CaseEvent.kind.in_(NAMING_KINDS),
            CaseEvent.body.contains(user.display_name or user.username, autoescape=True),
        )
    ).all()
    for event in mentioned:
        event.body = naming.sub(DELETED_NAME, event.body)


def on_data_collecting(sender, *, session: Session, user: User, data: dict, **extra) -> None:
    cases = session.scalars(select(Case).where(Case.customer_id == user.id).order_by(Case.id)).all()
    surveys = session.scalars(
        select(Survey).join(Case).where(Case.customer_id == user.id).order_by(Survey.id)
    )
    profile = session.get(AgentProfile, user.id)
    flag = session.get(CustomerFlag, user.id)
    data["support"] = {
        "requests": [
            {
                "id": case.id,
                "subject": case.subject,
                "message": case.body,
                "channel": case.channel,
                "thread_id": case.thread_id,
                "status": case.status,
                "priority": case.priority,
                "opened_at": case.opened_at,
                "solved_at": case.solved_at,
                "closed_at": case.closed_at,
                "messages": [
                    {
                        "kind": event.kind,
                        "from": "you" if event.actor_id == user.id else "support",
                        "body": event.body,
                        "about": render_lines(session, event),
                        "at": event.created_at,
                    }
                    for event in case.events
                    if event.customer_visible
                ],
            }
            for case in cases
        ],
        "not_included": _("Internal notes agents wrote on your requests; ask support for them."),
        "surveys": [
            {
                "case_id": survey.case_id,
                "sent_at": survey.sent_at,
                "answered_at": survey.answered_at,
                "csat": survey.csat,
                "nps": survey.nps,
                "comment": survey.comment,
            }
            for survey in surveys
        ],
        "vip": bool(flag and flag.vip),
        "agent_profile": (
            {"available": profile.available, "skills": [tag.slug for tag in profile.skills]}
            if profile
            else None
        ),
    }
