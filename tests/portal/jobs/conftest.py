"""Jobs under test: a job kind that records what it did, and a queue that records hand-overs."""

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, select

from portal import jobs

# A table of the tests' own, so a job's effect is a committed row we can count.
effects = Table(
    "test_job_effects",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("note", String(50)),
)
FAILURES = {"left": 0}


@jobs.job("tests.record")
def record_effect(session, *, note: str) -> None:
    """Writes one row; fails while FAILURES["left"] > 0 (after writing, to prove the rollback)."""
    session.execute(effects.insert().values(note=note))
    if FAILURES["left"] > 0:
        FAILURES["left"] -= 1
        raise ConnectionError("the server did not answer")


@pytest.fixture
def effect_rows(db):
    """The notes the test job wrote and committed, oldest first."""
    effects.create(db.engine, checkfirst=True)
    FAILURES["left"] = 0
    yield lambda: list(db.session.scalars(select(effects.c.note).order_by(effects.c.id)))
    db.session.rollback()
    with db.engine.begin() as connection:
        connection.execute(effects.delete())


class RecordingQueue:
    """Stands in for Huey where a test looks at what was handed over, not at a worker."""

    def __init__(self):
        self.pushed = []

    def push(self, job_id, run_at):
        self.pushed.append(job_id)


@pytest.fixture
def queue(app, monkeypatch):
    """Hand-overs go to a RecordingQueue instead of running inline."""
    recording = RecordingQueue()
    monkeypatch.setitem(app.config, "JOBS_INLINE", False)
    monkeypatch.setitem(jobs.state(app).__dict__, "queue", recording)
    return recording
