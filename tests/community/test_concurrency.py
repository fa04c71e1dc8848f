"""Two people accept different replies at the same moment: the database keeps one."""

import os
import threading

import pytest
from sqlalchemy import func, select

from community import service, solutions
from community.models import AcceptedSolution, Post, ReputationEvent, Thread
from portal.errors import Conflict
from portal.extensions import db as _db
from portal.models import User
from portal.permissions import Role
from tests.factories import make_reply, make_thread, make_user


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="SQLite locks the whole file for a writer, so two accepts cannot overlap there; "
    "the unique constraints are exercised on PostgreSQL (TEST_DATABASE_URL)",
)
def test_two_simultaneous_accepts_leave_exactly_one_solution(app, db, monkeypatch):
    thread = make_thread(db.session)
    first, second = make_reply(db.session, thread), make_reply(db.session, thread)
    agent = make_user(db.session, role=Role.AGENT)
    db.session.commit()
    thread_id, asker_id, agent_id = thread.id, thread.author_id, agent.id
    first_id, second_id = first.id, second.id

    # Both requests have seen "no solution yet" before either one writes.
    both_looked = threading.Barrier(2, timeout=20)
    original_lookup = solutions.current_solution

    def lookup_then_wait(session, thread):
        found = original_lookup(session, thread)
        both_looked.wait()
        return found

    monkeypatch.setattr(solutions, "current_solution", lookup_then_wait)
    outcomes = {}

    def accept(actor_id: int, post_id: int) -> None:
        with app.app_context():  # its own app context: its own session and connection
            session = _db.session
            try:
                service.accept_solution(
                    session,
                    session.get(User, actor_id),
                    session.get(Thread, thread_id),
                    session.get(Post, post_id),
                )
                session.commit()
                outcomes[post_id] = "accepted"
            except Conflict as error:
                session.rollback()
                outcomes[post_id] = error.message
            finally:
                session.remove()

    workers = [
        threading.Thread(target=accept, args=(asker_id, first_id)),
        threading.Thread(target=accept, args=(agent_id, second_id)),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)

    assert sorted(outcomes.values()) == [
        "Another reply was accepted a moment ago. Reload the thread to see it.",
        "accepted",
    ]
    db.session.expire_all()
    rows = db.session.scalars(select(AcceptedSolution)).all()
    winner = next(post_id for post_id, outcome in outcomes.items() if outcome == "accepted")
    assert [(row.thread_id, row.post_id) for row in rows] == [(thread_id, winner)]
    points = db.session.scalar(select(func.count(ReputationEvent.id)))
    assert points == 1  # only the winner's solution was worth reputation
