"""The queue that carries job ids to workers: Huey, on SQLite by default or on Redis.

Huey moves ids, schedules delays and retries, runs the workers and ticks the periodic
scheduler; what a job is and whether it is done lives in the ``jobs`` table (outbox.py).
"""

import logging
from datetime import datetime

from flask import Flask
from huey import RedisHuey, SqliteHuey, crontab
from huey.exceptions import RetryTask

from portal.database import utcnow
from portal.jobs import outbox

log = logging.getLogger(__name__)


class JobQueue:
    """One Huey instance for one app, with the two tasks every worker runs."""

    def __init__(self, app: Flask, huey):
        self.app, self.huey = app, huey

        @huey.task(context=True, name="portal.run_job")
        def run_job(job_id: int, task=None) -> None:
            with app.app_context():
                delay = outbox.run_job(job_id)
            if delay is not None:
                raise RetryTask(delay=delay)  # Huey schedules the next attempt

        @huey.periodic_task(crontab(), name="portal.tick")
        def tick() -> None:
            with app.app_context():
                started = outbox.tick()
            if started:
                log.info("periodic jobs started: %s", ", ".join(started))

        self.run_job, self.tick = run_job, tick

    def push(self, job_id: int, run_at: datetime) -> None:
        """Hand one committed job to the queue, now or at ``run_at``."""
        delay = (run_at - utcnow()).total_seconds()
        if delay > 0.5:
            self.run_job.schedule(args=(job_id,), delay=delay)
        else:
            self.run_job(job_id)

    def consumer(self, threads: int):
        """A Huey consumer running jobs in ``threads`` threads, with the periodic scheduler.

        An idle consumer asks SQLite for work at most a second apart (Huey's default backs
        off to 10 s); on Redis it waits on the list and wakes at once.
        """
        return self.huey.create_consumer(
            workers=threads, worker_type="thread", periodic=True, max_delay=1.0
        )


def make_queue(app: Flask) -> JobQueue:
    """Redis when REDIS_URL is set (several workers on several machines), else SQLite."""
    config = app.config
    name = config["JOBS_QUEUE_NAME"]
    if config.get("REDIS_URL"):
        huey = RedisHuey(name, url=config["REDIS_URL"], results=False, utc=True)
    else:
        path = config.get("JOBS_SQLITE_PATH") or f"{app.instance_path}/jobs.sqlite"
        huey = SqliteHuey(name, filename=path, results=False, utc=True)
    return JobQueue(app, huey)
