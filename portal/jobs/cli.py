"""`flask jobs`: the worker, and the dead-letter list for admins who live in a terminal."""

import logging
import threading

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext

from portal.extensions import db
from portal.i18n import in_terminal_language
from portal.jobs import JobStatus, outbox, service, state

jobs_cli = AppGroup("jobs", help="Background jobs: run a worker, list, retry or purge.")
log = logging.getLogger(__name__)


@jobs_cli.command("worker")
@click.option("--threads", type=int, default=None, help="Jobs run at once (JOBS_WORKER_THREADS).")
def worker_command(threads: int | None) -> None:
    """Run jobs from the queue, the periodic scheduler and the worker services until stopped."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = current_app._get_current_object()
    jobs = state(app)
    stop = threading.Event()
    services = [
        threading.Thread(target=loop, args=(app, stop), name=name, daemon=True)
        for name, loop in jobs.services.items()
    ]
    for thread in services:
        thread.start()
    # Jobs whose process died before handing them over need not wait for the first tick.
    outbox.hand_over_lost_jobs(db.session)
    db.session.commit()
    consumer = jobs.queue.consumer(threads or app.config["JOBS_WORKER_THREADS"])
    try:
        consumer.run()  # returns on SIGTERM / SIGINT, after the running jobs finish
    finally:
        stop.set()
        for thread in services:
            thread.join(timeout=30)


@jobs_cli.command("list")
@click.option("--dead", "only_dead", is_flag=True, help="Only the jobs that failed for good.")
@in_terminal_language
def list_command(only_dead: bool) -> None:
    """How many jobs wait, run or died; the dead ones with their last error."""
    counts = service.counts(db.session)
    click.echo(
        _(
            "pending %(pending)d, running %(running)d, dead %(dead)d, overdue %(overdue)d",
            pending=counts.pending,
            running=counts.running,
            dead=counts.dead,
            overdue=counts.overdue,
        )
    )
    statuses = [JobStatus.DEAD] if only_dead else [JobStatus.DEAD, JobStatus.RUNNING]
    for status in statuses:
        for job in db.session.scalars(service.jobs_with_status(status).limit(200)):
            error = job.last_error.strip().splitlines()[-1] if job.last_error.strip() else ""
            click.echo(f"#{job.id} {job.status} {job.name} attempts={job.attempts} {error}")


@jobs_cli.command("retry")
@click.argument("job_ids", nargs=-1, type=int)
@click.option("--all-dead", is_flag=True, help="Every dead job.")
@in_terminal_language
def retry_command(job_ids: tuple[int, ...], all_dead: bool) -> None:
    """Run dead jobs again, with a fresh set of attempts."""
    if not job_ids and not all_dead:
        raise click.UsageError(_("Name job ids, or say --all-dead."))
    retried = service.retry(db.session, None if all_dead else list(job_ids))
    db.session.commit()
    click.echo(
        ngettext(
            "%(num)d job handed to the queue again.",
            "%(num)d jobs handed to the queue again.",
            retried,
        )
    )


@jobs_cli.command("purge")
@click.argument("job_ids", nargs=-1, type=int)
@click.option("--all-dead", is_flag=True, help="Every dead job.")
@in_terminal_language
def purge_command(job_ids: tuple[int, ...], all_dead: bool) -> None:
    """Delete dead jobs: their work will not be done."""
    if not job_ids and not all_dead:
        raise click.UsageError(_("Name job ids, or say --all-dead."))
    purged = service.purge(db.session, None if all_dead else list(job_ids))
    db.session.commit()
    click.echo(ngettext("%(num)d dead job purged.", "%(num)d dead jobs purged.", purged))


@jobs_cli.command("relay")
@in_terminal_language
def relay_command() -> None:
    """Hand over now the jobs whose lease ran out (the worker does it every minute)."""
    outbox.hand_over_lost_jobs(db.session)
    db.session.commit()
    click.echo(_("Lost jobs handed over."))
