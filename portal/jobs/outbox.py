"""The jobs table as a transactional outbox: record, hand over after commit, run, relay.

Every state change of a job is one guarded UPDATE, so two workers (or a worker and the
relay) racing for the same row never both run it: the one whose UPDATE matched goes on.
"""

import logging
import threading
import traceback
from collections import deque
from datetime import datetime, timedelta

from flask import current_app, has_app_context
from sqlalchemy import delete, event, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, scoped_session

from portal.database import utcnow
from portal.extensions import db
from portal.jobs import JOB_FUNCTIONS, job, state
from portal.jobs.models import Job, JobStatus, PeriodicRun

log = logging.getLogger(__name__)
_HANDOVER_KEY = "portal.jobs.handover"
RELAY_JOB = "jobs.relay"
PRUNE_JOB = "jobs.prune"
RELAY_BATCH = 500
PERIODIC_RUNS_KEPT = timedelta(days=7)
ERROR_MAX = 4000


# ------------------------------------------------------------------ recording
def record(session, name: str, *, key, delay_seconds: float, payload: dict) -> int | None:
    """Insert the job row (or nothing, when ``key`` is pending already); see jobs.enqueue."""
    if name not in JOB_FUNCTIONS:
        raise LookupError(f"no job is registered as {name!r}")
    now = utcnow()
    run_at = now + timedelta(seconds=max(delay_seconds, 0))
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(Job).values(
        name=name,
        payload=payload,
        key=key,
        status=JobStatus.PENDING.value,
        attempts=0,
        last_error="",
        created_at=now,
        run_at=run_at,
        lease_until=run_at + handover_grace(),
    )
    if key is not None:
        insert = insert.on_conflict_do_nothing(
            index_elements=["key"], index_where=text("status = 'pending'")
        )
    job_id = session.execute(insert.returning(Job.id)).scalar()
    if job_id is not None:
        hand_over_after_commit(session, [(job_id, run_at)])
    return job_id


def handover_grace() -> timedelta:
    """How long past its due time a job waits for its own process to hand it over (it may
    have died after the commit) before the relay does."""
    return timedelta(seconds=float(current_app.config["JOBS_HANDOVER_GRACE_SECONDS"]))


def hand_over_after_commit(session, jobs: list[tuple[int, datetime]]) -> None:
    """Give these (job id, due time) to the queue once the session's transaction commits."""
    if isinstance(session, scoped_session):
        session = session()  # the request's own session, which the commit hooks see
    session.info.setdefault(_HANDOVER_KEY, []).extend(jobs)


@event.listens_for(Session, "after_commit")
def _hand_over_after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint was released: the outer transaction is still open
    jobs = session.info.pop(_HANDOVER_KEY, None)
    if jobs and has_app_context():
        hand_over(jobs)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, previous_transaction) -> None:
    if not session.in_transaction():
        session.info.pop(_HANDOVER_KEY, None)


def hand_over(jobs: list[tuple[int, datetime]]) -> None:
    """Give committed jobs to the queue (or run them now, inline); never raises."""
    if current_app.config["JOBS_INLINE"]:
        run_inline([job_id for job_id, _ in jobs])
        return
    try:
        queue = state(current_app._get_current_object()).queue
        for job_id, run_at in jobs:
            queue.push(job_id, run_at)
    except Exception:
        # The rows are committed: the relay hands them over once the queue answers again.
        log.warning("the job queue is unreachable; the relay will hand over %s", jobs)


_inline = threading.local()


def run_inline(job_ids: list[int]) -> None:
    """Run jobs now, one after the other; jobs they enqueue join the same line."""
    line = getattr(_inline, "line", None)
    if line is not None:
        line.extend(job_ids)
        return
    _inline.line = deque(job_ids)
    try:
        while _inline.line:
            run_job(_inline.line.popleft())
    finally:
        _inline.line = None


# -------------------------------------------------------------------- running
def retry_delay(attempts: int) -> float:
    """Seconds before the next attempt: doubling from JOBS_RETRY_DELAY_SECONDS, capped."""
    config = current_app.config
    base = float(config["JOBS_RETRY_DELAY_SECONDS"])
    return min(base * 2 ** max(attempts - 1, 0), float(config["JOBS_RETRY_MAX_DELAY_SECONDS"]))


