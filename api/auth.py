"""Who is calling the API, with which scopes, how often, and the CSRF rule for browsers.

Three ways in, tried in this order:

1. ``Authorization: Bearer cpt_…``: a personal or service token (api/tokens.py). The
   request acts as the token's account, limited to the token's scopes. No CSRF token is
   needed: a browser never adds this header by itself.
2. The web session cookie, for same-site JavaScript: acts as the signed-in user with every
   scope; an unsafe request (POST, PUT, PATCH, DELETE) must carry the page's CSRF token in
   ``X-CSRFToken``, or another site could make the browser call the API.
3. Nothing: a visitor, who may read what visitors read.

Then each operation names the scope it needs (``@needs("write")``); the account's role is
asked through the same predicates as the web pages, in the services themselves.
"""

from functools import wraps

from flask import abort, current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from api import problems, tokens
from portal import ratelimits
from portal.extensions import db
from portal.permissions import is_signed_in

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ALL_SCOPES = frozenset(tokens.SCOPES)


def authenticate():
    """before_request of every API blueprint: sets g.api_token / g.api_scopes, or answers
    401 (bad token), 403 (session request without CSRF token) or 429 (rate limit)."""
    g.api_token, g.api_scopes = None, frozenset({"read"})
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _space, secret = header.partition(" ")
        token = tokens.token_for_secret(db.session, secret.strip())
        if scheme.lower() != "bearer" or token is None:
            return problems.problem(
                401,
                _("The bearer token is missing, unknown or revoked."),
                kind="token",
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        if tokens.note_use(db.session, token):
            db.session.commit()
        # Flask-Login's current user for this request only: no session cookie is made.
        g._login_user = token.user
        g.api_token, g.api_scopes = token, token.scope_set
    elif is_signed_in(current_user):
        g.api_scopes = ALL_SCOPES
        if request.method not in SAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
            try:
                validate_csrf(request.headers.get("X-CSRFToken", ""))
            except (ValidationError, CSRFError):
                return problems.problem(
                    403,
                    _(
                        "A request made with the session cookie needs the page’s CSRF token "
                        "in the X-CSRFToken header."
                    ),
                    kind="csrf",
                )
    return _rate_limited()


def _rate_limited():
    if g.api_token is not None:
        key = f"token:{g.api_token.id}"
    elif is_signed_in(current_user):
        key = f"user:{current_user.id}"
    else:
        key = f"address:{ratelimits.client_address()}"
    bucket = ratelimits.Bucket("API_RATE_LIMIT", key)
    if ratelimits.take(bucket):
        return None
    wait = ratelimits.wait_seconds(bucket) or 1
    return problems.problem(
        429,
        _("Too many requests: try again in %(wait)s.", wait=ratelimits.describe_wait(wait)),
        kind="rate",
        headers={"Retry-After": str(wait)},
    )


def needs(scope: str):
    """Operation decorator: the caller's token must carry ``scope`` (403 otherwise), and
    anything but "read" needs a signed-in account (401 for visitors)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if scope != "read":
                permit(is_signed_in(current_user))
            if scope not in g.api_scopes:
                challenge = f'Bearer error="insufficient_scope" scope="{scope}"'
                abort(
                    problems.problem(
                        403,
                        _("This token lacks the “%(scope)s” scope.", scope=scope),
                        kind="scope",
                        headers={"WWW-Authenticate": challenge},
                    )
                )
            return view(*args, **kwargs)

        # Read by api/spec.py into the operation's description (flask-smorest's doc info).
        wrapped._apidoc = {**getattr(view, "_apidoc", {}), "manual_doc": {"x-scope": scope}}
        return wrapped

    return decorator


def permit(allowed: bool) -> None:
    """A permission predicate's answer for this caller: 401 for a visitor, 403 for a member
    whose role does not allow it (the services ask again when they act)."""
    if allowed:
        return
    if not is_signed_in(current_user):
        abort(
            problems.problem(
                401, _("Sign in, or send a token."), headers={"WWW-Authenticate": "Bearer"}
            )
        )
    abort(problems.problem(403, _("Your account’s role does not allow this.")))
