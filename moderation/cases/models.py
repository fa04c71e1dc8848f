"""Agent cases: the case, its timeline, routing profiles, priority rules, macros, surveys.

Users get their case-related facts in side tables (agent_profiles, customer_flags) rather
than new columns on ``users``, so the accounts table stays the foundation's alone.
"""

from datetime import datetime
from enum import StrEnum

from flask_babel import gettext
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import UtcDateTime, utcnow
from portal.extensions import db
from portal.i18n import N_
from portal.models import EMAIL_MAX, LOCALE_MAX, Tag, User

SUBJECT_MAX = 200
REQUESTER_NAME_MAX = 80
MACRO_TITLE_MAX = 80
# What a deleted customer's request is called (its subject is erased: moderation.cases.privacy).
ERASED_SUBJECT = N_("Request of a deleted member")


class CaseStatus(StrEnum):
    NEW = "new"
    OPEN = "open"
    PENDING = "pending customer"
    SOLVED = "solved"
    CLOSED = "closed"


class Channel(StrEnum):
    COMMUNITY = "community"
    CONTACT_FORM = "contact form"
    MODERATOR = "moderator"


class Disposition(StrEnum):
    EXISTING_ARTICLE = "answered by an existing article"
    NEW_ARTICLE = "new article needed"
    KNOWN_GAP = "known gap"


class EventKind(StrEnum):
    CREATED = "created"
    NOTE = "internal note"
    PUBLIC_REPLY = "public reply"
    PRIVATE_REPLY = "private reply"
    CUSTOMER_MESSAGE = "customer message"
    ASSIGNED = "assigned"
    PRIORITY = "priority"
    STATUS = "status"
    SOLVED = "solved"
    SURVEY = "survey"


# What a customer may read on their own case page; everything else is staff-only.
CUSTOMER_VISIBLE_KINDS = frozenset(
    {EventKind.CREATED, EventKind.PUBLIC_REPLY, EventKind.PRIVATE_REPLY, EventKind.CUSTOMER_MESSAGE}
)
PRIORITIES = ("low", "normal", "high", "urgent")


class SlaTarget(StrEnum):
    FIRST_RESPONSE = "first response"
    RESOLUTION = "resolution"


def _known(column: str, values) -> CheckConstraint:
    listed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({listed})", name=f"{column}_known")


