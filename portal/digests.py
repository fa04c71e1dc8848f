"""Daily and weekly digests of followed threads and topics, instead of one e-mail each.

Notifications of a digest category (portal/email_preferences.py) wait, not e-mailed, while
their reader chose a digest. A periodic job (every NOTIFICATION_DIGEST_CHECK_MINUTES) sends
each such reader one e-mail with everything waiting once the oldest item has waited a day
(daily) or a week (weekly): at most one digest a period, nothing when nothing happened, and
no state to keep beyond the notifications themselves, so a job that runs twice or a worker
that was down for a while still sends each item once. A reader who switched back to "each"
gets the waiting items in the next ordinary e-mail; one who switched off, none.
"""

from datetime import timedelta

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import email_preferences, notification_mail
from portal.database import utcnow
from portal.email_preferences import Mode
from portal.i18n import locale_of
from portal.jobs import enqueue, job
from portal.models import User
from portal.notifications import EMAIL_JOB, Notification, waiting_for_email

DIGEST_JOB = "notifications.digests"
PERIODS = {Mode.DAILY: timedelta(days=1), Mode.WEEKLY: timedelta(days=7)}


@job(DIGEST_JOB)
def send_digests(session: Session) -> None:
    """Send every digest that is due (see the module's docstring for "due")."""
    now = utcnow()
    kinds = email_preferences.DIGEST_KINDS
    waiting = select(Notification.user_id).where(
        Notification.email_wanted.is_(True),
        Notification.emailed_at.is_(None),
        Notification.kind.in_(kinds),
    )
    for user_id in sorted(set(session.scalars(waiting))):
        user = session.get(User, user_id)
        modes = email_preferences.modes_for(session, user)
        for category in email_preferences.DIGEST_CATEGORIES:
            own_kinds = email_preferences.CATEGORIES[category][2]
            notes = list(session.scalars(waiting_for_email(user_id, own_kinds)))
            if notes:
                digest_due(session, user, category, notes, modes[category], now)


def digest_due(session: Session, user: User, category: str, notes: list, mode, now) -> None:
    """Send, drop or leave one reader's waiting notifications of one category."""
    if mode == Mode.EACH:
        enqueue(session, EMAIL_JOB, key=f"{EMAIL_JOB}:{user.id}", user_id=user.id)
        return
    if mode == Mode.OFF or not user.email_notifications or user.is_deleted:
        for note in notes:
            note.emailed_at = now
        return
    if now - notes[0].created_at < PERIODS[mode]:
        return
    for note in notes:
        note.emailed_at = now
    with force_locale(locale_of(user)):
        notification_mail.send_digest(session, user, category, notes, mode)
