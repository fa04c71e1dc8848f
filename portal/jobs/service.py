"""What admins do with jobs, from /admin/jobs and `flask jobs`: see them, retry, purge."""

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from portal.database import utcnow
from portal.jobs.models import Job, JobStatus
from portal.jobs.outbox import hand_over_after_commit, handover_grace


@dataclass(frozen=True)
class QueueCounts:
    pending: int
    running: int
    dead: int
    overdue: int  # pending or running past their lease: the relay's next batch


def counts(session: Session) -> QueueCounts:
    now = utcnow()
    by_status = dict(session.execute(select(Job.status, func.count()).group_by(Job.status)).all())
    overdue = session.scalar(
        select(func.count()).where(
            Job.status.in_([JobStatus.PENDING.value, JobStatus.RUNNING.value]),
            Job.lease_until < now,
        )
    )
    return QueueCounts(
        by_status.get(JobStatus.PENDING.value, 0),
        by_status.get(JobStatus.RUNNING.value, 0),
        by_status.get(JobStatus.DEAD.value, 0),
        overdue or 0,
    )


def jobs_with_status(status: JobStatus):
    """The statement listing jobs in one state, the latest failure or creation first."""
    return select(Job).where(Job.status == status.value).order_by(Job.id.desc())


def retry(session: Session, job_ids: list[int] | None = None) -> int:
    """Give dead jobs (these, or all) a fresh set of attempts; handed over after the commit."""
    now = utcnow()
    query = select(Job.id).where(Job.status == JobStatus.DEAD.value)
    if job_ids is not None:
        query = query.where(Job.id.in_(job_ids))
    ids = list(session.scalars(query))
    if ids:
        session.execute(
            update(Job)
            .where(Job.id.in_(ids), Job.status == JobStatus.DEAD.value)
            .values(
                status=JobStatus.PENDING.value,
                attempts=0,
                failed_at=None,
                run_at=now,
                lease_until=now + handover_grace(),
            )
        )
        hand_over_after_commit(session, [(job_id, now) for job_id in ids])
    return len(ids)


def purge(session: Session, job_ids: list[int] | None = None) -> int:
    """Delete dead jobs (these, or all): their work will not be done."""
    statement = delete(Job).where(Job.status == JobStatus.DEAD.value)
    if job_ids is not None:
        statement = statement.where(Job.id.in_(job_ids))
    return session.execute(statement).rowcount
