"""The API's tables: access tokens, webhook endpoints and their deliveries."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import UtcDateTime, utcnow
from portal.extensions import db
from portal.models import User

TOKEN_NAME_MAX = 80
URL_MAX = 2000
EXCERPT_MAX = 500


class ApiToken(db.Model):
    """A bearer token: only the SHA-256 of its secret is kept (the secret is shown once).

    ``kind`` "personal": made by a user in their settings, acts as them; "service": made by
    an admin for an integration, acts as the account the admin chose. Either way the
    account's role decides what it may do (portal/permissions.py), narrowed by ``scopes``.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default="personal")
    name: Mapped[str] = mapped_column(String(TOKEN_NAME_MAX))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the secret, so its owner can tell tokens apart in a list.
    prefix: Mapped[str] = mapped_column(String(16))
    scopes: Mapped[str] = mapped_column(String(100))  # space-separated, e.g. "read write"
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class WebhookEndpoint(db.Model):
    """A URL an admin registered to receive some events, signed with its own secret."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(URL_MAX))
    description: Mapped[str] = mapped_column(String(200), default="")
    # Kept as is: every delivery is signed with it (HMAC), so it cannot be a one-way hash.
    secret: Mapped[str] = mapped_column(String(100))
    events: Mapped[str] = mapped_column(String(400))  # space-separated event names
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Failed attempts in a row; at WEBHOOK_PAUSE_AFTER_FAILURES the endpoint is paused.
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    paused_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    @property
    def event_set(self) -> frozenset[str]:
        return frozenset(self.events.split())


class WebhookDelivery(db.Model):
    """One event sent (or being sent) to one endpoint, with its last attempt's outcome."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(40))
    # The same for every delivery of one event (replays too): receivers deduplicate on it.
    event_id: Mapped[str] = mapped_column(String(36))
    payload: Mapped[dict] = mapped_column(JSON)
    # pending → delivered | retrying → … → delivered | failed; skipped: endpoint paused/gone.
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    response_code: Mapped[int | None] = mapped_column()
    response_excerpt: Mapped[str] = mapped_column(Text, default="")
    duration_ms: Mapped[int | None] = mapped_column()
    error: Mapped[str] = mapped_column(String(EXCERPT_MAX), default="")
    replay_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="SET NULL")
    )

    endpoint: Mapped[WebhookEndpoint] = relationship()
