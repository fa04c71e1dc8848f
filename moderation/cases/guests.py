"""Contact support without an account: a visitor's request becomes a case tied to their
e-mail address, answered by e-mail (guest_mail.py), and tied to their account once one
is registered and verified with that address (``user.email_verified``).

A visitor's request passes the same triage, SLA and routing as a member's; what differs
is who it belongs to (requester_email instead of customer_id) and how answers reach them.
"""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.orm import Session

from moderation.cases import guest_mail
from moderation.cases.models import Case, CaseStatus, Channel, EventKind
from moderation.cases.service import _set_status, add_event, case_link, clean_body, open_case
from moderation.cases.sources import clean_subject, tags_of
from moderation.cases.timeline import line
from portal import events, notifications
from portal.database import utcnow
from portal.errors import ValidationFailed
from portal.i18n import LANGUAGES, N_
from portal.models import User
from portal.service import normalize_email


def contact_as_guest(
    session: Session,
    *,
    email: str,
    name: str,
    subject: str,
    body: str,
    tag_slugs: list[str],
    locale: str | None,
) -> Case:
    """A visitor's request: a case for their address, acknowledged by e-mail with its link."""
    email = normalize_email(email)
    if "@" not in email:
        raise ValidationFailed(_("Give an e-mail address we can answer to."), field="email")
    subject = clean_subject(subject)
    case, _created = open_case(
        session,
        customer=None,
        subject=subject,
        channel=Channel.CONTACT_FORM,
        body=clean_body(body, "message"),
        tags=tags_of(session, tag_slugs),
        reason=line("contact_form"),
        requester={
            "requester_email": email,
            "requester_name": " ".join((name or "").split())[:80],
            "requester_locale": locale if locale in LANGUAGES else None,
        },
    )
    guest_mail.send_acknowledgement(session, case)
    events.publish("cases.contact_submitted", session=session, case=case)
    return case


def guest_message(session: Session, case: Case, body: str, *, now: datetime | None = None) -> None:
    """The visitor answers through their signed link; a case waiting for them opens again."""
    if case.customer_id is not None or not case.requester_email:
        raise ValidationFailed(_("This request is now in your account: sign in to answer."))
    if not case.is_active:
        raise ValidationFailed(
            _("This request is solved. Open a new one if you still need help."), field="body"
        )
    now = now or utcnow()
    text = clean_body(body, "message")
    add_event(session, case, EventKind.CUSTOMER_MESSAGE, None, text, now)
    if case.status == CaseStatus.PENDING:
        _set_status(session, case, CaseStatus.OPEN, None, now)
    if case.assignee is not None:
        notifications.notify(
            session,
            case.assignee,
            kind="case_customer_message",
            message=N_("%(customer)s answered on case #%(id)s"),
            params={"customer": case.requester, "id": case.id},
            link=case_link(case, staff=True),
        )
    session.flush()


def attach_requests(session: Session, user: User) -> int:
    """Tie the visitor's requests sent from the user's (now verified) address to the
    account; how many were tied."""
    result = session.execute(
        update(Case)
        .where(Case.customer_id.is_(None), Case.requester_email == user.email)
        .values(customer_id=user.id)
        .execution_options(synchronize_session="fetch")
    )
    session.flush()
    return result.rowcount or 0


def on_email_verified(sender, *, session: Session, user: User, **data) -> None:
    """Subscriber of ``user.email_verified``."""
    attach_requests(session, user)
