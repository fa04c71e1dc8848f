"""Run actions at the same moment, each in a thread with its own session and connection.

Every thread is held just before its first statement that writes or locks a row
(INSERT, UPDATE, DELETE, SELECT ... FOR UPDATE) until ``together`` threads have arrived:
all of them have read what they act on, none has written yet. That is the moment a
check-then-write goes wrong, and lining the threads up there makes it happen every run
instead of now and then.

PostgreSQL runs the transactions side by side from there. SQLite's driver begins a
transaction only at the first write, so the reads before it take no lock and the same
line-up works; the writers then queue on the file's writer lock (``busy_timeout``).
"""

import contextlib
import re
import threading
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from portal.extensions import db as _db
from tests.factories import PASSWORD

WRITES_OR_LOCKS = re.compile(
    r"^\s*(INSERT|UPDATE|DELETE)\b|\bFOR (NO KEY )?UPDATE\b|\bFOR (KEY )?SHARE\b", re.I
)


def at_once(app: Flask, actions: list[Callable[[], object]], *, together: int | None = None):
    """Run each action in its own thread and app context, lined up before their writes in
    groups of ``together`` (all of them by default: keep it under the connection pool's
    size). Returns what each action returned, or the exception it raised, in order."""
    barrier = threading.Barrier(together or len(actions), timeout=60)
    held = threading.local()

    def hold(connection, cursor, statement, *args) -> None:
        if getattr(held, "armed", False) and WRITES_OR_LOCKS.search(statement):
            held.armed = False
            barrier.wait()

    outcomes: list[object] = [None] * len(actions)

    def run(index: int, action: Callable[[], object]) -> None:
        held.armed = True
        try:
            with app.app_context():  # its own session, hence its own connection
                outcomes[index] = action()
        except Exception as error:  # a 500 in a test client request arrives as its cause
            outcomes[index] = error
        finally:
            if held.armed:  # it wrote nothing: still arrive, or the others wait forever
                held.armed = False
                with contextlib.suppress(threading.BrokenBarrierError):  # its outcome says why
                    barrier.wait()

    with app.app_context():
        engine = _db.engine
    event.listen(engine, "before_cursor_execute", hold)
    try:
        threads = [threading.Thread(target=run, args=item) for item in enumerate(actions)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        event.remove(engine, "before_cursor_execute", hold)
    return outcomes


def signed_in(app: Flask, username: str) -> FlaskClient:
    """A test client signed in as this user (another browser of the same person)."""
    client = app.test_client()
    with app.app_context():  # its own `g`: Flask-Login caches the signed-in user there
        response = client.post("/login", data={"identifier": username, "password": PASSWORD})
    assert response.status_code == 302, response.data
    with client.session_transaction() as session:
        session.pop("_flashes", None)  # "Signed in as ...": only what the race says counts
    return client


def flashes(client: FlaskClient) -> list[str]:
    """The messages waiting for this browser's next page."""
    with client.session_transaction() as session:
        return [message for _, message in session.get("_flashes", [])]
