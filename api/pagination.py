"""Cursor pagination: a list answers ``{"items": [...], "next": url-or-null}`` and a
``Link: <…>; rel="next"`` header. The cursor is opaque to callers: the position (the last
id seen, or a page of ranked results) signed with the site's secret key, so it cannot be
forged or edited into a query of something else, and a list that grows while it is read
neither repeats nor skips items (it pages by id, not by offset).
"""

from flask import abort, current_app, g, request
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Select

from api import problems
from portal.extensions import db
from portal.urls import external_url

LIMIT_MAX = 100


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="api-cursor")


def encode(position: dict) -> str:
    return _serializer().dumps(position)


def decode(cursor: str | None, kind: str) -> dict | None:
    """The position a cursor holds (None: the first page); 400 for a forged or foreign one."""
    if not cursor:
        return None
    try:
        position = _serializer().loads(cursor)
    except (BadSignature, UnicodeError, ValueError):
        position = None
    if not isinstance(position, dict) or position.get("kind") != kind:
        abort(problems.problem(400, _("The cursor is not valid here."), kind="cursor"))
    return position


def limit_of(args: dict) -> int:
    return args.get("limit") or int(current_app.config["API_PAGE_SIZE"])


def next_link(cursor: str) -> str:
    """This list's address (from SITE_URL) with the same query and the next cursor."""
    values = {**(request.view_args or {}), **request.args.to_dict(), "cursor": cursor}
    return external_url(request.endpoint, **values)


def keyset_page(statement: Select, column, args: dict, kind: str) -> dict:
    """One page of ``statement`` newest first by ``column`` (an integer id)."""
    position = decode(args.get("cursor"), kind)
    limit = limit_of(args)
    if position is not None:
        statement = statement.where(column < int(position.get("after", 0)))
    rows = list(db.session.scalars(statement.order_by(column.desc()).limit(limit + 1)))
    items, more = rows[:limit], len(rows) > limit
    cursor = encode({"kind": kind, "after": getattr(items[-1], column.key)}) if more else None
    return page(items, cursor)


def page(items: list, cursor: str | None) -> dict:
    """The list's answer; the next link also goes out as a Link header (api.add_headers)."""
    link = next_link(cursor) if cursor else None
    g.api_next_link = link
    return {"items": items, "next": link}
