"""Signed links for accounts: password reset and e-mail verification.

A token is itsdangerous' URL-safe, timestamped signature (the library Flask itself signs
sessions with) over a small payload, under SECRET_KEY and a salt per purpose, so a token
for one purpose is never accepted for another. Nothing is stored: what makes a token
single-use is that it names the state it was issued for, and that state changes when the
token is used.

- A password reset names the user and a fingerprint of their password hash and address:
  the new password changes the hash, so the link dies once used (and any older link with
  it); it also dies if the address changes meanwhile.
- A verification names the user, the address to verify and a fingerprint of the address
  the account had when it was sent: confirming a new address changes that, so a link for
  an address the account no longer has (or a second click of a change) is refused.
"""

import hashlib
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from portal.errors import ValidationFailed
from portal.models import User

RESET = "password-reset"
VERIFY = "verify-email"


class LinkRefused(ValidationFailed):
    """A signed link that is expired, used, replaced or not ours; the message says which."""


@dataclass(frozen=True)
class VerificationClaim:
    user_id: int
    email: str  # the address the link verifies
    issued_for: str  # fingerprint of the account's address when the link was sent


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"careportal.{purpose}")


def fingerprint(*parts: str) -> str:
    """A short digest of account state; it reveals nothing about the parts."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def _load(purpose: str, token: str, max_age_seconds: int) -> dict:
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age_seconds)
    except SignatureExpired:
        raise LinkRefused(_("This link has expired. Ask for a new one below.")) from None
    except BadSignature:
        raise LinkRefused(_("This link is not valid. Ask for a new one below.")) from None
    if not isinstance(payload, dict):
        raise LinkRefused(_("This link is not valid. Ask for a new one below."))
    return payload


def reset_token(user: User) -> str:
    """A link's token to choose a new password, valid PASSWORD_RESET_MAX_AGE_MINUTES."""
    state = fingerprint(user.password_hash, user.email)
    return _serializer(RESET).dumps({"u": user.id, "s": state})


def reset_max_age() -> int:
    return int(current_app.config["PASSWORD_RESET_MAX_AGE_MINUTES"]) * 60


def user_of_reset_token(session, token: str) -> User:
    """The account a reset link stands for, if the link is still good; else LinkRefused."""
    payload = _load(RESET, token, reset_max_age())
    user = session.get(User, payload.get("u")) if isinstance(payload.get("u"), int) else None
    if user is None or user.is_deleted:
        raise LinkRefused(_("This link is not valid. Ask for a new one below."))
    if payload.get("s") != fingerprint(user.password_hash, user.email):
        raise LinkRefused(
            _("This link was used already, or a newer one replaced it. Ask for a new one below.")
        )
    return user


def verification_token(user: User, email: str | None = None) -> str:
    """A link's token confirming ``email`` (the account's own address by default)."""
    payload = {"u": user.id, "e": email or user.email, "s": fingerprint(user.email)}
    return _serializer(VERIFY).dumps(payload)


def verification_max_age() -> int:
    return int(current_app.config["EMAIL_VERIFICATION_MAX_AGE_HOURS"]) * 3600


def read_verification_token(token: str) -> VerificationClaim:
    """What a verification link claims, if it is ours and not expired; else LinkRefused."""
    payload = _load(VERIFY, token, verification_max_age())
    user_id, email, state = payload.get("u"), payload.get("e"), payload.get("s")
    if not (isinstance(user_id, int) and isinstance(email, str) and isinstance(state, str)):
        raise LinkRefused(_("This link is not valid. Ask for a new one below."))
    return VerificationClaim(user_id, email, state)
