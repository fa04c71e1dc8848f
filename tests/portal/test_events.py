"""The event bus: subscribers run now, in order, once each."""

import pytest

from portal import events

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
