"""Errors as RFC 9457 problem details (``application/problem+json``), for every error under
/api/v1: the framework's own (routing, body parsing, validation), the portal's domain
errors (portal/errors.py) and anything unexpected (a 500, logged, never a stack trace).

A problem is ``{"type", "title", "status", "detail"}``; validation problems add
``errors`` (field → messages). ``type`` is ``about:blank`` (the title is the HTTP status)
except for the portal's own kinds, listed in docs/api.md.
"""

import logging

from flask import Response, current_app, json, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from portal.errors import DomainError, TooManyAttempts, ValidationFailed
from portal.extensions import db

log = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"
PREFIX = "/api/v1"
# The portal's own kinds of problem; their descriptions are in docs/api.md.
TYPES = {
    "validation": "validation-error",
    "scope": "insufficient-scope",
    "token": "invalid-token",
    "csrf": "csrf-token-missing",
    "rate": "rate-limited",
    "cursor": "invalid-cursor",
}


def problem_type(kind: str) -> str:
    return f"{current_app.config['SITE_URL'].rstrip('/')}/api/v1/docs#problem-{TYPES[kind]}"


def problem(
    status: int,
    detail: str = "",
    *,
    kind: str | None = None,
    errors: dict | None = None,
    headers: dict | None = None,
) -> Response:
    """A problem+json response."""
    body = {
        "type": problem_type(kind) if kind else "about:blank",
        "title": HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail or HTTP_STATUS_CODES.get(status, "Error"),
    }
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_domain_error(error: DomainError) -> Response:
    """A service said no: its message, the status its class gives (validation → 422)."""
    db.session.rollback()  # the refused action's flushed half must not reach a commit
    if isinstance(error, ValidationFailed):
        return problem(
            422,
            error.message,
            kind="validation",
            errors={error.field or "_schema": [error.message]},
        )
    headers = {}
    if isinstance(error, TooManyAttempts) and error.retry_after:
        headers["Retry-After"] = str(error.retry_after)
    return problem(error.status_code, error.message, headers=headers)


def _flatten(messages) -> dict:
    """webargs' {location: {field: [msg]}} → {field: [msg]}."""
    if not isinstance(messages, dict):
        return {"_schema": [str(messages)]}
    flat = {}
    for key, value in messages.items():
        if key in ("json", "query", "path", "headers", "form", "files") and isinstance(value, dict):
            flat.update(_flatten_field(value))
        else:
            flat.update(_flatten_field({key: value}))
    return flat


def _flatten_field(values: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten_field(value, f"{name}."))
        elif isinstance(value, list):
            flat[name] = [str(item) for item in value]
        else:
            flat[name] = [str(value)]
    return flat


def from_http_exception(error: HTTPException) -> Response:
    """The framework's errors: aborts, routing, webargs' 400/422, 500s."""
    if error.code == 500:
        db.session.rollback()
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if error.code == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    if "messages" in data or "errors" in data:
        errors = _flatten(data.get("errors") or data.get("messages"))
        detail = data.get("message") or _("The request’s parameters or body are not valid.")
        code = error.code or 422
        return problem(code, detail, kind="validation" if code == 422 else None,
                       errors=errors, headers=headers)  # fmt: skip
    custom = error.description if error.description != type(error).description else ""
    detail = data.get("message") or custom
    return problem(error.code or 500, detail, headers=headers)


def is_api_request() -> bool:
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def respond(error: HTTPException) -> Response | None:
    """The portal's error hook (portal.ERROR_RESPONDERS): a problem under /api/v1, else
    None (the portal's own page)."""
    return from_http_exception(error) if is_api_request() else None


def install(app) -> None:
    """The framework's errors under /api/v1 as problems, through the portal's hook (the
    services' DomainErrors: each API blueprint's handler, api/v1/__init__.py)."""
    app.extensions.setdefault("portal.error_responders", []).append(respond)
