"""Data rights: deleting an account, downloading one's data, forgetting old sign-ins.

Deleting an account keeps its ``users`` row as a tombstone: ``deleted_at`` set, every
personal field erased or replaced, no password, a fresh session token. Posts, articles,
cases and audit entries keep naming its id, so threads still read in order (their author
shows as "Deleted member") and no foreign key or append-only trigger has to give way.
Each package erases or anonymises its own rows when ``user.deleting`` is published
(session, user, actor, reason), inside the deleting transaction, after ``deleted_at`` is
set and before the foundation erases the profile; SECURITY.md lists what happens to each
table. Downloading works the same way: ``user.data_collecting`` (session, user, data)
lets each package add its part to the ``data`` dict.
"""

import json
from datetime import datetime, timedelta

from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from portal import events, jobs, mail, recovery, service
from portal.database import utcnow
from portal.errors import ValidationFailed
from portal.jobs.models import Job
from portal.models import REASON_MAX, LoginAttempt, SsoIdentity, User, new_session_token
from portal.notifications import Notification
from portal.permissions import Role, can_delete_account, require

PRUNE_SIGN_INS_JOB = "portal.prune_sign_in_attempts"
# No password hash matches this: werkzeug refuses a hash without its method and salt.
NO_PASSWORD = "!"
EXPORT_FORMAT = "careportal-data/1"


def delete_account(
    session: Session, actor: User, user: User, *, password: str | None = None, reason: str = ""
) -> None:
    """Delete an account: the member themself (with their password) or an admin (audited).

    The last admin cannot go: nobody could manage the portal afterwards.
    """
    require(can_delete_account(actor, user), _("You cannot delete this account."))
    if actor.id == user.id and not user.check_password(password or ""):
        raise ValidationFailed(_("That is not your password."), field="password")
    reason = reason.strip()
    if len(reason) > REASON_MAX:
        raise ValidationFailed(service.reason_too_long(), field="reason")
    if user.role == Role.ADMIN and not other_admins(session, user):
        raise ValidationFailed(
            _("This is the last admin account: make someone else an admin first.")
        )
    user.deleted_at = utcnow()
    session.flush()  # the audit log's trigger checks deleted_at before a name is erased
    events.publish("user.deleting", session=session, user=user, actor=actor, reason=reason)
    _erase_own_rows(session, user)
    _erase_profile(user)
    session.flush()


def other_admins(session: Session, user: User) -> list[User]:
    """Admins besides this user who can still act (not deleted, not suspended)."""
    admins = session.scalars(
        select(User).where(
            User.role == Role.ADMIN.value, User.deleted_at.is_(None), User.id != user.id
        )
    )
    return [admin for admin in admins if not admin.is_suspended]


def _erase_own_rows(session: Session, user: User) -> None:
    """The foundation's tables: sign-ins, the bell, e-mails still waiting to leave."""
    session.execute(
        delete(LoginAttempt).where(
            or_(
                LoginAttempt.user_id == user.id,
                LoginAttempt.identifier.in_([user.username, user.email]),
            )
        )
    )
    # Also the notifications the member caused: their text names them ("X replied").
    session.execute(
        delete(Notification).where(
            or_(Notification.user_id == user.id, Notification.actor_id == user.id)
        )
    )
    for waiting in session.scalars(select(Job).where(Job.name == mail.MAIL_JOB)):
        if waiting.payload.get("to") == user.email:
            session.delete(waiting)
    for waiting in session.scalars(select(Job).where(Job.name == recovery.RESET_MAIL_JOB)):
        if waiting.payload.get("email") == user.email:
            session.delete(waiting)
    # The tie to the sign-on provider: nobody signs in as the tombstone again.
    session.execute(delete(SsoIdentity).where(SsoIdentity.user_id == user.id))


def _erase_profile(user: User) -> None:
    """Keep the id (and when it joined); everything that says who it was goes."""
    placeholder = f"deleted:{user.id}"  # no username or e-mail address can look like this
    user.username = user.email = placeholder
    user.password_hash = NO_PASSWORD
    user.display_name = user.bio = user.suspension_reason = ""
    user.time_zone = None
    user.email_verified_at = None
    user.email_notifications = False
    user.last_login_at = user.suspended_at = user.suspended_until = None
    user.role = Role.CUSTOMER.value  # no staff list, queue or routing picks it up again
    user.session_token = new_session_token()  # every session and remember cookie ends


def collect_data(session: Session, user: User) -> dict:
    """Everything the portal holds about the user, by package, for "Download my data"."""
    attempts = session.scalars(
        select(LoginAttempt)
        .where(LoginAttempt.user_id == user.id)
        .order_by(LoginAttempt.attempted_at)
    )
    notes = session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    )
    data = {
        "format": EXPORT_FORMAT,
        "site": current_app.config["SITE_URL"],
        "exported_at": utcnow(),
        "account": {
            "id": user.id,
            "username": user.username,
            "email": user.email,
            "email_verified_at": user.email_verified_at,
            "display_name": user.display_name,
            "bio": user.bio,
            "role": user.role,
            "created_at": user.created_at,
            "last_login_at": user.last_login_at,
            "time_zone": user.time_zone,
            "email_notifications": user.email_notifications,
            "suspended_at": user.suspended_at,
            "suspended_until": user.suspended_until,
            "suspension_reason": user.suspension_reason,
        },
        "sign_in_attempts": [
            {
                "at": attempt.attempted_at,
                "ip_address": attempt.ip_address,
                "typed": attempt.identifier,
                "succeeded": attempt.succeeded,
            }
            for attempt in attempts
        ],
        "notifications": [
            {
                "at": note.created_at,
                "kind": note.kind,
                "message": note.message,
                "link": note.link,
                "read_at": note.read_at,
                "emailed_at": note.emailed_at,
            }
            for note in notes
        ],
        "single_sign_on": [
            {"issuer": tie.issuer, "subject": tie.subject, "since": tie.created_at}
            for tie in session.scalars(
                select(SsoIdentity).where(SsoIdentity.user_id == user.id).order_by(SsoIdentity.id)
            )
        ],
    }
    events.publish("user.data_collecting", session=session, user=user, data=data)
    return data


def _json_value(value):
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def export_json(session: Session, user: User) -> bytes:
    """collect_data as a UTF-8 JSON document."""
    data = collect_data(session, user)
    # Compact: with an indent, json falls back from its C encoder (2 s more for 12 MB).
    return json.dumps(data, default=_json_value, ensure_ascii=False).encode()


def kept_sign_ins() -> timedelta:
    return timedelta(days=float(current_app.config["LOGIN_ATTEMPTS_KEPT_DAYS"]))


@jobs.job(PRUNE_SIGN_INS_JOB)
def prune_sign_in_attempts(session: Session) -> None:
    """Forget sign-in attempts (and their IP addresses) older than LOGIN_ATTEMPTS_KEPT_DAYS."""
    before = utcnow() - kept_sign_ins()
    session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < before))


def init_app(app: Flask) -> None:
    """Prune sign-in attempts every hour (the worker runs it once per hour across machines)."""
    jobs.every(app, PRUNE_SIGN_INS_JOB, 60)
