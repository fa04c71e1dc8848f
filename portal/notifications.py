"""In-app notifications (the bell) and the e-mails that carry them.

Any package notifies with ``notify(session, user, kind=..., message=..., link=...)`` inside
its transaction. Users who kept "E-mail me my notifications" on get them by e-mail too:
``notify`` queues a ``notifications.email`` job for the person, delayed by
NOTIFICATION_EMAIL_DELAY_SECONDS, and while that job waits, more notifications join it —
so a burst (twenty replies, a sweep's invitations) reaches a person as one e-mail listing
them all. Links in e-mails are built from SITE_URL, never from the request's Host.
"""

from datetime import datetime

from flask import current_app
from flask_babel import force_locale, gettext, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import ForeignKey, String, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from portal import mail
from portal.database import UtcDateTime, utcnow
from portal.extensions import db
from portal.i18n import locale_of
from portal.jobs import enqueue, job
from portal.models import User
from portal.permissions import require

MESSAGE_MAX = 300
LINK_MAX = 500
EMAIL_JOB = "notifications.email"
EMAIL_SUBJECT_MAX = 150


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
        email_wanted=email and recipient.email_notifications,
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


@job(EMAIL_JOB)
def email_notifications(session: Session, *, user_id: int) -> None:
    """One e-mail with every notification of the user not e-mailed yet (none: nothing)."""
    user = session.get(User, user_id)
    waiting = select(Notification).where(
        Notification.user_id == user_id,
        Notification.email_wanted.is_(True),
        Notification.emailed_at.is_(None),
    )
    notes = list(session.scalars(waiting.order_by(Notification.created_at, Notification.id)))
    if user is None or not notes:
        return
    now = utcnow()
    for note in notes:
        note.emailed_at = now
    if not user.email_notifications:  # turned off since: the bell keeps them
        return
    with force_locale(locale_of(user)):
        subject, body = compose_email(notes)
    mail.send_later(session, to=user.email, subject=subject, body=body)


def compose_email(notes: list[Notification]) -> tuple[str, str]:
    """Subject and plain-text body for one or several notifications, links absolute."""
    config = current_app.config
    site = config["SITE_URL"].rstrip("/")

    def entry(note: Notification) -> str:
        return f"{note.message}\n{site}{note.link}" if note.link else note.message

    if len(notes) == 1:
        subject = notes[0].message[:EMAIL_SUBJECT_MAX]
    else:
        subject = ngettext(
            "%(num)d new notification on %(site)s",
            "%(num)d new notifications on %(site)s",
            len(notes),
            site=config["SITE_NAME"],
        )
    notifications_url, settings_url = f"{site}/notifications/", f"{site}/settings"
    footer = "\n".join(
        (
            f"— {config['SITE_NAME']}",
            _("All your notifications: %(url)s", url=notifications_url),
            _("To stop these e-mails: %(url)s", url=settings_url),
        )
    )
    return subject, "\n\n".join([*(entry(note) for note in notes), footer])


def current_unread_count() -> int:
    """For the bell in the layout: the signed-in user's unread notifications."""
    if not current_user.is_authenticated:
        return 0
    return unread_count(db.session, current_user)


def init_app(app) -> None:
    app.jinja_env.globals["unread_notification_count"] = current_unread_count
