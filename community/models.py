"""Threads, posts (the question is the first post), votes, accepted solutions, follows."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import UtcDateTime, utcnow
from portal.extensions import db
from portal.models import Tag, User

TITLE_MIN, TITLE_MAX = 10, 200
TAGS_MIN, TAGS_MAX = 1, 5
LANGUAGE_MAX = 8


class PostStatus(StrEnum):
    VISIBLE = "visible"
    HELD = "held"  # waiting for moderation, seen only by its author and moderators
    HIDDEN = "hidden"  # removed by a moderator
    DELETED = "deleted"  # removed by its author or a moderator (soft delete)


thread_tags = Table(
    "community_thread_tags",
    db.metadata,
    Column("thread_id", ForeignKey("community_threads.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Thread(db.Model):
    """A question and its replies; solved when an AcceptedSolution row exists."""

    __tablename__ = "community_threads"
    # One per sort of the lists: the listed threads already in the page's order.
    __table_args__ = (
        Index("ix_community_threads_listed_active", "is_listed", "last_activity_at", "id"),
        Index("ix_community_threads_listed_newest", "is_listed", "created_at", "id"),
        Index(
            "ix_community_threads_listed_votes",
            "is_listed",
            "question_score",
            "last_activity_at",
            "id",
        ),
        # What community.listing counts at each commit, read from the index alone.
        Index(
            "ix_community_threads_listed_counts",
            "is_listed",
            "question_language",
            "is_solved",
            "reply_count",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    last_activity_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    # Visible replies, kept in step by the service so lists need no count per row.
    reply_count: Mapped[int] = mapped_column(default=0)
    locked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    locked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_threads.id", ondelete="SET NULL")
    )
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # What the lists filter and sort on, copied from the question and the solution by
    # community.listing.refresh (its only writer) so a list reads no post.
    is_listed: Mapped[bool] = mapped_column(default=False, server_default=false())
    question_language: Mapped[str | None] = mapped_column(String(LANGUAGE_MAX))
    question_score: Mapped[int] = mapped_column(default=0, server_default="0")
    is_solved: Mapped[bool] = mapped_column(default=False, server_default=false())

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    tags: Mapped[list[Tag]] = relationship(secondary=thread_tags, order_by=Tag.name)
    posts: Mapped[list["Post"]] = relationship(
        back_populates="thread", order_by="Post.created_at, Post.id", cascade="all, delete-orphan"
    )
    question: Mapped["Post"] = relationship(
        primaryjoin=lambda: and_(Post.thread_id == Thread.id, Post.is_question.is_(True)),
        viewonly=True,
        uselist=False,
    )
    solution: Mapped["AcceptedSolution | None"] = relationship(
        back_populates="thread", uselist=False, cascade="all, delete-orphan"
    )
    duplicate_of: Mapped["Thread | None"] = relationship(remote_side=[id])

    @property
    def language(self) -> str | None:
        """The thread's language is its question's (its title is written with it)."""
        question = self.question
        return question.language if question is not None else None

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def is_duplicate(self) -> bool:
        return self.duplicate_of_id is not None

    @property
    def accepts_replies(self) -> bool:
        question = self.question
        return (
            not self.is_locked
            and not self.is_duplicate
            and question is not None
            and question.status == PostStatus.VISIBLE
        )

    def __repr__(self) -> str:
        return f"<Thread {self.id} {self.title[:30]!r}>"


class Post(db.Model):
    """The question (is_question) or a reply; never removed, only marked deleted or hidden."""

    __tablename__ = "community_posts"
    __table_args__ = (
        CheckConstraint(
            "status IN ({})".format(", ".join(f"'{s.value}'" for s in PostStatus)),
            name="status_known",
        ),
        Index("ix_community_posts_thread_created", "thread_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("community_threads.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    is_question: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str] = mapped_column(Text)
    # The body rendered and sanitized, by the renderer version named (portal/stored_html.py):
    # written with the body, in its transaction; NULL (an import) is rendered when shown.
    body_html: Mapped[str | None] = mapped_column(Text)
    html_version: Mapped[str | None] = mapped_column(String(40))
    # What the post is written in ("en", "fr": portal.text_language.CONTENT_LANGUAGES),
    # chosen by its author or detected; pages put it in the lang attribute.
    language: Mapped[str] = mapped_column(String(LANGUAGE_MAX), default="en")
    status: Mapped[str] = mapped_column(String(10), default=PostStatus.VISIBLE.value)
    # Sum of the votes, kept in step by the service for sorting.
    score: Mapped[int] = mapped_column(default=0)
    # Indexed for "posts of a period" (the dashboard's contributors and active members).
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    edited_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    removed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    thread: Mapped[Thread] = relationship(back_populates="posts")
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    edited_by: Mapped[User | None] = relationship(foreign_keys=[edited_by_id])
    revisions: Mapped[list["PostRevision"]] = relationship(
        back_populates="post", order_by="PostRevision.id", cascade="all, delete-orphan"
    )

    @property
    def is_visible(self) -> bool:
        return self.status == PostStatus.VISIBLE

    def __repr__(self) -> str:
        return f"<Post {self.id} of thread {self.thread_id} ({self.status})>"


class PostRevision(db.Model):
    """What a post said before one edit, and who made that edit when."""

    __tablename__ = "community_post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("community_posts.id", ondelete="CASCADE"), index=True
    )
    previous_title: Mapped[str | None] = mapped_column(String(TITLE_MAX))
    previous_body: Mapped[str] = mapped_column(Text)
    editor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    edited_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    post: Mapped[Post] = relationship(back_populates="revisions")
    editor: Mapped[User] = relationship()


class Vote(db.Model):
    """One user's +1 or -1 on one post; the unique pair makes double votes impossible."""

    __tablename__ = "community_votes"
    __table_args__ = (
        UniqueConstraint("post_id", "user_id", name="uq_community_votes_post_user"),
        CheckConstraint("value IN (-1, 1)", name="value_is_one_step"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("community_posts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    value: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class AcceptedSolution(db.Model):
    """The reply that solved a thread: one per thread, and a reply solves one thread only."""

    __tablename__ = "community_solutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("community_threads.id", ondelete="CASCADE"), unique=True
    )
    post_id: Mapped[int] = mapped_column(
        ForeignKey("community_posts.id", ondelete="CASCADE"), unique=True
    )
    accepted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    accepted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)

    thread: Mapped[Thread] = relationship(back_populates="solution")
    post: Mapped[Post] = relationship()
    accepted_by: Mapped[User] = relationship()


class ReputationEvent(db.Model):
    """Points won or lost, one row per cause; a user's reputation is the sum of the rows."""

    __tablename__ = "community_reputation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    points: Mapped[int]
    reason: Mapped[str] = mapped_column(String(40))
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_posts.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class ThreadFollow(db.Model):
    __tablename__ = "community_thread_follows"
    __table_args__ = (UniqueConstraint("user_id", "thread_id", name="uq_community_thread_follow"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("community_threads.id", ondelete="CASCADE"), index=True
    )


class TagFollow(db.Model):
    __tablename__ = "community_tag_follows"
    __table_args__ = (UniqueConstraint("user_id", "tag_id", name="uq_community_tag_follow"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), index=True)


class ListCount(db.Model):
    """How many listed threads of a topic (0: every topic) in a language ("": every
    language) are unanswered, answered but unsolved, and solved: the lists' filter tabs,
    counted again by community.listing when a transaction changed one of the topic's threads.
    """

    __tablename__ = "community_list_counts"

    tag_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    language: Mapped[str] = mapped_column(String(LANGUAGE_MAX), primary_key=True)
    unanswered: Mapped[int] = mapped_column(default=0)
    answered: Mapped[int] = mapped_column(default=0)
    solved: Mapped[int] = mapped_column(default=0)
