"""Inbound mail, from the receiver's hands to what it becomes.

The receiver (``flask mail serve``, or the IMAP poll) only stores the message and records
the ``mail.inbound`` job in the same transaction: accepting mail stays fast and never loses
it. The job reads the message once (its row says whether it was handled, so a second run
does nothing), drops automatic mail (portal/inbound/loops.py) and senders over
MAIL_INBOUND_RATE_LIMIT an hour, then acts on the address it came to:

- ``reply+…``: the words the person added (portal/inbound/text.py) become their reply
  through the same service functions the pages call, so locked threads, suspended members
  and held posts are handled exactly as on the web. The foundation does not know threads
  or cases: it publishes ``mail.reply_received`` and community and moderation.cases act;
- ``unsubscribe+…``: the mailto of List-Unsubscribe;
- MAIL_SUPPORT_ADDRESS: ``mail.support_received``, which moderation.cases turns into a case
  or a message on one.

A person whose mail cannot be taken is told why, once, in their language; robots never are.
"""

from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from portal import email_preferences, events, mail_addresses
from portal.database import utcnow
from portal.errors import DomainError, DuplicateSubmission
from portal.i18n import locale_of, site_default
from portal.inbound import replies
from portal.inbound.loops import automatic_reason
from portal.inbound.models import MESSAGE_ID_MAX, InboundMessage, InboundStatus
from portal.inbound.text import new_words
from portal.jobs import enqueue, job
from portal.models import User

INBOUND_JOB = "mail.inbound"
PRUNE_JOB = "mail.inbound_prune"
RATE_WINDOW = timedelta(hours=1)
ANSWER_WINDOW = timedelta(days=1)


def parse(raw: bytes) -> EmailMessage:
    return message_from_bytes(raw, policy=policy.default)


def header(message: EmailMessage, name: str) -> str:
    """A header as text; "" when absent or too broken to decode."""
    try:
        return str(message.get(name, "") or "").strip()
    except (ValueError, LookupError, TypeError):
        return ""


def store(
    session: Session,
    raw: bytes,
    envelope_from: str,
    recipients: list[str],
    *,
    message_id: str = "",
) -> InboundMessage:
    """Keep one received message and record the job that handles it (the receiver commits).

    ``message_id``: how the message is known when its header has none (IMAP's digest)."""
    message = parse(raw)
    row = InboundMessage(
        envelope_from=(envelope_from or "")[:320],
        recipients="\n".join(recipients),
        sender=parseaddr(header(message, "From"))[1].lower()[:320],
        message_id=(header(message, "Message-ID") or message_id)[:MESSAGE_ID_MAX],
        raw=raw,
    )
    session.add(row)
    session.flush()
    enqueue(session, INBOUND_JOB, inbound_id=row.id)
    return row


def own_addresses() -> set[str]:
    config = current_app.config
    own = {parseaddr(config["MAIL_FROM"])[1].lower(), mail_addresses.support_address()}
    return {address for address in own if address}


def over_rate_limit(session: Session, row: InboundMessage) -> bool:
    limit = current_app.config["MAIL_INBOUND_RATE_LIMIT"]
    if not limit:
        return False
    earlier = session.scalar(
        select(func.count(InboundMessage.id)).where(
            InboundMessage.sender == row.sender,
            InboundMessage.id < row.id,
            InboundMessage.received_at >= row.received_at - RATE_WINDOW,
        )
    )
    return earlier >= limit


@job(INBOUND_JOB)
def handle_inbound(session: Session, *, inbound_id: int) -> None:
    """Act on one received message, once."""
    row = session.get(InboundMessage, inbound_id)
    if row is None or row.status != InboundStatus.RECEIVED:
        return
    status, outcome = handle(session, row, parse(row.raw))
    row.status, row.outcome, row.handled_at = status.value, outcome[:500], utcnow()


def handle(session: Session, row: InboundMessage, message: EmailMessage):
    """(status, what happened) for one message."""
    reason = automatic_reason(message, row.envelope_from, own_addresses())
    if reason:
        return InboundStatus.IGNORED, f"automatic: {reason}"
    if over_rate_limit(session, row):
        return InboundStatus.IGNORED, f"over MAIL_INBOUND_RATE_LIMIT for {row.sender}"
    for address in row.recipients.splitlines():
        recipient = mail_addresses.parse_recipient(address)
        if recipient is not None:
            return HANDLERS[recipient.kind](session, row, message, recipient)
    return InboundStatus.IGNORED, "sent to no address of ours"


