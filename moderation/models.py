"""Moderation records: watched terms, screenings, queue items, rule hits, flags, appeals, audit."""

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.models import Post
from moderation.reasons import describe
from portal.database import UtcDateTime, utcnow
from portal.extensions import db
from portal.i18n import N_
from portal.models import User

REASON_MAX = 500
NOTE_MAX = 1000


class ItemStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class FlagCategory(StrEnum):
    SPAM = "spam"
    ABUSIVE = "abusive"
    OFF_TOPIC = "off_topic"
    PERSONAL_DATA = "personal_data"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The category as members and moderators read it (lazy: forms list it at import)."""
        return lazy_gettext(FLAG_CATEGORY_LABELS[self.value])


FLAG_CATEGORY_LABELS = {
    "spam": N_("Spam"),
    "abusive": N_("Abusive"),
    "off_topic": N_("Off-topic"),
    "personal_data": N_("Personal data exposed"),
    "other": N_("Other"),
}


class WatchedTermRecord(db.Model):
    """An admin's watched word or regular expression and what to do on a match."""

    __tablename__ = "moderation_watched_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(200))
    is_regex: Mapped[bool] = mapped_column(default=False)
    whole_word: Mapped[bool] = mapped_column(default=True)
    action: Mapped[str] = mapped_column(String(10))  # flag / hold / block
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Screening(db.Model):
    """Every post that went through the rules: the facts for rate limits and duplicates."""

    __tablename__ = "moderation_screenings"
    __table_args__ = (Index("ix_moderation_screenings_author_created", "author_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("community_posts.id", ondelete="CASCADE"), unique=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    thread_id: Mapped[int] = mapped_column(ForeignKey("community_threads.id", ondelete="CASCADE"))
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class QueueItem(db.Model):
    """One post in the moderators' queue; reopened when new reasons arrive after handling.

    ``revision`` changes on every state change: an action names the revision it was taken
    on, so a second moderator's click on a handled item changes nothing.
    """

    __tablename__ = "moderation_queue_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("community_posts.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(String(10), default=ItemStatus.OPEN.value, index=True)
    revision: Mapped[int] = mapped_column(default=1)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolution: Mapped[str] = mapped_column(String(20), default="")
    resolution_reason: Mapped[str] = mapped_column(String(REASON_MAX), default="")

    post: Mapped[Post] = relationship()
    resolved_by: Mapped[User | None] = relationship()
    hits: Mapped[list["RuleHitRecord"]] = relationship(
        back_populates="item", order_by="RuleHitRecord.id", cascade="all, delete-orphan"
    )


class RuleHitRecord(db.Model):
    """Which automatic rule fired on a post, and why; cleared when a moderator handles it."""

    __tablename__ = "moderation_rule_hits"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("moderation_queue_items.id", ondelete="CASCADE"), index=True
    )
    rule: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(10))
    # The catalog's message and the values of its placeholders (moderation/reasons.py);
    # params is empty for rows written before migration 0016 that it did not recognise.
    reason: Mapped[str] = mapped_column(String(REASON_MAX))
    params: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    cleared_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    item: Mapped[QueueItem] = relationship(back_populates="hits")

    @property
    def reason_text(self) -> str:
        """The reason in the current language."""
        return describe(self.reason, self.params)


class Flag(db.Model):
    """One member's report of one post; open until a moderator handles the post."""

    __tablename__ = "moderation_flags"
    __table_args__ = (UniqueConstraint("post_id", "reporter_id", name="uq_moderation_flags_post"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("community_posts.id", ondelete="CASCADE"))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(NOTE_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    outcome: Mapped[str] = mapped_column(String(20), default="")

    reporter: Mapped[User] = relationship()
    post: Mapped[Post] = relationship()

    @property
    def category_label(self) -> str:
        return FlagCategory(self.category).label


class Appeal(db.Model):
    """An author's appeal against one removal (the post's removed_at names the removal)."""

    __tablename__ = "moderation_appeals"
    __table_args__ = (
        UniqueConstraint("post_id", "removed_at", name="uq_moderation_appeals_removal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("community_posts.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    removed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open / granted / denied
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decision_reason: Mapped[str] = mapped_column(String(REASON_MAX), default="")

    author: Mapped[User] = relationship(foreign_keys=[author_id])


class AuditEntry(db.Model):
    """One moderator or admin action; append-only (guarded in audit.py and by DB triggers)."""

    __tablename__ = "moderation_audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    # Kept as plain text too, so the entry still says who after an account is gone.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(80), default="system")
    action: Mapped[str] = mapped_column(String(40), index=True)
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int | None]
    target_label: Mapped[str] = mapped_column(String(300), default="")
    reason: Mapped[str] = mapped_column(String(REASON_MAX), default="")
    before_text: Mapped[str | None] = mapped_column(Text)
    after_text: Mapped[str | None] = mapped_column(Text)

    actor: Mapped[User | None] = relationship()
