"""In-app notifications (the bell) and the e-mail sent with each one.

Any package notifies with ``notify(session, user, kind=..., message=..., link=...)`` inside
its transaction; the e-mail leaves only after the commit (``mail.requested`` event), and
only to users who kept "E-mail me my notifications" on in their settings.
"""

import logging
from datetime import datetime

from flask import current_app, has_request_context, request
from flask_login import current_user
from sqlalchemy import ForeignKey, String, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from portal import events, mail
from portal.database import UtcDateTime, utcnow
from portal.extensions import db
from portal.models import User
from portal.permissions import require

log = logging.getLogger(__name__)
MESSAGE_MAX = 300
LINK_MAX = 500


class Notification(db.Model):
    """Something a user should know about, with a link to it; unread while read_at is empty."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(String(MESSAGE_MAX))
    link: Mapped[str] = mapped_column(String(LINK_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


def notify(
    session: Session,
    recipient: User,
    *,
    kind: str,
    message: str,
    link: str = "",
    actor: User | None = None,
    email: bool = True,
) -> Notification | None:
    """Notify a user (never of their own action); the e-mail is queued for after the commit."""
    if actor is not None and actor.id == recipient.id:
        return None
    note = Notification(
        user_id=recipient.id,
        actor_id=actor.id if actor else None,
        kind=kind,
        message=message[:MESSAGE_MAX],
        link=link[:LINK_MAX],
    )
    session.add(note)
    if email and recipient.email_notifications:
        events.publish_after_commit(
            session, "mail.requested", to=recipient.email, subject=message[:150], link=link
        )
    return note


def unread_count(session: Session, user: User) -> int:
    query = select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    return session.scalar(query) or 0


def notifications_for(user: User):
    """The statement listing a user's notifications, newest first (paginate it)."""
    return (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def mark_read(session: Session, user: User, note: Notification) -> None:
    require(note.user_id == user.id, "That notification is not yours.")
    if note.read_at is None:
        note.read_at = utcnow()


def mark_all_read(session: Session, user: User) -> None:
    session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )


def deliver_mail(sender, *, to: str, subject: str, link: str = "", body: str = "") -> None:
    """Write or send the e-mail of a committed notification."""
    base = request.host_url if has_request_context() else current_app.config["SITE_URL"] + "/"
    lines = [body or subject]
    if link:
        lines.append(base.rstrip("/") + link)
    lines.append(f"— {current_app.config['SITE_NAME']}")
    mail.send_mail(to=to, subject=subject, body="\n\n".join(lines))


def current_unread_count() -> int:
    """For the bell in the layout: the signed-in user's unread notifications."""
    if not current_user.is_authenticated:
        return 0
    return unread_count(db.session, current_user)


def init_app(app) -> None:
    events.subscribe("mail.requested", deliver_mail)
    app.jinja_env.globals["unread_notification_count"] = current_unread_count
