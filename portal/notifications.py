"""In-app notifications (the bell) and the e-mails that carry them.

Any package notifies with ``notify(session, user, kind=..., message=..., link=...)`` inside
its transaction, with the text it is about (``body``: the reply, the agent's answer) and
what an answer by e-mail should become (``reply_target``: "thread:12" or "case:5").
Users who kept "E-mail me my notifications" on, and did not turn the kind's category off
(portal/email_preferences.py), get them by e-mail too: ``notify`` queues a
``notifications.email`` job for the person, delayed by NOTIFICATION_EMAIL_DELAY_SECONDS,
and while that job waits, more notifications join it — so a burst (twenty replies, a
sweep's invitations) reaches a person as one e-mail per category. Followed threads and
topics may wait for the daily or weekly digest instead (portal/digests.py). The e-mails
themselves are built from templates in portal/notification_mail.py.
"""

from datetime import datetime

from flask import current_app
from flask_babel import force_locale, gettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import ForeignKey, String, Text, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from portal import email_preferences, notification_mail
from portal.database import UtcDateTime, utcnow
from portal.extensions import db
from portal.i18n import locale_of
from portal.jobs import enqueue, every, job
from portal.models import User
from portal.permissions import require

MESSAGE_MAX = 300
LINK_MAX = 500
TARGET_MAX = 40
EMAIL_JOB = "notifications.email"


class Notification(db.Model):
    """Something a user should know about, with a link to it; unread while read_at is empty."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(String(MESSAGE_MAX))
    link: Mapped[str] = mapped_column(String(LINK_MAX), default="")
    # What the notification is about, as its author wrote it (Markdown): the reply, the
    # agent's answer. Shown in the e-mail; empty for notices that are their own message.
    body: Mapped[str] = mapped_column(Text, default="", server_default="")
    # What answering the e-mail adds to ("thread:12", "case:5"); empty: nothing.
    reply_target: Mapped[str] = mapped_column(String(TARGET_MAX), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # To be e-mailed (the recipient wants e-mail) until emailed_at is set by the e-mail job.
    email_wanted: Mapped[bool] = mapped_column(default=False)
    emailed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


def notify(
    session: Session,
    recipient: User,
    *,
    kind: str,
    message: str,
    params: dict | None = None,
    link: str = "",
    actor: User | None = None,
    email: bool = True,
    body: str = "",
    reply_target: str = "",
) -> Notification | None:
    """Notify a user (never of their own action, never a deleted account); an e-mail follows
    after the commit.

    ``message`` is the catalog's text (marked with ``N_``) with ``%(name)s`` placeholders
    filled from ``params``: it is written in the recipient's language, not the actor's.
    """
    if (actor is not None and actor.id == recipient.id) or recipient.is_deleted:
        return None
    with force_locale(locale_of(recipient)):
        text = gettext(message, **(params or {}))
    note = Notification(
        user_id=recipient.id,
        actor_id=actor.id if actor else None,
        kind=kind,
        message=text[:MESSAGE_MAX],
        link=link[:LINK_MAX],
        body=body or "",
        reply_target=reply_target[:TARGET_MAX],
        email_wanted=email and email_preferences.wants_email(session, recipient, kind),
    )
    session.add(note)
    if note.email_wanted:
        enqueue(
            session,
            EMAIL_JOB,
            key=f"{EMAIL_JOB}:{recipient.id}",
            delay_seconds=float(current_app.config["NOTIFICATION_EMAIL_DELAY_SECONDS"]),
            user_id=recipient.id,
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
    require(note.user_id == user.id, _("That notification is not yours."))
    if note.read_at is None:
        note.read_at = utcnow()


def mark_all_read(session: Session, user: User) -> None:
    session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )


def waiting_for_email(user_id: int, kinds=None):
    """The statement of a user's notifications not e-mailed yet (of these kinds), oldest first."""
    query = select(Notification).where(
        Notification.user_id == user_id,
        Notification.email_wanted.is_(True),
        Notification.emailed_at.is_(None),
    )
    if kinds is not None:
        query = query.where(Notification.kind.in_(kinds))
    return query.order_by(Notification.created_at, Notification.id)


@job(EMAIL_JOB)
def email_notifications(session: Session, *, user_id: int) -> None:
    """One e-mail per category with the user's notifications not e-mailed yet; those the
    user gets as a digest wait for it, those of a category turned off are dropped."""
    user = session.get(User, user_id)
    notes = list(session.scalars(waiting_for_email(user_id)))
    if user is None or not notes:
        return
    now = utcnow()
    if not user.email_notifications or user.is_deleted:  # turned off since: the bell keeps them
        for note in notes:
            note.emailed_at = now
        return
    modes = email_preferences.modes_for(session, user)
    by_category: dict[str, list[Notification]] = {}
    for note in notes:
        by_category.setdefault(email_preferences.category_of(note.kind), []).append(note)
    for category, group in by_category.items():
        mode = modes[category]
        if mode in (email_preferences.Mode.DAILY, email_preferences.Mode.WEEKLY):
            continue  # the digest takes them (portal/digests.py)
        for note in group:
            note.emailed_at = now
        if mode == email_preferences.Mode.EACH:
            with force_locale(locale_of(user)):
                notification_mail.send_notifications(session, user, category, group)


def current_unread_count() -> int:
    """For the bell in the layout: the signed-in user's unread notifications."""
    if not current_user.is_authenticated:
        return 0
    return unread_count(db.session, current_user)


def init_app(app) -> None:
    from portal import digests

    app.jinja_env.globals["unread_notification_count"] = current_unread_count
    every(app, digests.DIGEST_JOB, app.config["NOTIFICATION_DIGEST_CHECK_MINUTES"])