def run_job(job_id: int) -> float | None:
    """Run one job in its own transaction. Returns the delay before a retry, else None.

    The row is claimed (pending → running) by one guarded UPDATE: a job already done,
    dead, or taken by another worker is left alone.
    """
    lease = timedelta(seconds=float(current_app.config["JOBS_LEASE_SECONDS"]))
    with Session(db.engine) as session:
        now = utcnow()
        claimed = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == JobStatus.PENDING.value)
            .values(
                status=JobStatus.RUNNING.value, attempts=Job.attempts + 1, lease_until=now + lease
            )
        ).rowcount
        session.commit()
        if not claimed:
            return None
        job = session.get(Job, job_id)
        name, payload, attempts = job.name, dict(job.payload or {}), job.attempts
        try:
            function = JOB_FUNCTIONS.get(name)
            if function is None:
                raise LookupError(f"no job is registered as {name!r} in this process")
            function(session, **payload)
            # Guarded too: a run that outlived its lease was handed to another worker, and
            # only one of the two may keep its changes.
            finished = session.execute(
                delete(Job).where(
                    Job.id == job_id,
                    Job.status == JobStatus.RUNNING.value,
                    Job.attempts == attempts,
                )
            ).rowcount
            if not finished:
                session.rollback()
                log.warning("job %s (%s) was taken over by another run: dropped", job_id, name)
                return None
            session.commit()
            return None
        except Exception as error:
            session.rollback()
            log.warning("job %s (%s) failed, attempt %s: %r", job_id, name, attempts, error)
            return _record_failure(session, job_id, attempts, error, lease)


def _record_failure(session: Session, job_id: int, attempts: int, error, lease) -> float | None:
    now = utcnow()
    dead = attempts >= int(current_app.config["JOBS_MAX_ATTEMPTS"])
    delay = 0.0 if dead else retry_delay(attempts)
    message = "".join(traceback.format_exception(error))[-ERROR_MAX:]
    recorded = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.RUNNING.value, Job.attempts == attempts)
        .values(
            status=(JobStatus.DEAD if dead else JobStatus.PENDING).value,
            last_error=message,
            failed_at=now if dead else None,
            run_at=now + timedelta(seconds=delay),
            lease_until=now + timedelta(seconds=delay) + lease,
        )
    ).rowcount
    session.commit()
    if not recorded:  # taken over by another run meanwhile: its outcome stands
        return None
    if dead:
        log.error("job %s is dead after %s attempts; see /admin/jobs", job_id, attempts)
        return None
    return delay


# ------------------------------------------------------------- relay and time
@job(RELAY_JOB)
def hand_over_lost_jobs(session: Session) -> None:
    """Jobs whose lease ran out (never handed over, lost by the queue, or their worker
    died mid-run) go back to pending and to the queue."""
    lease = timedelta(seconds=float(current_app.config["JOBS_LEASE_SECONDS"]))
    now = utcnow()
    lost = session.execute(
        select(Job.id, Job.run_at)
        .where(
            Job.status.in_([JobStatus.PENDING.value, JobStatus.RUNNING.value]),
            Job.lease_until < now,
        )
        .order_by(Job.id)
        .limit(RELAY_BATCH)
    ).all()
    taken = []
    for job_id, run_at in lost:
        # Guarded: a worker that claimed the job meanwhile keeps it.
        moved = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.lease_until < now)
            .values(status=JobStatus.PENDING.value, lease_until=max(run_at, now) + lease)
        ).rowcount
        if moved:
            taken.append((job_id, max(run_at, now)))
    if taken:
        log.info("relay: handing over %s jobs again", len(taken))
        hand_over_after_commit(session, taken)


@job(PRUNE_JOB)
def prune_periodic_runs(session: Session) -> None:
    """Forget the claims of periodic slots older than a week."""
    session.execute(delete(PeriodicRun).where(PeriodicRun.slot < utcnow() - PERIODIC_RUNS_KEPT))


def tick(now: datetime | None = None) -> list[str]:
    """Enqueue the periodic jobs due this minute that no other worker claimed; their names."""
    now = (now or utcnow()).replace(second=0, microsecond=0)
    minute = int(now.timestamp() // 60)
    started = []
    with Session(db.engine) as session:
        for name, minutes in sorted(state(current_app._get_current_object()).periodic.items()):
            if minute % minutes:
                continue
            dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
            claim = (
                dialect.insert(PeriodicRun)
                .values(name=name, slot=now, claimed_at=utcnow())
                .on_conflict_do_nothing(index_elements=["name", "slot"])
                .returning(PeriodicRun.name)
            )
            if session.execute(claim).first() is not None:  # None: another worker has it
                record(session, name, key=None, delay_seconds=0, payload={})
                started.append(name)
        session.commit()
    return started
