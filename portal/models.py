"""Accounts, roles and the shared tags."""

import secrets
from datetime import datetime
from functools import cache

from flask import current_app, has_app_context
from flask_babel import gettext
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from portal.database import UtcDateTime, utcnow
from portal.extensions import db
from portal.i18n import N_
from portal.localtime import TIME_ZONE_MAX
from portal.permissions import Role

USERNAME_MAX = 32
EMAIL_MAX = 254
DISPLAY_NAME_MAX = 80
BIO_MAX = 500
REASON_MAX = 500
LOCALE_MAX = 8
SESSION_TOKEN_MAX = 64
# Shown instead of the name of an account that was deleted (portal/privacy.py), in the
# reader's language (User.name); the audit log's triggers (migration 0013) accept exactly
# this English text as a deleted member's stored name: translate it where it is shown.
DELETED_NAME = N_("Deleted member")


def new_session_token() -> str:
    """A fresh random value for users.session_token (32 URL-safe characters)."""
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ({})".format(", ".join(f"'{role.value}'" for role in Role)), name="role_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(USERNAME_MAX), unique=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(DISPLAY_NAME_MAX), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(String(20), default=Role.CUSTOMER.value)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Suspended while suspended_at is set and suspended_until is empty (indefinite) or ahead.
    suspended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    suspended_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    suspension_reason: Mapped[str] = mapped_column(String(REASON_MAX), default="")
    # Off: notifications still reach the bell, but no e-mail is sent for them.
    email_notifications: Mapped[bool] = mapped_column(default=True, server_default=true())
    # An IANA name (portal.localtime checks it); empty: pages follow the browser's zone.
    time_zone: Mapped[str | None] = mapped_column(String(TIME_ZONE_MAX))
    # "en", "fr" (portal.i18n.LANGUAGES); empty: the browser's language, else the site's.
    locale: Mapped[str | None] = mapped_column(String(LOCALE_MAX))
    # Part of every session and remember cookie of this user (portal/sessions.py): a new
    # value ends them all (sign-out, password change, suspension).
    session_token: Mapped[str] = mapped_column(String(SESSION_TOKEN_MAX), default=new_session_token)
    # When the owner proved the address is theirs (a link sent to it, or a single sign-on
    # provider that vouches for it); None: unverified (portal/account_tokens.py). Changing
    # the address waits for the new one to be verified, so this is always about `email`.
    email_verified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Set when the account is deleted: the row stays, emptied of personal data, so the
    # posts and records that name its id still have an author (portal/privacy.py).
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    # When the sign-in this object stands for began (Unix seconds): not a column, set by
    # portal/sessions.py from the cookie, so each session carries its own age.
    signed_in_at = None

    def get_id(self) -> str:
        """Flask-Login's alternative id, kept in the session and the remember cookie:
        the user, their current session token and the sign-in's time."""
        if self.signed_in_at is None:
            self.signed_in_at = int(utcnow().timestamp())
        return f"{self.id}:{self.session_token}:{self.signed_in_at}"

    def __eq__(self, other: object) -> bool:
        # UserMixin compares get_id(), which differs between two sign-ins of one user.
        if not isinstance(other, User):
            return NotImplemented
        return self is other or (self.id is not None and self.id == other.id)

    __hash__ = UserMixin.__hash__

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=password_hash_method())

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def name(self) -> str:
        """What to call the user on a page."""
        if self.deleted_at is not None:
            return gettext(DELETED_NAME)
        return self.display_name or self.username

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_suspended(self) -> bool:
        if self.suspended_at is None:
            return False
        return self.suspended_until is None or self.suspended_until > utcnow()

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role})>"


def password_hash_method() -> str:
    """werkzeug's method string for new hashes. A setting only so the test suite can afford
    thousands of hashes (it uses a tiny scrypt cost); every real install keeps scrypt."""
    return current_app.config["PASSWORD_HASH_METHOD"] if has_app_context() else "scrypt"


@cache
def _stand_in_hash(method: str) -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def check_password_of_nobody(password: str) -> bool:
    """Spend on an unknown username what checking a real password costs (a hash of the same
    method and cost), so the time of the answer does not tell which usernames exist."""
    check_password_hash(_stand_in_hash(password_hash_method()), password)
    return False


class LoginAttempt(db.Model):
    """One sign-in attempt, kept to slow down password guessing across all workers."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    identifier: Mapped[str] = mapped_column(String(EMAIL_MAX), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    ip_address: Mapped[str] = mapped_column(String(45), index=True)
    succeeded: Mapped[bool] = mapped_column(default=False)
    attempted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class Tag(db.Model):
    """A topic shared by articles, threads and case routing."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(String(300), default="")

    def __repr__(self) -> str:
        return f"<Tag {self.slug}>"


class SsoIdentity(db.Model):
    """An account at the single sign-on provider (its issuer and subject) tied to an account
    here: found again at the next sign-in even if either side's address changed."""

    __tablename__ = "sso_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_sso_identities_issuer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
