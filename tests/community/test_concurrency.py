"""Accepting, voting, following and replying at the same moment, with real connections.

Each racing request or service call runs in its own thread with its own session and
connection, lined up before its first write (tests/concurrency.py), on SQLite and on
PostgreSQL (TEST_DATABASE_URL).
"""

import os
import threading

import pytest
from sqlalchemy import func, select

from community import service, solutions
from community.models import (
    AcceptedSolution,
    Post,
    ReputationEvent,
    TagFollow,
    Thread,
    ThreadFollow,
)
from portal.errors import Conflict
from portal.extensions import db as _db
from portal.models import User
from portal.notifications import Notification
from portal.permissions import Role
from tests.concurrency import at_once, signed_in
from tests.factories import make_reply, make_tag, make_thread, make_user

ACCEPTED = "Marked as the solution. Thank you for closing the loop!"
TOO_LATE = "Another reply was accepted a moment ago. Reload the thread to see it."


def notices(session, kind: str) -> list[int]:
    """Who received notifications of this kind, one entry per notification."""
    return list(session.scalars(select(Notification.user_id).where(Notification.kind == kind)))


def ledger(session, user_id: int) -> list[tuple[int, str]]:
    rows = session.execute(
        select(ReputationEvent.points, ReputationEvent.reason)
        .where(ReputationEvent.user_id == user_id)
        .order_by(ReputationEvent.id)
    )
    return [tuple(row) for row in rows]


@pytest.mark.parametrize("what", ["thread", "tag"])
def test_following_twice_at_once_is_one_follow(app, db, what):
    tag = make_tag(db.session)
    thread = make_thread(db.session, tags=[tag])
    member = make_user(db.session)
    db.session.commit()
    url = (
        f"/community/threads/{thread.id}/follow"
        if what == "thread"
        else f"/community/tags/{tag.slug}/follow"
    )
    browsers = [signed_in(app, member.username) for _ in range(3)]

    outcomes = at_once(app, [lambda b=b: b.post(url, data={"follow": "1"}) for b in browsers])

    assert [getattr(outcome, "status_code", outcome) for outcome in outcomes] == [302] * 3
    model = ThreadFollow if what == "thread" else TagFollow
    follows = select(func.count(model.id)).where(model.user_id == member.id)
    assert db.session.scalar(follows) == 1


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
