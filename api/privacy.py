"""A deleted account's tokens stop working; "Download my data" lists them (no secrets)."""

from sqlalchemy import select

from api import tokens
from api.models import ApiToken


def revoke_tokens(sender, *, session, user, **data) -> None:
    """Subscriber of ``user.deleting``."""
    tokens.revoke_all_of(session, user)


def collect_tokens(sender, *, session, user, data, **rest) -> None:
    """Subscriber of ``user.data_collecting``."""
    rows = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id))
    data["api_tokens"] = [
        {
            "name": token.name,
            "kind": token.kind,
            "scopes": token.scopes.split(),
            "created_at": token.created_at.isoformat(),
            "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
            "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
        }
        for token in rows
    ]
