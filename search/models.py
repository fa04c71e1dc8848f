"""Search analytics (one row per query) and deflection events (one row per step of a flow)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import UtcDateTime, utcnow
from portal.extensions import db

QUERY_MAX = 200  # normalized query text kept for analytics
KEY_MAX = 40  # "article:123456"
SESSION_ID_MAX = 32


class FlowStep(StrEnum):
    """One step of a deflection flow, recorded with the browser's anonymous session id."""

    SHOWN = "shown"  # suggestions were shown while typing
    WITHHELD = "withheld"  # a holdout session would have been shown suggestions
    OPENED = "opened"  # a suggestion was opened
    SOLVED = "solved"  # "this solved my problem"
    QUESTION = "question"  # a community question was posted anyway
    REQUEST = "request"  # a support request was sent anyway


class SearchQuery(db.Model):
    """One search made on the search page: what was asked, how many answers, what was opened."""

    __tablename__ = "search_queries"
    __table_args__ = (Index("ix_search_queries_text_created", "text", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(QUERY_MAX))
    results_count: Mapped[int]
    clicked_key: Mapped[str | None] = mapped_column(String(KEY_MAX))
    clicked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    session_id: Mapped[str] = mapped_column(String(SESSION_ID_MAX), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class DeflectionEvent(db.Model):
    """A step of a self-service flow; see search.deflection.deflection_rate for the rules."""

    __tablename__ = "search_deflection_events"
    __table_args__ = (
        CheckConstraint(
            "step IN ({})".format(", ".join(f"'{s.value}'" for s in FlowStep)), name="step_known"
        ),
        Index("ix_search_deflection_events_session_created", "session_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(String(SESSION_ID_MAX))
    step: Mapped[str] = mapped_column(String(12))
    holdout: Mapped[bool] = mapped_column(default=False)
    doc_key: Mapped[str | None] = mapped_column(String(KEY_MAX))
    query_text: Mapped[str] = mapped_column(String(QUERY_MAX), default="")
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class SearchChange(db.Model):
    """One entry of the change feed: this document changed (or left) in the committed
    transaction that wrote the row. Every machine's index follows the feed in id order
    (search/feed.py); ids only grow (AUTOINCREMENT on SQLite, a sequence on PostgreSQL)."""

    __tablename__ = "search_changes"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_key: Mapped[str] = mapped_column(String(KEY_MAX))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class SimilarThread(db.Model):
    """One of a thread's closest questions in meaning, at its place in the "similar
    questions" box: derived from the index when the thread changes (search/similar.py)."""

    __tablename__ = "search_similar_threads"

    thread_id: Mapped[int] = mapped_column(
        ForeignKey("community_threads.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    similar_id: Mapped[int] = mapped_column(
        ForeignKey("community_threads.id", ondelete="CASCADE"), index=True
    )
