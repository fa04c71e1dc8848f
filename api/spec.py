"""The flask-smorest Api behind /api/v1 and what its OpenAPI document says beyond the
views: problems as the default response, 304 on reads, the bearer scheme, the scopes."""

import http

from flask import Flask
from flask_smorest import Api

from api.problems import MEDIA_TYPE
from api.schemas import Problem

SETTINGS = {
    "API_TITLE": "Care Portal API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
}
DESCRIPTION = (
    "The portal's knowledge base, community, search, agent desk and dashboard. "
    "Authenticate with `Authorization: Bearer <token>` (a personal token from your settings, "
    "or a service token from an admin) or, from the portal's own pages, with the session "
    "cookie and the `X-CSRFToken` header. Errors are RFC 9457 problems; lists page with an "
    "opaque cursor (`next`); reads carry an ETag. See docs/api.md."
)


class PortalApi(Api):
    """flask-smorest's Api, with errors left to api/problems.py (under /api/v1 only: its
    own handler would answer the portal's HTML pages with JSON)."""

    ERROR_SCHEMA = Problem

    def _register_error_handlers(self):
        pass

    def _register_responses(self):
        # flask-smorest refers to a response per status (422 for invalid arguments) and to
        # a default one: all are problems here.
        problem = {"content": {MEDIA_TYPE: {"schema": Problem}}}
        for status in http.HTTPStatus:
            if status >= 400:
                self.spec.components.response(
                    status.name, {"description": status.phrase, **problem}, lazy=True
                )
        self.spec.components.response(
            "DEFAULT_ERROR", {"description": "A problem (RFC 9457)", **problem}, lazy=True
        )


def make_api(app: Flask) -> PortalApi:
    for key, value in SETTINGS.items():
        app.config.setdefault(key, value)
    api = PortalApi(
        app,
        spec_kwargs={
            "info": {"description": DESCRIPTION},
            "servers": [{"url": "/"}],
        },
    )
    api.spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "A cpt_… token"}
    )
    api.spec.components.security_scheme(
        "session", {"type": "apiKey", "in": "cookie", "name": "session"}
    )
    return api


def finish_document(api: PortalApi) -> None:
    """Once every view is registered: each operation's scope and security, 304 and
    If-None-Match on reads."""
    for operations in api.spec._paths.values():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            scope = operation.pop("x-scope", "read")
            operation["security"] = [{}, {"bearer": []}, {"session": []}]
            note = f"Scope: `{scope}`."
            operation["description"] = f"{operation.get('description', '')}\n\n{note}".strip()
            if method == "get":
                operation.setdefault("parameters", []).append(
                    {
                        "name": "If-None-Match",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string"},
                        "description": "An ETag from an earlier answer: 304 if unchanged",
                    }
                )
                operation["responses"]["304"] = {"description": "Not modified"}
