"""Inbound mail as received (kept until handled, then its outcome) and the Message-IDs that
thread a conversation by e-mail to what it is about."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, LargeBinary, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import UtcDateTime, utcnow
from portal.extensions import db

ADDRESS_MAX = 320
MESSAGE_ID_MAX = 250
OUTCOME_MAX = 500


class InboundStatus(StrEnum):
    RECEIVED = "received"  # stored, its job not done yet
    DONE = "done"  # became a reply, a case message, a case, an unsubscribe
    REFUSED = "refused"  # a person's mail we could not take: they were told why
    IGNORED = "ignored"  # automatic (bounce, auto-reply, list), over the rate limit, unknown


class InboundMessage(db.Model):
    """One message as the receiver got it (SMTP/LMTP or IMAP), handled by a job."""

    __tablename__ = "mail_inbound"

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    envelope_from: Mapped[str] = mapped_column(String(ADDRESS_MAX), default="")
    recipients: Mapped[str] = mapped_column(Text, default="")  # envelope RCPT TO, one a line
    # The From address, lowercase: the per-sender rate limit counts by it.
    sender: Mapped[str] = mapped_column(String(ADDRESS_MAX), default="", index=True)
    message_id: Mapped[str] = mapped_column(String(MESSAGE_ID_MAX), default="")
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(10), default=InboundStatus.RECEIVED.value)
    outcome: Mapped[str] = mapped_column(String(OUTCOME_MAX), default="")
    # We answered it with a refusal or a "no account" note: at most one a day per sender.
    answered: Mapped[bool] = mapped_column(default=False, server_default=false())
    handled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class MailReference(db.Model):
    """A Message-ID sent or received about a target ("case:5"), so an answer that quotes it
    in In-Reply-To or References finds its way back (support mail, portal/inbound)."""

    __tablename__ = "mail_references"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(MESSAGE_ID_MAX), unique=True)
    target: Mapped[str] = mapped_column(String(40), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
