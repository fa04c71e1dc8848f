"""Webhooks end to end: an admin registers a receiver on the admin page, the portal's
events reach it signed, failures are retried, a failing receiver is paused (admins told),
deliveries are replayed, and unintended targets are refused."""

import json
import re

import pytest
from sqlalchemy import select

from api import delivery
from api.models import WebhookDelivery, WebhookEndpoint
from api.webhooks import EVENTS
from portal.extensions import db
from portal.models import Tag
from portal.notifications import Notification
from tests.api.receiver import Receiver
from tests.conftest import AuthActions
from tests.moderation.cases.helpers import make_agent, make_case


@pytest.fixture
def receiver():
    started = Receiver().start()
    yield started
    started.stop()


@pytest.fixture
def private_ok(app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE_TARGETS", True)
    return app.config


def register(client, url: str, events: list[str]):
    """Sign in as the admin and add a webhook on /admin/webhooks; (answer, secret)."""
    AuthActions(client).login("apiadmin")
    answer = client.post(
        "/admin/webhooks", data={"url": url, "events": events, "description": "CRM"}
    )
    found = re.search(r"data-new-secret>(whsec_[\w-]+)<", answer.get_data(as_text=True))
    return answer, found[1] if found else None


def ask(api, title="Router blinks red all night"):
    body = {"title": title, "body": "What does it mean?", "tags": ["internet"]}
    answer = api("post", "/api/v1/threads", "customer", json=body)
    assert answer.status_code == 201
    return answer.get_json()["id"]


def test_a_registered_receiver_gets_signed_events(client, api, world, receiver, private_ok):
    answer, secret = register(client, receiver.url, ["thread.created", "solution.accepted"])
    assert answer.status_code == 201 and secret
    # Shown once: the admin pages never show it again.
    assert secret not in client.get("/admin/webhooks").get_data(as_text=True)
    endpoint = db.session.scalar(select(WebhookEndpoint))
    assert secret not in client.get(f"/admin/webhooks/{endpoint.id}").get_data(as_text=True)

    thread_id = ask(api)
    assert len(receiver.received) == 1
    sent = receiver.received[0]
    assert delivery.verify(
        secret,
        sent.headers["X-CarePortal-Timestamp"],
        sent.body,
        sent.headers["X-CarePortal-Signature"],
    )
    # A body changed on the way, or a wrong secret, does not verify.
    forged = sent.body.replace(b"Router", b"Modem")
    stamp, signature = (
        sent.headers["X-CarePortal-Timestamp"],
        sent.headers["X-CarePortal-Signature"],
    )
    assert not delivery.verify(secret, stamp, forged, signature)
    assert not delivery.verify("whsec_other", stamp, sent.body, signature)
    event = json.loads(sent.body)
    assert (
        event["type"] == "thread.created" and sent.headers["X-CarePortal-Event"] == "thread.created"
    )
    assert event["data"]["thread"]["id"] == thread_id
    assert event["data"]["thread"]["url"].endswith(f"/community/threads/{thread_id}")
    # An event the endpoint did not choose is not sent (a reply).
    api("post", f"/api/v1/threads/{thread_id}/posts", "superuser", json={"body": "Reset it."})
    assert len(receiver.received) == 1
    logged = db.session.scalar(select(WebhookDelivery))
    assert (logged.status, logged.response_code, logged.attempts) == ("delivered", 200, 1)
    assert logged.response_excerpt == "ok" and logged.duration_ms is not None


def test_a_failing_receiver_is_retried_then_delivered(client, api, world, receiver, private_ok):
    receiver.answers = [503, 200]
    register(client, receiver.url, ["thread.created"])
    ask(api)
    assert len(receiver.received) == 2
    first, second = receiver.received
    assert json.loads(first.body)["id"] == json.loads(second.body)["id"]  # the same event
    logged = db.session.scalar(select(WebhookDelivery))
    assert (logged.status, logged.attempts, logged.response_code) == ("delivered", 2, 200)
    assert db.session.scalar(select(WebhookEndpoint.consecutive_failures)) == 0


def test_repeated_failures_pause_the_endpoint_and_tell_admins(
    client, api, world, receiver, private_ok, monkeypatch, app
):
    monkeypatch.setitem(app.config, "WEBHOOK_MAX_ATTEMPTS", 2)
    monkeypatch.setitem(app.config, "WEBHOOK_PAUSE_AFTER_FAILURES", 3)
    receiver.answers = [500]
    _answer, _secret = register(client, receiver.url, ["thread.created"])
    ask(api, "First question about the router")
    first = db.session.scalar(select(WebhookDelivery))
    assert (first.status, first.attempts, first.response_code) == ("failed", 2, 500)
    assert first.response_excerpt == "receiver is down"
    ask(api, "Second question about the router")  # the third failure in a row: paused
    endpoint = db.session.scalar(select(WebhookEndpoint))
    db.session.refresh(endpoint)
    assert endpoint.paused_at is not None and len(receiver.received) == 3
    notes = db.session.scalars(
        select(Notification).where(Notification.user_id == world.users["admin"].id)
    ).all()
    assert [note.kind for note in notes] == ["webhook_paused"]
    assert receiver.url in notes[0].message
    ask(api, "Third question about the router")  # paused: nothing sent
    assert len(receiver.received) == 3
    page = client.get(f"/admin/webhooks/{endpoint.id}").get_data(as_text=True)
    assert "receiver is down" in page
    # Resumed from its page, it receives again.
    receiver.answers = [200]
    client.post(f"/admin/webhooks/{endpoint.id}/resume")
    ask(api, "Fourth question about the router")
    assert len(receiver.received) == 4


def test_a_delivery_is_replayed_from_the_admin_page(client, api, world, receiver, private_ok):
    register(client, receiver.url, ["thread.created"])
    ask(api)
    original = db.session.scalar(select(WebhookDelivery))
    answer = client.post(f"/admin/webhooks/{original.endpoint_id}/deliveries/{original.id}/replay")
    assert answer.status_code == 302
    assert len(receiver.received) == 2
    first, again = (json.loads(sent.body) for sent in receiver.received)
    assert first == again  # the same event, same id: the receiver can tell it is a replay
    replay = db.session.scalar(select(WebhookDelivery).where(WebhookDelivery.id != original.id))
    assert replay.replay_of_id == original.id and replay.status == "delivered"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.5/hook",
        "http://[::1]/hook",
        "http://localhost/hook",
        "ftp://example.com/hook",
        "http://user:pass@example.com/hook",
    ],
)
def test_unintended_targets_are_refused(client, world, url):
    answer, secret = register(client, url, ["thread.created"])
    assert answer.status_code == 422 and secret is None
    assert url in answer.get_data(as_text=True)  # the admin's text stays on the form
    assert db.session.scalar(select(WebhookEndpoint)) is None


