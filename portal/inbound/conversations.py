"""Threading conversations by e-mail: which Message-IDs belong to which case.

Every e-mail sent about a case, and every message received for one, is remembered with its
target; an answer sent to the support address that names one of them in In-Reply-To or
References is about that case, whatever its subject says. Notification e-mails about a case
also thread under the customer's own messages (In-Reply-To, References), so a mail client
shows one conversation.
"""

import re
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.inbound.models import MESSAGE_ID_MAX, MailReference

MESSAGE_ID = re.compile(r"<[^<>\s]+>")
REFERENCES_KEPT = 10


def remember(session: Session, message_id: str, target: str, user_id: int | None) -> None:
    """Note that ``message_id`` is about ``target`` (once; an unknown id is ignored)."""
    message_id = (message_id or "").strip()[:MESSAGE_ID_MAX]
    if not message_id or not target:
        return
    known = session.scalar(select(MailReference.id).where(MailReference.message_id == message_id))
    if known is None:
        session.add(MailReference(message_id=message_id, target=target, user_id=user_id))
        session.flush()


def referenced_ids(message: EmailMessage) -> list[str]:
    """The Message-IDs an answer refers to, the one it answers first."""
    found = []
    for name in ("In-Reply-To", "References"):
        try:
            value = str(message.get(name, "") or "")
        except (ValueError, LookupError, TypeError):
            continue
        found += MESSAGE_ID.findall(value)
    return list(dict.fromkeys(found))


def target_of(session: Session, message: EmailMessage) -> str:
    """The target ("case:5") the message answers, by its In-Reply-To/References; or ""."""
    ids = referenced_ids(message)
    if not ids:
        return ""
    rows = session.execute(
        select(MailReference.message_id, MailReference.target).where(
            MailReference.message_id.in_(ids)
        )
    ).all()
    by_id = dict(rows)
    return next((by_id[i] for i in ids if i in by_id), "")


def remember_sent(session: Session, user, target: str, message_id: str) -> dict:
    """A notification e-mail about a case: remembered, and threaded under the earlier ones."""
    if not target.startswith("case:"):
        return {}
    earlier = list(
        session.scalars(
            select(MailReference.message_id)
            .where(MailReference.target == target)
            .order_by(MailReference.id.desc())
            .limit(REFERENCES_KEPT)
        )
    )
    remember(session, message_id, target, user.id)
    if not earlier:
        return {}
    return {"In-Reply-To": earlier[0], "References": " ".join(reversed(earlier))}
