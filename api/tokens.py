"""Access tokens: made, listed, revoked, and recognised from an ``Authorization`` header.

A token is ``cpt_`` and 43 random URL-safe characters (256 bits). Only its SHA-256 is
stored: a stolen database gives no usable token, and since the secret is random a fast
hash is enough (no password to guess). The secret is returned once, by ``create_token``.
"""

import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.models import TOKEN_NAME_MAX, ApiToken
from portal.database import utcnow
from portal.errors import NotFound, ValidationFailed
from portal.i18n import N_
from portal.models import User
from portal.permissions import (
    can_have_api_tokens,
    can_manage_service_tokens,
    require,
)

PREFIX = "cpt_"
# What each scope lets a token do; the account's role still decides the rest.
SCOPES = {
    "read": N_("Read what the account can see"),
    "write": N_("Ask, reply, vote, accept solutions, write articles and tags"),
    "cases": N_("Work cases: reply, assign, change status, solve"),
    "admin": N_("Manage users"),
}
# A token's last use is written at most this often (not on every request).
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def clean_scopes(scopes: list[str]) -> str:
    chosen = [scope for scope in SCOPES if scope in set(scopes)]
    if not chosen or len(chosen) != len(set(scopes)):
        raise ValidationFailed(_("Choose at least one scope from the list."), field="scopes")
    return " ".join(chosen)


def clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed(_("Give the token a name, to recognise it later."), field="name")
    if len(name) > TOKEN_NAME_MAX:
        raise ValidationFailed(
            _("Keep the name under %(num)d characters.", num=TOKEN_NAME_MAX), field="name"
        )
    return name


def create_token(
    session: Session,
    actor: User,
    *,
    name: str,
    scopes: list[str],
    service_for: User | None = None,
) -> tuple[ApiToken, str]:
    """A new token and its secret (shown once, never stored).

    ``service_for`` None: a personal token of the actor. Else a service token acting as
    that account, which only an admin makes.
    """
    if service_for is None:
        require(can_have_api_tokens(actor), _("Sign in to make a token."))
        if "admin" in scopes and not can_manage_service_tokens(actor):
            raise ValidationFailed(_("Only admins may give a token the admin scope."), "scopes")
    else:
        require(can_manage_service_tokens(actor), _("Only admins make service tokens."))
        if service_for.is_deleted:
            raise ValidationFailed(_("That account was deleted."), field="account")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        kind="personal" if service_for is None else "service",
        name=clean_name(name),
        user_id=(service_for or actor).id,
        created_by_id=actor.id,
        secret_hash=hash_secret(secret),
        prefix=secret[: len(PREFIX) + 6],
        scopes=clean_scopes(scopes),
        created_at=utcnow(),
    )
    session.add(token)
    session.flush()
    return token, secret


def personal_tokens(session: Session, user: User) -> list[ApiToken]:
    """The user's own tokens that still work, newest first."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(
                ApiToken.user_id == user.id,
                ApiToken.kind == "personal",
                ApiToken.revoked_at.is_(None),
            )
            .order_by(ApiToken.id.desc())
        )
    )


def service_tokens(session: Session) -> list[ApiToken]:
    """Every service token that still works, newest first."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.kind == "service", ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.id.desc())
        )
    )


def revoke_token(session: Session, actor: User, token_id: int) -> ApiToken:
    """Stop a token from working: its owner revokes a personal one, an admin a service one."""
    token = session.get(ApiToken, token_id)
    if token is None or token.revoked_at is not None:
        raise NotFound(_("No such token."))
    if token.kind == "personal":
        require(token.user_id == actor.id, _("This is not your token."))
    else:
        require(can_manage_service_tokens(actor), _("Only admins revoke service tokens."))
    token.revoked_at = utcnow()
    session.flush()
    return token


def token_for_secret(session: Session, secret: str) -> ApiToken | None:
    """The working token with this secret, or None (unknown, revoked, account deleted)."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.secret_hash == hash_secret(secret)))
    if token is None or token.revoked_at is not None or token.user.is_deleted:
        return None
    return token


def note_use(session: Session, token: ApiToken) -> bool:
    """Record that the token was used now (at most once a minute); whether it wrote."""
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return False
    session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
    return True


def revoke_all_of(session: Session, user: User) -> None:
    """Every token acting as the user stops working (their account is being deleted)."""
    session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
