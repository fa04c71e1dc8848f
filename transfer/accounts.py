"""Placeholder accounts for imported authors: they sign in only once claimed.

An imported member (a Stack Exchange user, a user of an archive) has no password we know:
the account is stored with a password hash that no password matches (werkzeug refuses a
hash without its method and salt), a made-up address under ``.invalid`` (RFC 2606: mail to
it goes nowhere) and e-mail notifications off. ``claim`` gives it a real address and
password, after which it is an account like any other.
"""

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.errors import Conflict, ValidationFailed
from portal.models import DISPLAY_NAME_MAX, USERNAME_MAX, User, new_session_token
from portal.permissions import Role
from portal.service import normalize_email, slugify

UNCLAIMED_HASH = "!unclaimed"
PLACEHOLDER_DOMAIN = "placeholder.invalid"
BIO_MAX = 500


def is_placeholder(user: User) -> bool:
    """An imported account nobody has claimed yet."""
    return user.password_hash == UNCLAIMED_HASH


def free_username(session: Session, name: str, suffix: str) -> str:
    """A free username from a display name: 'Jane Doe', '42' → 'jane-doe-42'."""
    base = slugify(name)[: USERNAME_MAX - len(suffix) - 4].strip("-") or "member"
    candidate, counter = f"{base}-{suffix}", 1
    while session.scalar(select(User.id).where(User.username == candidate)):
        counter += 1
        candidate = f"{base}-{suffix}-{counter}"
    return candidate


def make_placeholder(
    session: Session,
    *,
    source_slug: str,
    source_id: str,
    display_name: str,
    bio: str,
    created_at: datetime | None,
) -> User:
    """A new placeholder account for an imported author (flushed)."""
    user = User(
        username=free_username(session, display_name, slugify(source_id) or "x"),
        email=f"{slugify(source_id) or 'x'}.{source_slug}@{PLACEHOLDER_DOMAIN}",
        password_hash=UNCLAIMED_HASH,
        display_name=display_name[:DISPLAY_NAME_MAX],
        bio=bio[:BIO_MAX],
        role=Role.CUSTOMER.value,
        email_notifications=False,
    )
    if created_at is not None:
        user.created_at = created_at
    session.add(user)
    session.flush()
    return user


def claim(session: Session, user: User, *, email: str, password: str) -> None:
    """Give an imported account its owner's address and password: it can sign in now."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise ValidationFailed(
            _("Use a password of at least %(num)d characters.", num=minimum), field="password"
        )
    email = normalize_email(email)
    if not email or "@" not in email:
        raise ValidationFailed(_("Give the member’s e-mail address."), field="email")
    taken = session.scalar(select(User.id).where(User.email == email, User.id != user.id))
    if taken:
        raise Conflict(_("An account with that e-mail address already exists."), field="email")
    if user.is_deleted:
        raise Conflict(_("This account was deleted; it cannot be claimed."))
    user.email = email
    user.set_password(password)
    user.session_token = new_session_token()
    user.email_notifications = True
    session.flush()
