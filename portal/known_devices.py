"""The browsers a member signed in from: a signed cookie that lets them past a spray.

After a successful sign-in the browser keeps `known_device`: the ids of the last few
accounts that signed in on it, signed with the secret key (so it cannot be made up) and
kept for a year. Sign-in throttling (portal/signin_throttle.py) does not slow an account
on a browser that carries its id by the failures of others elsewhere; the failures on
this browser's own address still count.
"""

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "known_device"
MAX_ACCOUNTS = 5  # a family computer; the cookie stays small
MAX_AGE_SECONDS = 365 * 24 * 3600


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="known-device")


def _stored_ids() -> list[int]:
    value = request.cookies.get(COOKIE)
    if not value:
        return []
    try:
        ids = _serializer().loads(value)
    except BadSignature:
        return []
    return [item for item in ids if type(item) is int] if isinstance(ids, list) else []


def user_ids() -> frozenset[int]:
    """The accounts that signed in on this browser before (none if the cookie is forged)."""
    return frozenset(_stored_ids())


def remember(response: Response, user_id: int) -> Response:
    """Add the account to this browser's cookie (most recent first)."""
    ids = [user_id, *(item for item in _stored_ids() if item != user_id)][:MAX_ACCOUNTS]
    response.set_cookie(
        COOKIE,
        _serializer().dumps(ids),
        max_age=MAX_AGE_SECONDS,
        httponly=True,
        samesite="Lax",
    )
    return response
