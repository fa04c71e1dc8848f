"""The event bus: now, after commit, never after rollback."""

import pytest

from portal import events
from tests.factories import make_tag

received = []


def record(sender, **data):
    received.append(data)


@pytest.fixture(autouse=True)
def recorder():
    received.clear()
    events.subscribe("test.happened", record)
    events.subscribe("test.happened", record)  # subscribing twice must not deliver twice
    yield
    events.unsubscribe("test.happened", record)


def test_publish_delivers_now():
    events.publish("test.happened", value=1)
    assert received == [{"value": 1}]


def test_after_commit_waits_for_the_commit(db):
    make_tag(db.session, "Billing")
    events.publish_after_commit(db.session, "test.happened", value=2)
    assert received == []
    db.session.commit()
    assert received == [{"value": 2}]


def test_rollback_drops_pending_events(db):
    events.publish_after_commit(db.session, "test.happened", value=3)
    db.session.rollback()
    db.session.commit()
    assert received == []


def test_a_failing_after_commit_subscriber_does_not_undo_the_action(db):
    def explode(sender, **data):
        raise RuntimeError("index unavailable")

    events.subscribe("test.exploding", explode)
    try:
        events.publish_after_commit(db.session, "test.exploding")
        events.publish_after_commit(db.session, "test.happened", value=4)
        db.session.commit()
    finally:
        events.unsubscribe("test.exploding", explode)
    assert received == [{"value": 4}]


def test_handlers_run_in_the_order_they_subscribed():
    calls = []
    handlers = [lambda sender, number=number: calls.append(number) for number in range(12)]
    for handler in handlers:
        events.subscribe("test.ordered", handler)
    try:
        events.publish("test.ordered")
    finally:
        for handler in handlers:
            events.unsubscribe("test.ordered", handler)
    assert calls == list(range(12))
