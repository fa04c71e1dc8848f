"""The jobs outbox without a worker: recording, hand-over, running, retries, the relay, ticks."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from portal import jobs
from portal.database import utcnow
from portal.jobs import Job, JobStatus, outbox, service
from tests.portal.jobs.conftest import FAILURES, effects


def job_rows(db):
    db.session.expire_all()
    return list(db.session.scalars(select(Job).order_by(Job.id)))


def test_a_job_exists_exactly_when_its_transaction_commits(db, queue):
    jobs.enqueue(db.session, "tests.record", note="kept")
    assert queue.pushed == []  # nothing leaves before the commit
    db.session.commit()
    [job] = job_rows(db)
    assert queue.pushed == [job.id] and job.status == JobStatus.PENDING
    assert job.payload == {"note": "kept"}
    jobs.enqueue(db.session, "tests.record", note="rolled back")
    db.session.rollback()
    db.session.commit()
    assert len(job_rows(db)) == 1 and queue.pushed == [job.id]


def test_unknown_job_names_are_a_programming_error(db):
    with pytest.raises(LookupError):
        jobs.enqueue(db.session, "tests.no_such_job")


def test_a_key_coalesces_pending_jobs(db, queue, effect_rows):
    first = jobs.enqueue(db.session, "tests.record", key="digest:1", note="first")
    assert jobs.enqueue(db.session, "tests.record", key="digest:1", note="second") is None
    other = jobs.enqueue(db.session, "tests.record", key="digest:2", note="other")
    db.session.commit()
    assert queue.pushed == [first, other]
    outbox.run_job(first)
    # Once the first one ran, the key is free again.
    assert jobs.enqueue(db.session, "tests.record", key="digest:1", note="third") is not None


def test_running_a_job_commits_its_changes_and_deletes_it_together(db, queue, effect_rows):
    job_id = jobs.enqueue(db.session, "tests.record", note="done")
    db.session.commit()
    assert outbox.run_job(job_id) is None
    assert effect_rows() == ["done"] and job_rows(db) == []
    assert outbox.run_job(job_id) is None  # handed over twice: the second run finds nothing
    assert effect_rows() == ["done"]


def test_a_failing_job_keeps_nothing_and_waits_longer_each_time(db, app, queue, effect_rows):
    FAILURES["left"] = 2
    job_id = jobs.enqueue(db.session, "tests.record", note="flaky")
    db.session.commit()
    base = app.config["JOBS_RETRY_DELAY_SECONDS"]
    assert outbox.run_job(job_id) == base
    [job] = job_rows(db)
    assert effect_rows() == []  # the failed attempt's row was rolled back
    assert job.status == JobStatus.PENDING and job.attempts == 1
    assert "ConnectionError: the server did not answer" in job.last_error
    assert job.run_at > utcnow() + timedelta(seconds=base - 2)
    assert outbox.run_job(job_id) == 2 * base  # exponential backoff
    assert outbox.run_job(job_id) is None  # the third attempt succeeds
    assert effect_rows() == ["flaky"] and job_rows(db) == []


def test_a_job_failing_every_attempt_is_dead_until_retried_or_purged(db, app, queue, effect_rows):
    app.config["JOBS_MAX_ATTEMPTS"], FAILURES["left"] = 2, 10
    try:
        job_id = jobs.enqueue(db.session, "tests.record", note="doomed")
        db.session.commit()
        outbox.run_job(job_id)
        assert outbox.run_job(job_id) is None  # no retry after the last attempt
        [job] = job_rows(db)
        assert job.status == JobStatus.DEAD and job.failed_at is not None
        assert service.counts(db.session).dead == 1
        FAILURES["left"] = 0
        assert service.retry(db.session) == 1
        db.session.commit()
        assert queue.pushed[-1] == job_id and job_rows(db)[0].attempts == 0
        outbox.run_job(job_id)
        assert effect_rows() == ["doomed"]
        FAILURES["left"] = 10
        doomed = jobs.enqueue(db.session, "tests.record", note="again")
        db.session.commit()
        outbox.run_job(doomed), outbox.run_job(doomed)
        assert service.purge(db.session) == 1
        db.session.commit()
        assert job_rows(db) == []
    finally:
        app.config["JOBS_MAX_ATTEMPTS"] = 12


def test_a_running_job_is_not_run_twice(db, queue, effect_rows):
    job_id = jobs.enqueue(db.session, "tests.record", note="once")
    db.session.commit()
    db.session.execute(update(Job).values(status=JobStatus.RUNNING.value, attempts=1))
    db.session.commit()
    assert outbox.run_job(job_id) is None
    assert effect_rows() == []


def test_a_run_that_was_taken_over_keeps_nothing(db, queue, effect_rows, monkeypatch):
    """A worker slower than its lease: the relay gave the job to another run, whose
    outcome stands; the slow run's changes are rolled back."""
    job_id = jobs.enqueue(db.session, "tests.record", note="slow")
    db.session.commit()

    def taken_over_while_running(session, *, note):
        with db.engine.begin() as other:  # the relay and a second worker, meanwhile
            other.execute(update(Job).where(Job.id == job_id).values(attempts=Job.attempts + 1))
        session.execute(effects.insert().values(note=note))

    monkeypatch.setitem(jobs.JOB_FUNCTIONS, "tests.record", taken_over_while_running)
    assert outbox.run_job(job_id) is None
    assert effect_rows() == [] and job_rows(db)[0].status == JobStatus.RUNNING


