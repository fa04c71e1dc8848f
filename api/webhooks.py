"""Webhooks: endpoints admins register, the events they receive, deliveries and replays.

An event the portal publishes on its bus (portal/events.py) becomes, in the same
transaction, one ``WebhookDelivery`` row per endpoint that chose it and one job
(``api.deliver_webhook``): nothing is sent before the change is committed, and nothing
committed goes unsent. The job signs and sends (api/delivery.py) and logs the outcome on
the row; a failure is tried again after WEBHOOK_RETRY_DELAY_SECONDS, doubling, up to
WEBHOOK_MAX_ATTEMPTS; WEBHOOK_PAUSE_AFTER_FAILURES failed attempts in a row pause the
endpoint and tell every admin. An admin replays any delivery from /admin/webhooks.
"""

import json
import secrets
import time
import uuid
from collections.abc import Callable

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from api import delivery as sender
from api.models import URL_MAX, WebhookDelivery, WebhookEndpoint
from portal import notifications
from portal.database import utcnow
from portal.errors import NotFound, ValidationFailed
from portal.i18n import N_
from portal.jobs import enqueue, job
from portal.models import User
from portal.permissions import Role, can_manage_webhooks, require

DELIVER_JOB = "api.deliver_webhook"
EVENTS = {
    "thread.created": N_("A thread was created"),
    "solution.accepted": N_("A solution was accepted"),
    "case.opened": N_("A case was opened"),
    "case.assigned": N_("A case was assigned"),
    "case.solved": N_("A case was solved"),
    "article.published": N_("An article was published"),
    "post.held": N_("A post was held for review"),
}
# Why a receiver's URL is refused (api/delivery.py says which), as whole sentences.
REFUSED = {
    "shape": N_("Only http:// and https:// addresses with a host name are accepted."),
    "credentials": N_("Leave the user name and password out of the address."),
    "resolve": N_("This host name does not resolve: check the address."),
    "private": N_(
        "This address leads to a private or local network (%(address)s): the portal sends "
        "only to public addresses."
    ),
}
PAUSED_MESSAGE = N_("Webhook to %(url)s paused after %(num)s failed attempts in a row")


def clean_events(events: list[str]) -> str:
    chosen = [name for name in EVENTS if name in set(events)]
    if not chosen or len(chosen) != len(set(events)):
        raise ValidationFailed(_("Choose at least one event from the list."), field="events")
    return " ".join(chosen)