agent_skills = Table(
    "agent_skills",
    db.metadata,
    Column("user_id", ForeignKey("agent_profiles.user_id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)

case_tags = Table(
    "case_tags",
    db.metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class AgentProfile(db.Model):
    """An agent's skills (tags) and whether they take new cases now."""

    __tablename__ = "agent_profiles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    available: Mapped[bool] = mapped_column(default=True)
    user: Mapped[User] = relationship()
    skills: Mapped[list[Tag]] = relationship(secondary=agent_skills, order_by=Tag.name)


class CustomerFlag(db.Model):
    """Facts about a customer that change a case's priority (VIP)."""

    __tablename__ = "customer_flags"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    vip: Mapped[bool] = mapped_column(default=False)


class PriorityRuleRecord(db.Model):
    """An admin-editable priority rule, keywords one per line (applied by cases.triage)."""

    __tablename__ = "case_priority_rules"
    __table_args__ = (_known("priority", PRIORITIES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    keywords: Mapped[str] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(default=0)

    @property
    def keyword_list(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.keywords.splitlines() if line.strip())


class Case(db.Model):
    """A customer's problem an agent owns until it is solved; one per community thread."""

    __tablename__ = "cases"
    __table_args__ = (
        _known("status", [s.value for s in CaseStatus]),
        _known("priority", PRIORITIES),
        _known("channel", [c.value for c in Channel]),
        # Every case has someone to answer: a member, or a visitor's e-mail address.
        CheckConstraint(
            "customer_id IS NOT NULL OR requester_email IS NOT NULL", name="has_requester"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX))
    body: Mapped[str] = mapped_column(Text, default="")  # the contact-form message
    # The member who asked; None for a visitor's request (requester_email), until an
    # account verified with that address claims it (moderation.cases.guests).
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # A visitor's request: where to answer, what to call them, which language to write in.
    requester_email: Mapped[str | None] = mapped_column(String(EMAIL_MAX), index=True)
    requester_name: Mapped[str] = mapped_column(
        String(REQUESTER_NAME_MAX), default="", server_default=""
    )
    requester_locale: Mapped[str | None] = mapped_column(String(LOCALE_MAX))
    # Unique: the database itself refuses a second case for a thread (sweep races, clicks).
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_threads.id", ondelete="SET NULL"), unique=True
    )
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_posts.id", ondelete="SET NULL")
    )
    channel: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=CaseStatus.NEW.value, index=True)
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    first_response_due: Mapped[datetime] = mapped_column(UtcDateTime)
    resolution_due: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    first_response_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    solved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The latest reopening: the resolution window runs from here, not from opened_at.
    reopened_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Since when the resolution clock is paused: the case waits on the customer
    # (moderation.cases.clock; SLA_PAUSE_WHILE_PENDING). None while it runs or is stopped.
    resolution_paused_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    disposition: Mapped[str | None] = mapped_column(String(40))
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("kb_articles.id", ondelete="SET NULL")
    )

    customer: Mapped[User | None] = relationship(foreign_keys=[customer_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    thread = relationship("Thread")
    post = relationship("Post")
    article = relationship("Article")
    tags: Mapped[list[Tag]] = relationship(secondary=case_tags, order_by=Tag.name)
    events: Mapped[list["CaseEvent"]] = relationship(
        back_populates="case",
        order_by="CaseEvent.created_at, CaseEvent.id",
        cascade="all, delete-orphan",
    )
    survey: Mapped["Survey | None"] = relationship(back_populates="case", uselist=False)
    breaches: Mapped[list["SlaBreach"]] = relationship(
        back_populates="case", order_by="SlaBreach.breached_at", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:
        return self.status not in (CaseStatus.SOLVED, CaseStatus.CLOSED)

    @property
    def title(self) -> str:
        """The subject as pages show it; an erased one in the reader's language."""
        return self.subject or gettext(ERASED_SUBJECT)

    @property
    def is_guest(self) -> bool:
        """A visitor's request, answered by e-mail: no account is tied to it (yet)."""
        return self.customer_id is None

    @property
    def requester(self) -> str:
        """What to call whoever asked: the member's name, or the visitor's name or address."""
        if self.customer is not None:
            return self.customer.name
        return self.requester_name or self.requester_email or ""

    @property
    def resolution_started_at(self) -> datetime:
        """Where the resolution window starts: the opening, or the latest reopening."""
        return self.reopened_at or self.opened_at

    def __repr__(self) -> str:
        return f"<Case {self.id} {self.status} {self.priority}>"


class CaseEvent(db.Model):
    """One line of a case's timeline: a reply, a note, an assignment, a change.

    ``body`` is what a person wrote (a reply, a note, a moderator's reason), as written;
    ``lines`` what the system says about the event, as codes and parameters that each
    reader sees in their own language (moderation.cases.timeline).
    """

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text, default="")
    lines: Mapped[list | None] = mapped_column(JSON)
    # The community post a public reply became (so it can be accepted as the solution).
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_posts.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()

    @property
    def customer_visible(self) -> bool:
        return self.kind in CUSTOMER_VISIBLE_KINDS


class SlaBreach(db.Model):
    """A missed SLA target, as a fact: recorded when it happens, never recomputed away.

    One per case and target (the first time the target was late); the priority, the hours
    and the due time are those in force at that moment (moderation.cases.clock).
    """

    __tablename__ = "case_sla_breaches"
    __table_args__ = (
        UniqueConstraint("case_id", "target", name="uq_case_sla_breaches_case_target"),
        _known("target", [t.value for t in SlaTarget]),
        _known("priority", PRIORITIES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    target: Mapped[str] = mapped_column(String(20))
    priority: Mapped[str] = mapped_column(String(10))
    target_hours: Mapped[float] = mapped_column(Float)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # When the target became late: its due time, or the priority change that moved a
    # running target's due time into the past.
    breached_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="breaches")


class SuperuserInvite(db.Model):
    """The sweep asked the tag's super-users first; the thread waits a shorter window."""

    __tablename__ = "case_superuser_invites"

    thread_id: Mapped[int] = mapped_column(
        ForeignKey("community_threads.id", ondelete="CASCADE"), primary_key=True
    )
    invited_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Macro(db.Model):
    """A canned reply with placeholders such as {customer_name}, managed by admins.

    A macro is written in one language (``language``, told from its text when saved):
    the case page offers first the macros in the customer's language, since the reply
    goes to them, whatever language the agent reads the desk in.
    """

    __tablename__ = "case_macros"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(MACRO_TITLE_MAX), unique=True)
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))


class Survey(db.Model):
    """The satisfaction survey of one solved case: a secret link, answered once."""

    __tablename__ = "case_surveys"
    __table_args__ = (
        CheckConstraint("csat IS NULL OR (csat BETWEEN 1 AND 5)", name="csat_range"),
        CheckConstraint("nps IS NULL OR (nps BETWEEN 0 AND 10)", name="nps_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    csat: Mapped[int | None]
    nps: Mapped[int | None]
    comment: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship(back_populates="survey")