def test_the_relay_hands_over_jobs_whose_lease_ran_out(db, queue, effect_rows):
    lost = jobs.enqueue(db.session, "tests.record", note="never handed over")
    waiting = jobs.enqueue(db.session, "tests.record", note="just created")
    db.session.commit()
    queue.pushed.clear()  # as if the process died before handing them over
    past = utcnow() - timedelta(seconds=1)
    db.session.execute(update(Job).where(Job.id == lost).values(lease_until=past))
    db.session.commit()
    outbox.hand_over_lost_jobs(db.session)
    db.session.commit()
    assert queue.pushed == [lost]
    assert job_rows(db)[0].lease_until > utcnow()  # not handed over again next minute
    outbox.hand_over_lost_jobs(db.session)
    db.session.commit()
    assert queue.pushed == [lost] and waiting not in queue.pushed


def test_periodic_jobs_run_once_per_slot_and_at_their_interval(app, db, queue):
    jobs.every(app, "tests.record", 15)
    try:
        quarter = utcnow().replace(hour=9, minute=45, second=0, microsecond=0)
        assert "tests.record" in outbox.tick(quarter)
        assert "tests.record" not in outbox.tick(quarter + timedelta(seconds=20))
        assert "tests.record" not in outbox.tick(quarter + timedelta(minutes=1))
        assert "tests.record" in outbox.tick(quarter + timedelta(minutes=15))
        jobs.every(app, "tests.record", 0)
        assert "tests.record" not in outbox.tick(quarter + timedelta(minutes=30))
    finally:
        jobs.every(app, "tests.record", 0)


def test_nothing_is_handed_over_when_a_savepoint_is_released(db, queue):
    jobs.enqueue(db.session, "tests.record", note="outer")
    with db.session.begin_nested():
        jobs.enqueue(db.session, "tests.record", note="inner")
    assert queue.pushed == []
    db.session.commit()
    assert len(queue.pushed) == 2


def test_an_unreachable_queue_loses_nothing(db, app, monkeypatch, effect_rows):
    class DownQueue:
        def push(self, job_id, run_at):
            raise ConnectionError("redis is down")

    monkeypatch.setitem(app.config, "JOBS_INLINE", False)
    monkeypatch.setitem(jobs.state(app).__dict__, "queue", DownQueue())
    job_id = jobs.enqueue(db.session, "tests.record", note="survives")
    db.session.commit()  # no error reaches the caller
    assert [job.id for job in job_rows(db)] == [job_id]
