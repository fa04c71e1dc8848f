"""Rate limits per address (and site-wide), kept by Flask-Limiter in Redis or in memory.

A limit is a setting in Flask-Limiter's notation ("5 per hour; 20 per day"; empty: off),
counted under a key: the client's address, or one key for everyone. Views ask before they
act and count what they did, so a refusal can keep the person's text on the form:

    wait = ratelimits.wait_seconds(Bucket("REGISTER_RATE_LIMIT", client_address()))
    ...   # refuse with 429 and the form, or act and then
    ratelimits.count(Bucket("REGISTER_RATE_LIMIT", client_address()))

The counts live in Redis when REDIS_URL (or RATELIMIT_STORAGE_URI) is set, shared by every
worker and machine; otherwise in the memory of each process, so with several gunicorn
workers each keeps its own count (an address gets up to workers × the limit) and a restart
forgets them. Moving windows: "5 per hour" means at most 5 in any 60 minutes.

The address is `request.remote_addr`: behind a reverse proxy, TRUSTED_PROXIES must be set
(portal/security.py), or every visitor has the proxy's address and shares one count.
If Redis does not answer, the limits let requests through (and log it): an outage of the
counter must not close sign-up or voting.
"""

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from babel.dates import format_timedelta
from flask import Flask, current_app, has_app_context, request
from flask_babel import get_locale
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many

log = logging.getLogger(__name__)
EVERYONE = "everyone"  # the key of a site-wide limit


@dataclass(frozen=True)
class Bucket:
    """One count: the setting that holds its limits, and whose count it is."""

    setting: str
    key: str


def init_app(app: Flask) -> None:
    """A Flask-Limiter for this app, on Redis when REDIS_URL is set, else in memory."""
    config = app.config
    storage = config.get("RATELIMIT_STORAGE_URI") or config.get("REDIS_URL") or "memory://"
    app.extensions["portal.ratelimits"] = Limiter(
        get_remote_address,
        app=app,
        storage_uri=storage,
        strategy=config.get("RATELIMIT_STRATEGY", "moving-window"),
    )


def limiter() -> Limiter:
    return current_app.extensions["portal.ratelimits"]


def client_address() -> str:
    """The address limits count by (the proxy's client when TRUSTED_PROXIES is set)."""
    if "X-Forwarded-For" in request.headers and not current_app.config["TRUSTED_PROXIES"]:
        _warn_untrusted_proxy()
    return request.remote_addr or "unknown"


@cache
def _warn_untrusted_proxy() -> None:
    log.warning(
        "Requests carry X-Forwarded-For but PORTAL_TRUSTED_PROXIES is 0: rate limits and "
        "sign-in throttling count the proxy's address, shared by every visitor."
    )


@cache
def _parsed(limits: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(limits))


def limits_of(bucket: Bucket) -> tuple[RateLimitItem, ...]:
    """The limits the bucket's setting names; none when the setting is empty."""
    text = (current_app.config.get(bucket.setting) or "").strip()
    return _parsed(text) if text else ()


def _identifiers(bucket: Bucket) -> tuple[str, str, str]:
    return current_app.config["RATELIMIT_KEY_PREFIX"], bucket.setting, bucket.key


def wait_seconds(*buckets: Bucket) -> int:
    """0 when every bucket has room for one more, else the seconds until all of them do."""
    limits = limiter()
    if not limits.enabled:
        return 0
    wait = 0.0
    try:
        for bucket in buckets:
            for item in limits_of(bucket):
                if not limits.limiter.test(item, *_identifiers(bucket)):
                    reset_at = limits.limiter.get_window_stats(item, *_identifiers(bucket))[0]
                    wait = max(wait, reset_at - time.time(), 1)
    except Exception:  # an unreachable counter lets requests through
        log.exception("Rate limit storage failed; letting the request through")
        return 0
    return int(wait + 0.999)


def count(*buckets: Bucket) -> None:
    """Count one more in each bucket (after the action it limits was done)."""
    limits = limiter()
    if not limits.enabled:
        return
    try:
        for bucket in buckets:
            for item in limits_of(bucket):
                limits.limiter.hit(item, *_identifiers(bucket))
    except Exception:  # as above: the action stands, uncounted
        log.exception("Rate limit storage failed; this action was not counted")


def take(*buckets: Bucket) -> bool:
    """Count one more if every bucket has room; whether it had."""
    if wait_seconds(*buckets):
        return False
    count(*buckets)
    return True


def reset() -> None:
    """Forget every count (tests; `flask` shell after a false alarm)."""
    limits = limiter()
    if limits.enabled:
        limits.reset()


def describe_wait(seconds: int) -> str:
    """'40 seconds', '12 minutes', '3 hours' ('12 minutes', '3 heures'): how long to wait,
    for a message, in the page's language. Seconds up to 89, then minutes up to 89, then
    hours (a unit is used from one and a half of it)."""
    locale = get_locale() if has_app_context() else None
    return format_timedelta(
        timedelta(seconds=seconds), threshold=1.5, format="long", locale=locale or "en"
    )
