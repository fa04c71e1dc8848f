"""Articles, their revisions and old slugs, and readers' feedback."""

import re
from datetime import datetime
from enum import StrEnum

from flask_babel import gettext
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.models import Thread
from portal.database import UtcDateTime, utcnow
from portal.extensions import db
from portal.i18n import N_
from portal.models import Tag, User

TITLE_MAX = 200
SLUG_MAX = 120
SUMMARY_MAX = 300
NOTE_MAX = 300
COMMENT_MAX = 1000
BODY_MAX_BYTES = 200 * 1024
TAGS_MIN, TAGS_MAX = 1, 5
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_MARKS = re.compile(r"[*_`>#]+")
# The languages an article may be written in, each under its own name (as readers look for it).
LANGUAGES = {"en": "English", "fr": "Français"}


class ArticleStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class RevisionState(StrEnum):
    SAVED = "saved"  # written by an agent: part of the history
    PENDING = "pending"  # suggested by a super-user, waiting for an agent
    ACCEPTED = "accepted"  # a suggestion an agent took: part of the history
    DECLINED = "declined"  # a suggestion an agent turned down


# What pages call each state, translated where they are shown.
STATUS_LABELS = {
    ArticleStatus.DRAFT: N_("Draft"),
    ArticleStatus.PUBLISHED: N_("Published"),
    ArticleStatus.ARCHIVED: N_("Archived"),
}
REVISION_STATE_LABELS = {
    RevisionState.SAVED: N_("Saved"),
    RevisionState.PENDING: N_("Waiting for review"),
    RevisionState.ACCEPTED: N_("Accepted"),
    RevisionState.DECLINED: N_("Declined"),
}


def _known(column: str, values) -> CheckConstraint:
    listed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({listed})", name=f"{column}_known")


article_tags = Table(
    "kb_article_tags",
    db.metadata,
    Column("article_id", ForeignKey("kb_articles.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Article(db.Model):
    """A knowledge-base article; its text is the latest saved or accepted revision."""

    __tablename__ = "kb_articles"
    __table_args__ = (
        _known("status", ArticleStatus),
        _known("language", LANGUAGES),
        # One translation per language of an original (kb/translation_links.py); an index,
        # not a constraint, so SQLite adds it without rebuilding the table (migration 0016).
        Index(
            "ix_kb_articles_translation_of_id_language",
            "translation_of_id",
            "language",
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(SLUG_MAX), unique=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(String(SUMMARY_MAX), default="")
    body: Mapped[str] = mapped_column(Text)
    # The body and its table of contents rendered, by the renderer version named
    # (portal/stored_html.py): written with the body; NULL (an import) is rendered when shown.
    body_html: Mapped[str | None] = mapped_column(Text)
    toc_html: Mapped[str | None] = mapped_column(Text)
    html_version: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(8), default="en")
    status: Mapped[str] = mapped_column(String(12), default=ArticleStatus.DRAFT.value, index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The number of the revision the text comes from; an edit based on an older one conflicts.
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    view_count: Mapped[int] = mapped_column(Integer, default=0)
    # The community thread this article was promoted from; unique: one article per thread.
    source_thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_threads.id", ondelete="SET NULL"), unique=True
    )
    # The original this article translates, None for an original (kb/translation_links.py).
    # Articles are archived, never deleted: an original cannot go while translations name it.
    translation_of_id: Mapped[int | None] = mapped_column(ForeignKey("kb_articles.id"))

    author: Mapped[User] = relationship()
    source_thread: Mapped[Thread | None] = relationship()
    tags: Mapped[list[Tag]] = relationship(
        secondary=article_tags, order_by=Tag.name, lazy="selectin"
    )
    translation_of: Mapped["Article | None"] = relationship(
        remote_side=[id], back_populates="translations"
    )
    translations: Mapped[list["Article"]] = relationship(
        back_populates="translation_of", order_by="Article.language"
    )

    # Every UPDATE also says "WHERE version = <the one we read>": two saves racing on the
    # same base cannot both win. The service sets the number itself (no generator).
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED

    @property
    def status_label(self) -> str:
        """The status as readers of this page call it (Draft, Published, Archived)."""
        return gettext(STATUS_LABELS[ArticleStatus(self.status)])

    @property
    def description(self) -> str:
        """The summary, else the first paragraph as plain text: for meta tags and listings."""
        if self.summary:
            return self.summary
        for paragraph in self.body.split("\n\n"):
            if paragraph.strip() and not paragraph.lstrip().startswith(("#", "|", "```", "<")):
                text = " ".join(_MARKDOWN_LINK.sub(r"\1", paragraph).split())
                text = _MARKDOWN_MARKS.sub("", text)
                return text if len(text) <= 160 else text[:157].rsplit(" ", 1)[0] + "…"
        return self.title

    def __repr__(self) -> str:
        return f"<Article {self.slug} ({self.status})>"


class ArticleRevision(db.Model):
    """One saved state of an article, or a suggested one (number is set once it is history)."""

    __tablename__ = "kb_revisions"
    __table_args__ = (
        UniqueConstraint("article_id", "number", name="uq_kb_revisions_article_number"),
        _known("state", RevisionState),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("kb_articles.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(10), default=RevisionState.SAVED.value)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(String(SUMMARY_MAX), default="")
    body: Mapped[str] = mapped_column(Text)
    # Space-separated tag slugs as they were, so a restore brings the tags back too.
    tag_slugs: Mapped[str] = mapped_column(String(400), default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    note: Mapped[str] = mapped_column(String(NOTE_MAX), default="")
    # Set when the portal wrote the note: then ``note`` is a catalog message (marked N_)
    # and these fill its placeholders, so each reader sees it in their language.
    note_params: Mapped[dict | None] = mapped_column(JSON)
    base_number: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    review_note: Mapped[str] = mapped_column(String(NOTE_MAX), default="")

    article: Mapped[Article] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])

    @property
    def tag_list(self) -> list[str]:
        return self.tag_slugs.split()

    @property
    def note_text(self) -> str:
        """The note as this page's reader reads it: the portal's own notes translated."""
        if self.note_params is None:
            return self.note
        return gettext(self.note, **self.note_params)

    @property
    def state_label(self) -> str:
        return gettext(REVISION_STATE_LABELS[RevisionState(self.state)])


class OldSlug(db.Model):
    """A slug an article had before a rename; links to it redirect to the article."""

    __tablename__ = "kb_old_slugs"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(SLUG_MAX), unique=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("kb_articles.id", ondelete="CASCADE"), index=True
    )


class Feedback(db.Model):
    """A reader's "was this helpful?" vote: one per user, or per anonymous browser session."""

    __tablename__ = "kb_feedback"
    __table_args__ = (
        UniqueConstraint("article_id", "user_id", name="uq_kb_feedback_article_user"),
        UniqueConstraint("article_id", "voter_key", name="uq_kb_feedback_article_voter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    voter_key: Mapped[str | None] = mapped_column(String(64))
    helpful: Mapped[bool]
    comment: Mapped[str] = mapped_column(String(COMMENT_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    user: Mapped[User | None] = relationship()
