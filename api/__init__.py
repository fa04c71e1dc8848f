"""The public REST API under /api/v1, its tokens and webhooks (issue #18).

It stands above every other package (docs/architecture.md): its operations parse, ask the
same permission predicates (portal/permissions.py) and call the same services as the web
views, so no rule is written twice. flask-smorest makes the OpenAPI document
(/api/v1/openapi.json) from the views and marshmallow schemas; /api/v1/docs renders it.

* auth.py — bearer tokens (tokens.py), the session for same-site JavaScript with its
  CSRF header, scopes per operation, rate limits per token (portal/ratelimits.py).
* problems.py — every error under /api/v1 as RFC 9457 problem+json.
* pagination.py — signed cursors; ETags on reads are added here (add_read_headers).
* webhooks.py, delivery.py, subscribers.py — endpoints, signed deliveries by the job
  queue with retries, pausing, replays.

Events: subscribes to ``community.thread_created``, ``community.thread_solved``,
``cases.case_opened``, ``cases.case_assigned``, ``cases.case_solved``,
``kb.article_published`` and ``moderation.post_held`` (a webhook delivery for each
endpoint that chose the event, recorded in the event's transaction); to ``user.deleting``
(the account's tokens are revoked) and ``user.data_collecting`` (its tokens, without
secrets). Publishes none.

Pages: /settings/tokens (included in the settings page), /admin/api-tokens,
/admin/webhooks (linked from the admin's users page).
"""

from pathlib import Path

from flask import Flask, g, request

from api import auth, privacy, problems, spec, subscribers, views
from api.v1 import community, content, desk, people
from portal import events
from portal.extensions import csrf
from portal.i18n import add_catalog


def init_app(app: Flask) -> None:
    """The Api and its operations, the error and header hooks, the pages, the subscribers."""
    add_catalog(app, Path(__file__).parent / "translations")
    api = spec.make_api(app)
    app.extensions["portal.api"] = api
    modules = (content, community, desk, people)
    problems.install(app)
    for module in modules:
        api.register_blueprint(module.blp)
        # Token requests need no CSRF token; session requests are checked in auth.py.
        csrf.exempt(module.blp)
    spec.finish_document(api)
    app.before_request(_authenticate)
    app.after_request(add_read_headers)
    app.teardown_request(_forget_token_user)
    app.register_blueprint(views.bp)
    subscribers.subscribe_all()
    events.subscribe("user.deleting", privacy.revoke_tokens)
    events.subscribe("user.data_collecting", privacy.collect_tokens)


def _authenticate():
    if problems.is_api_request():
        return auth.authenticate()
    return None


def _forget_token_user(error=None) -> None:
    """A token's account is the current user of its request only (g can outlive a request
    when an app context was pushed around it, as in tests and CLI scripts)."""
    if g.pop("api_token", None) is not None:
        g.pop("_login_user", None)


def add_read_headers(response):
    """ETag on every successful read (If-None-Match → 304), the next page's Link, and no
    shared caching: what a reader gets depends on who asks."""
    if not problems.is_api_request():
        return response
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.update(("Authorization", "Cookie"))
    link = g.pop("api_next_link", None)
    if link:
        response.headers["Link"] = f'<{link}>; rel="next"'
    if request.method in ("GET", "HEAD") and response.status_code == 200:
        response.add_etag(overwrite=False)
        response.make_conditional(request)
    return response