def clean_url(url: str) -> str:
    """An http(s) URL to a host whose addresses are public (or private ones are allowed)."""
    url = (url or "").strip()
    if not url or len(url) > URL_MAX:
        raise ValidationFailed(_("Enter the receiver’s URL."), field="url")
    try:
        _scheme, host, port, _path = sender.check_url_shape(url)
        sender.vetted_address(host, port, current_app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"])
    except sender.TargetRefused as error:
        message = _(REFUSED[error.code], address=error.address)
        raise ValidationFailed(message, field="url") from None
    return url


def create_endpoint(
    session: Session, actor: User, *, url: str, events: list[str], description: str = ""
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret (shown to the admin once)."""
    require(can_manage_webhooks(actor), _("Only admins manage webhooks."))
    secret = "whsec_" + secrets.token_urlsafe(32)
    endpoint = WebhookEndpoint(
        url=clean_url(url),
        events=clean_events(events),
        description=" ".join((description or "").split())[:200],
        secret=secret,
        created_by_id=actor.id,
        created_at=utcnow(),
    )
    session.add(endpoint)
    session.flush()
    return endpoint, secret


def get_endpoint(session: Session, endpoint_id: int) -> WebhookEndpoint:
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise NotFound(_("No such webhook."))
    return endpoint


def resume_endpoint(session: Session, actor: User, endpoint: WebhookEndpoint) -> None:
    """Send to a paused endpoint again (its failure count starts over)."""
    require(can_manage_webhooks(actor), _("Only admins manage webhooks."))
    endpoint.paused_at, endpoint.consecutive_failures = None, 0
    session.flush()


def delete_endpoint(session: Session, actor: User, endpoint: WebhookEndpoint) -> None:
    require(can_manage_webhooks(actor), _("Only admins manage webhooks."))
    # Explicitly: SQLite enforces the foreign key's cascade only when told to.
    session.execute(delete(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id))
    session.delete(endpoint)
    session.flush()


def deliveries_of(endpoint: WebhookEndpoint):
    """The statement listing an endpoint's deliveries, newest first."""
    return (
        select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint.id)
        .order_by(WebhookDelivery.id.desc())
    )


# ------------------------------------------------------------------ recording
def fire(session: Session, event: str, build: Callable[[], dict]) -> int:
    """Record a delivery (and its job) for every active endpoint that wants ``event``.

    ``build()`` makes the event's data, only when some endpoint wants it: the action's
    objects are left as they are otherwise (no relationship loaded early, then stale).
    """
    with session.no_autoflush:  # the action's own flushes stay where it put them
        endpoints = session.scalars(
            select(WebhookEndpoint).where(WebhookEndpoint.paused_at.is_(None))
        ).all()
    wanted = [endpoint for endpoint in endpoints if event in endpoint.event_set]
    if not wanted:
        return 0
    payload = {
        "id": str(uuid.uuid4()),
        "type": event,
        "created_at": utcnow().isoformat(),
        "data": build(),
    }
    for endpoint in wanted:
        _record(session, endpoint, payload)
    return len(wanted)


def _record(session: Session, endpoint: WebhookEndpoint, payload: dict, replay_of=None):
    row = WebhookDelivery(
        endpoint_id=endpoint.id,
        event=payload["type"],
        event_id=payload["id"],
        payload=payload,
        status="pending",
        created_at=utcnow(),
        replay_of_id=replay_of,
    )
    session.add(row)
    session.flush()
    enqueue(session, DELIVER_JOB, delivery_id=row.id)
    return row


def replay(session: Session, actor: User, delivery_id: int) -> WebhookDelivery:
    """Send a delivery's event again, as a new delivery (same event id: receivers dedupe)."""
    require(can_manage_webhooks(actor), _("Only admins manage webhooks."))
    original = session.get(WebhookDelivery, delivery_id)
    if original is None:
        raise NotFound(_("No such delivery."))
    return _record(session, original.endpoint, original.payload, replay_of=original.id)


# ------------------------------------------------------------------ sending
def body_of(row: WebhookDelivery) -> bytes:
    return json.dumps(row.payload, sort_keys=True, separators=(",", ":")).encode()


@job(DELIVER_JOB)
def deliver(session: Session, *, delivery_id: int) -> None:
    """Send one delivery once, log the outcome, schedule the retry or pause the endpoint."""
    row = session.get(WebhookDelivery, delivery_id)
    if row is None or row.status not in ("pending", "retrying"):
        return  # gone with its endpoint, or done by an earlier run of this job
    endpoint = row.endpoint
    if endpoint is None or endpoint.paused_at is not None:
        row.status = "skipped"
        return
    config = current_app.config
    body, timestamp = body_of(row), int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": sender.USER_AGENT,
        sender.EVENT_HEADER: row.event,
        sender.DELIVERY_HEADER: str(row.id),
        sender.TIMESTAMP_HEADER: str(timestamp),
        sender.SIGNATURE_HEADER: sender.sign(endpoint.secret, timestamp, body),
    }
    outcome = sender.send(
        endpoint.url,
        body,
        headers,
        timeout=float(config["WEBHOOK_TIMEOUT_SECONDS"]),
        allow_private=bool(config["WEBHOOK_ALLOW_PRIVATE_TARGETS"]),
    )
    row.attempts += 1
    row.last_attempt_at = utcnow()
    row.response_code, row.response_excerpt = outcome.status, outcome.excerpt
    row.duration_ms, row.error = outcome.duration_ms, outcome.error
    if outcome.ok:
        row.status = "delivered"
        endpoint.consecutive_failures = 0
        return
    failures = session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint.id)
        .values(consecutive_failures=WebhookEndpoint.consecutive_failures + 1)
        .returning(WebhookEndpoint.consecutive_failures)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    session.refresh(endpoint)
    if failures >= int(config["WEBHOOK_PAUSE_AFTER_FAILURES"]) and endpoint.paused_at is None:
        _pause(session, endpoint, failures)
    if row.attempts < int(config["WEBHOOK_MAX_ATTEMPTS"]) and endpoint.paused_at is None:
        row.status = "retrying"
        delay = float(config["WEBHOOK_RETRY_DELAY_SECONDS"]) * 2 ** (row.attempts - 1)
        enqueue(session, DELIVER_JOB, delay_seconds=min(delay, 6 * 3600), delivery_id=row.id)
    else:
        row.status = "failed"


def _pause(session: Session, endpoint: WebhookEndpoint, failures: int) -> None:
    endpoint.paused_at = utcnow()
    admins = session.scalars(
        select(User).where(User.role == Role.ADMIN.value, User.deleted_at.is_(None))
    )
    for admin in admins:
        notifications.notify(
            session,
            admin,
            kind="webhook_paused",
            message=PAUSED_MESSAGE,
            params={"url": endpoint.url, "num": failures},
            link=f"/admin/webhooks/{endpoint.id}",
        )
