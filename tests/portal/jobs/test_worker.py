"""The queue for real: `flask jobs worker` processes, a process killed after its commit,
an SMTP server that is down and then up, and Redis."""

import json
import os
import socket
import subprocess
import sys
import textwrap
import time

from sqlalchemy import func, select

from portal import notifications
from portal.jobs import Job
from tests.factories import make_user
from tests.workers import (
    ROOT,
    redis_or_skip,
    use_real_queue,
    wait_for,
    worker_settings,
)


def outbox_mails(settings) -> list[str]:
    folder = settings["MAIL_OUTBOX_DIR"]
    if not os.path.isdir(folder):
        return []
    return sorted(
        open(os.path.join(folder, name)).read()
        for name in os.listdir(folder)
        if name.endswith(".eml")
    )


def jobs_left(db) -> int:
    db.session.rollback()  # see what the worker committed
    return db.session.scalar(select(func.count(Job.id)))


def most_attempts(db) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.max(Job.attempts))) or 0


def notify_three(db):
    users = [make_user(db.session, name) for name in ("jordan", "emma", "karim")]
    for user in users:
        notifications.notify(db.session, user, kind="t", message=f"Hello {user.username}")
    db.session.commit()


def test_a_worker_runs_what_the_web_process_committed(app, db, tmp_path, monkeypatch, workers):
    settings = worker_settings(app, tmp_path)
    use_real_queue(app, monkeypatch, settings)
    workers(settings)
    notify_three(db)
    mails = wait_for(lambda: len(outbox_mails(settings)) == 3 and outbox_mails(settings))
    assert any("To: emma@example.com" in mail for mail in mails)
    wait_for(lambda: jobs_left(db) == 0, what="the jobs to be deleted")


def test_jobs_go_through_redis_to_workers_anywhere(app, db, tmp_path, monkeypatch, workers):
    settings = worker_settings(app, tmp_path, REDIS_URL=redis_or_skip())
    use_real_queue(app, monkeypatch, settings)
    workers(settings), workers(settings)  # two workers share one Redis queue
    notify_three(db)
    wait_for(lambda: len(outbox_mails(settings)) == 3, what="three e-mails")
    wait_for(lambda: jobs_left(db) == 0, what="the jobs to be deleted")
    time.sleep(1)
    assert len(outbox_mails(settings)) == 3  # each delivered once


COMMIT_THEN_DIE = """
import json, os, sys
from portal import create_app, notifications, service
from portal.extensions import db
from portal.jobs import outbox

settings = json.loads({settings!r})
app = create_app(settings)
outbox.hand_over = lambda jobs: os._exit(9)  # killed right after the commit
with app.app_context():
    user = service.register_user(
        db.session, username="survivor", email="survivor@example.com", password="long enough"
    )
    db.session.flush()
    notifications.notify(db.session, user, kind="t", message="You still get this")
    db.session.commit()
sys.exit(0)  # not reached
"""


def test_a_process_killed_after_its_commit_loses_nothing(app, db, tmp_path, monkeypatch, workers):
    settings = worker_settings(app, tmp_path)
    script = COMMIT_THEN_DIE.format(settings=json.dumps({**settings, "TESTING": True}))
    died = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True)
    assert died.returncode == 9, died.stderr.decode()
    assert jobs_left(db) == 1  # committed, never handed over
    workers(settings)  # a worker starting later hands it over itself
    [mail] = wait_for(lambda: outbox_mails(settings), what="the e-mail")
    assert "You still get this" in mail


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_mail_waits_for_smtp_and_each_message_arrives_once(app, db, tmp_path, monkeypatch, workers):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    port = free_port()
    settings = worker_settings(
        app, tmp_path, MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=port, MAIL_SMTP_STARTTLS=False
    )
    use_real_queue(app, monkeypatch, settings)
    workers(settings)
    notify_three(db)
    # The server is down: each attempt fails and the job waits (1 s, 2 s, …) for the next.
    wait_for(lambda: most_attempts(db) >= 1, what="a failed attempt")
    time.sleep(1.5)
    assert received == []
    server = Controller(Collect(), hostname="127.0.0.1", port=port)
    server.start()
    try:
        wait_for(lambda: len(received) >= 3, timeout=45, what="three messages")
        wait_for(lambda: jobs_left(db) == 0, what="the jobs to be deleted")
        time.sleep(2)
    finally:
        server.stop()
    assert sorted(message["To"] for message in received) == [
        "emma@example.com",
        "jordan@example.com",
        "karim@example.com",
    ]
    assert len({message["Message-ID"] for message in received}) == 3
    assert outbox_mails(settings) == []


def test_an_idle_worker_ticks_without_errors(app, db, tmp_path, monkeypatch, workers):
    settings = worker_settings(app, tmp_path)
    use_real_queue(app, monkeypatch, settings)
    process = workers(settings)
    time.sleep(3)
    assert process.poll() is None
    log = (tmp_path / "worker-0.log").read_text()
    assert "Traceback" not in log, textwrap.shorten(log, 2000)