def take_unsubscribe(session, row, message, recipient):
    found = email_preferences.unsubscribe(session, recipient.token)
    if found is None:
        return InboundStatus.IGNORED, "unsubscribe token not valid"
    return InboundStatus.DONE, f"user {found[0].id} unsubscribed from {found[1]}"


def take_reply(session, row, message, recipient):
    """The reply to a notification, as the person it was sent to."""
    user = session.get(User, recipient.user_id)
    if user is None or user.is_deleted:
        return InboundStatus.IGNORED, "reply address of an account that is gone"
    with force_locale(locale_of(user)):
        if row.sender != user.email.lower():
            # A forwarded notification: its reply address is not the forwarder's to use.
            why = _("This reply address belongs to another member, so your message was not posted.")
            return refuse(session, row, message, row.sender, why)
        text = new_words(message)
        if not text:
            why = _("We found no text of yours above the quoted message, so nothing was posted.")
            return refuse(session, row, message, user.email, why)
        results: list[str] = []
        try:
            with session.begin_nested():
                events.publish(
                    "mail.reply_received",
                    session=session,
                    user=user,
                    target=recipient.target,
                    text=text,
                    results=results,
                )
        except DuplicateSubmission:
            return InboundStatus.DONE, "the same reply was already posted"
        except DomainError as error:
            return refuse(session, row, message, user.email, error.message)
    if not results:
        return InboundStatus.IGNORED, f"nothing takes replies to {recipient.target}"
    return InboundStatus.DONE, "; ".join(results)


def take_support(session, row, message, recipient):
    """Mail to the support address: moderation.cases makes it a case or a message on one."""
    name, address = parseaddr(header(message, "From"))
    user = session.scalar(select(User).where(func.lower(User.email) == address.lower()))
    results: list[str] = []
    answered: list[str] = []
    locale = locale_of(user) if user is not None else site_default(session)
    with force_locale(locale):
        try:
            with session.begin_nested():
                events.publish(
                    "mail.support_received",
                    session=session,
                    sender_address=address.lower(),
                    sender_name=name,
                    user=user,
                    message=message,
                    subject=header(message, "Subject"),
                    text=new_words(message),
                    results=results,
                    may_answer=not recently_answered(session, address),
                    answered=answered,
                )
        except DomainError as error:
            return refuse(session, row, message, address, error.message)
    row.answered = bool(answered)
    if not results:
        return InboundStatus.IGNORED, "nothing takes support mail"
    return InboundStatus.DONE, "; ".join(results)


def refuse(session: Session, row: InboundMessage, message: EmailMessage, to: str, why: str):
    """Tell a person why their mail was not taken (in the current locale), at most once a
    day: a robot that answers everything, without saying so, cannot keep us talking."""
    if recently_answered(session, to):
        return InboundStatus.REFUSED, f"{why} (not answered: answered in the last day)"
    replies.refusal(session, message, to=to, why=why)
    row.answered = True
    return InboundStatus.REFUSED, why


def recently_answered(session: Session, address: str) -> bool:
    """Whether we sent this address a refusal or a "no account" answer in the last day."""
    query = select(InboundMessage.id).where(
        InboundMessage.sender == address.lower(),
        InboundMessage.answered.is_(True),
        InboundMessage.received_at >= utcnow() - ANSWER_WINDOW,
    )
    return session.scalar(query.limit(1)) is not None


@job(PRUNE_JOB)
def prune_inbound(session: Session) -> None:
    """Forget handled messages after MAIL_INBOUND_KEPT_DAYS: they hold people's mail."""
    days = current_app.config["MAIL_INBOUND_KEPT_DAYS"]
    session.execute(
        delete(InboundMessage).where(
            InboundMessage.status != InboundStatus.RECEIVED.value,
            InboundMessage.handled_at < utcnow() - timedelta(days=days),
        )
    )


HANDLERS = {"reply": take_reply, "unsubscribe": take_unsubscribe, "support": take_support}