def test_a_target_that_turned_private_is_not_sent_to(
    client, api, world, receiver, app, monkeypatch
):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE_TARGETS", True)
    register(client, receiver.url, ["thread.created"])
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE_TARGETS", False)
    monkeypatch.setitem(app.config, "WEBHOOK_MAX_ATTEMPTS", 1)
    ask(api)
    assert receiver.received == []
    logged = db.session.scalar(select(WebhookDelivery))
    assert logged.status == "failed" and logged.error.startswith("refused")


def test_only_admins_reach_the_webhook_pages(client, world):
    AuthActions(client).login("apiagent")
    assert client.get("/admin/webhooks").status_code == 403
    assert client.get("/admin/api-tokens").status_code == 403


def test_every_event_reaches_the_receiver(
    client, api, world, receiver, private_ok, app, monkeypatch
):
    register(client, receiver.url, list(EVENTS))
    thread_id = ask(api)
    reply = api("post", f"/api/v1/threads/{thread_id}/posts", "superuser", json={"body": "Reset."})
    post_id = reply.get_json()["id"]
    api("put", f"/api/v1/threads/{thread_id}/solution", "customer", json={"post_id": post_id})
    article = {"title": "Reset the router", "body": "Hold the button.", "tags": ["internet"]}
    api("post", "/api/v1/articles", "agent", json={**article, "publish": True})
    case_id = world.ids["case"]
    api("put", f"/api/v1/cases/{case_id}/assignee", "agent", json={"assignee": "apiagent"})
    api("post", f"/api/v1/cases/{case_id}/solve", "agent", json={"disposition": "known gap"})
    monkeypatch.setitem(app.config, "MODERATION_NEW_ACCOUNT_HELD_POSTS", 50)
    held = api("post", f"/api/v1/threads/{thread_id}/posts", "customer", json={"body": "Thanks!"})
    assert held.get_json()["status"] == "held"
    # Routed to an agent with the skill as it opens: "opened" comes before "assigned".
    internet = db.session.scalar(select(Tag).where(Tag.slug == "internet"))
    make_agent(db.session, "router-expert", skills=[internet])
    make_case(db.session, world.users["customer"], subject="Line down", tags=[internet])
    db.session.commit()
    events = [json.loads(sent.body) for sent in receiver.received]
    assert [event["type"] for event in events] == [
        "thread.created",
        "solution.accepted",
        "article.published",
        "case.assigned",
        "case.solved",
        "post.held",
        "case.opened",
        "case.assigned",
    ]
    assert events[-1]["data"]["agent"] == "router-expert" and events[-1]["data"]["by"] is None


def test_a_deleted_webhook_goes_with_its_deliveries(client, api, world, receiver, private_ok):
    register(client, receiver.url, ["thread.created"])
    ask(api)
    endpoint = db.session.scalar(select(WebhookEndpoint))
    assert client.post(f"/admin/webhooks/{endpoint.id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(WebhookEndpoint)) is None
    assert db.session.scalar(select(WebhookDelivery)) is None
    ask(api, "Another question about the router")
    assert len(receiver.received) == 1
