"""Background work: the one way to do something after a commit.

A service that wants work done after its transaction (an e-mail, a notification fan-out,
a webhook) calls ``enqueue(session, "mail.send", to=..., ...)``. That writes a ``jobs``
row *in the same transaction* — the transactional outbox — so the work exists exactly when
the change does. After the commit the job's id is handed to the queue (Huey: SQLite in
``instance/jobs.sqlite`` by default, Redis when ``REDIS_URL`` is set) and a worker
(``flask jobs worker``, started by ``make run``) runs it in its own transaction, which
also deletes the row. A process that dies between its commit and the hand-over, a queue
that lost a message, a worker killed mid-job: the row is still there, and the relay (a
periodic job, every minute) hands it over again once its lease ran out. So a job may run
twice, never zero times: every job is written to be idempotent.

A failing job is retried with exponential backoff (``JOBS_RETRY_DELAY_SECONDS`` doubling,
at most ``JOBS_RETRY_MAX_DELAY_SECONDS``), ``JOBS_MAX_ATTEMPTS`` times in all; then it is
"dead": listed at /admin/jobs and by ``flask jobs list --dead``, until an admin retries or
purges it.

Periodic jobs (``every(app, name, minutes)``) are claimed per time slot in the database
(``periodic_runs``), so each runs once per period however many workers and machines tick.
Worker services (``worker_service(app, name, loop)``) are loops every worker process runs
beside the queue, for work bound to the machine rather than to the queue (search keeps
its local index in step with the database).

``JOBS_INLINE`` (the tests) runs each job right after the commit, in the same process,
ignoring delays: the same code path without a worker.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from flask import Flask

from portal.jobs.models import Job, JobStatus, PeriodicRun

__all__ = ["Job", "JobStatus", "PeriodicRun", "enqueue", "every", "init_app", "job"]

# name → function(session, **payload); filled at import by the packages' @job decorators.
JOB_FUNCTIONS: dict[str, Callable[..., None]] = {}


def job(name: str) -> Callable:
    """Register ``function(session, **payload)`` as the job called ``name``.

    It runs in its own transaction (committed by the runner, with the job's row deleted),
    must be idempotent (it may run twice), and reads what it needs from the database by id.
    """

    def register(function: Callable[..., None]) -> Callable[..., None]:
        JOB_FUNCTIONS[name] = function
        return function

    return register


@dataclass
class JobsState:
    """Per app: the queue (made on first use), periodic jobs and worker services."""

    app: Flask
    periodic: dict[str, int] = field(default_factory=dict)  # name → every N minutes
    services: dict[str, Callable[[Flask, threading.Event], None]] = field(default_factory=dict)

    @cached_property
    def queue(self):
        from portal.jobs.queue import make_queue

        return make_queue(self.app)


def state(app: Flask) -> JobsState:
    return app.extensions["jobs"]


def every(app: Flask, name: str, minutes: int) -> None:
    """Run the job ``name`` every ``minutes`` minutes (0 or less: never), once per period."""
    if minutes and minutes > 0:
        state(app).periodic[name] = int(minutes)
    else:
        state(app).periodic.pop(name, None)


def worker_service(app: Flask, name: str, loop: Callable[[Flask, threading.Event], None]) -> None:
    """Run ``loop(app, stop)`` in a thread of every worker process until ``stop`` is set."""
    state(app).services[name] = loop


def enqueue(session, name: str, *, key: str | None = None, delay_seconds: float = 0, **payload):
    """Record a job in the session's transaction; it is handed to the queue after the commit.

    ``key``: while a job with this key is pending, enqueueing another does nothing (the
    pending one reads the latest state when it runs). Returns the job's id, or None when
    it coalesced into a pending one.
    """
    from portal.jobs.outbox import record

    return record(session, name, key=key, delay_seconds=delay_seconds, payload=payload)


def init_app(app: Flask) -> None:
    """Settings, the per-app state, the relay and pruning jobs, the CLI and the admin page."""
    from portal.jobs import cli, outbox, views

    app.extensions["jobs"] = JobsState(app)
    every(app, outbox.RELAY_JOB, 1)
    every(app, outbox.PRUNE_JOB, 60)
    app.cli.add_command(cli.jobs_cli)
    app.register_blueprint(views.bp)
