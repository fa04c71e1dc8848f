"""Known issues, their links to threads and cases, their followers, and surge alerts."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import UtcDateTime, utcnow
from portal.extensions import db
from portal.models import Tag, User

TITLE_MAX = 200
EXPLANATION_MAX = 5000


class IssueStatus(StrEnum):
    """Where the team stands; the first two are "open" (the banner shows)."""

    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    RESOLVED = "resolved"


OPEN_STATUSES = (IssueStatus.INVESTIGATING.value, IssueStatus.IDENTIFIED.value)


class AlertStatus(StrEnum):
    OPEN = "open"  # on the desk until an agent acts on it
    DECLARED = "declared"  # a known issue was declared from it
    DISMISSED = "dismissed"  # looked at: nothing to declare


def _known(column: str, values) -> CheckConstraint:
    listed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({listed})", name=f"{column}_known")


known_issue_tags = Table(
    "known_issue_tags",
    db.metadata,
    Column("issue_id", ForeignKey("known_issues.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)


class KnownIssue(db.Model):
    """A problem the team knows about, explained publicly while it lasts."""

    __tablename__ = "known_issues"
    __table_args__ = (_known("status", [s.value for s in IssueStatus]),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    explanation: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=IssueStatus.INVESTIGATING.value)
    # The public text of the resolution, sent to every linked thread, case and follower.
    resolution: Mapped[str] = mapped_column(Text, default="")
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("surge_alerts.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    tags: Mapped[list[Tag]] = relationship(secondary=known_issue_tags, order_by=Tag.name)
    declared_by: Mapped[User | None] = relationship(foreign_keys=[declared_by_id])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class KnownIssueLink(db.Model):
    """A thread or a case confirmed by an agent as being about a known issue."""

    __tablename__ = "known_issue_links"
    __table_args__ = (
        CheckConstraint("(thread_id IS NULL) <> (case_id IS NULL)", name="thread_or_case"),
        UniqueConstraint("issue_id", "thread_id", name="uq_known_issue_links_thread"),
        UniqueConstraint("issue_id", "case_id", name="uq_known_issue_links_case"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(
        ForeignKey("known_issues.id", ondelete="CASCADE"), index=True
    )
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_threads.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Set when the case was solved together with the issue (the dashboard counts them).
    solved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)

    issue: Mapped[KnownIssue] = relationship()


class KnownIssueFollow(db.Model):
    """A member who asked to be told when the issue is resolved."""

    __tablename__ = "known_issue_follows"
    __table_args__ = (UniqueConstraint("issue_id", "user_id", name="uq_known_issue_follows"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(
        ForeignKey("known_issues.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SurgeAlert(db.Model):
    """Many similar questions, requests or searches, well above their usual rate."""

    __tablename__ = "surge_alerts"
    __table_args__ = (
        _known("status", [s.value for s in AlertStatus]),
        Index("ix_surge_alerts_status_raised", "status", "raised_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))  # the most central item's text
    status: Mapped[str] = mapped_column(String(20), default=AlertStatus.OPEN.value)
    raised_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    first_item_at: Mapped[datetime] = mapped_column(UtcDateTime)  # the surge's first post
    last_item_at: Mapped[datetime] = mapped_column(UtcDateTime)
    window_count: Mapped[int]  # items of the cluster in the window
    baseline_per_window: Mapped[float]  # what the topic usually gets in such a window
    growth: Mapped[float]  # window_count / baseline (baseline floored)
    # [{"kind": "thread"|"case"|"search", "id": …, "text": …, "at": iso}], a few of them
    samples: Mapped[list] = mapped_column(JSON, default=list)
    topics: Mapped[list] = mapped_column(JSON, default=list)  # tag slugs
    # Unit vector of the cluster's centre: a later run extends this alert, not a new one.
    centroid: Mapped[list] = mapped_column(JSON, default=list)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
