"""The durable record of background work: one row per job, written in the action's transaction."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import UtcDateTime, utcnow
from portal.extensions import db

NAME_MAX = 80
KEY_MAX = 200


class JobStatus(StrEnum):
    PENDING = "pending"  # waiting for its time, in the queue, or waiting to be retried
    RUNNING = "running"  # a worker took it; back to pending if its lease runs out
    DEAD = "dead"  # failed every attempt: on the admins' list until retried or purged


class Job(db.Model):
    """Work to do after a commit. The row is deleted in the same transaction as the work's
    own changes, so a job is either done (gone) or still here to be run again."""

    __tablename__ = "jobs"
    __table_args__ = (
        # At most one pending job per key: a burst of notifications becomes one e-mail.
        Index(
            "uq_jobs_pending_key",
            "key",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_jobs_status_lease_until", "status", "lease_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    key: Mapped[str | None] = mapped_column(String(KEY_MAX))
    status: Mapped[str] = mapped_column(String(10), default=JobStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    run_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Past this time a pending or running job is presumed lost and handed to the queue again.
    lease_until: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    failed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class PeriodicRun(db.Model):
    """One row per periodic job and time slot: whoever inserts it first runs that slot."""

    __tablename__ = "periodic_runs"

    name: Mapped[str] = mapped_column(String(NAME_MAX), primary_key=True)
    slot: Mapped[datetime] = mapped_column(UtcDateTime, primary_key=True)
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
