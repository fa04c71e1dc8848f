"""What the portal accepts from a client, one rule each (issue #13: hostile input).

- **Ids and counters** are whole numbers in ASCII digits from 0 to ``ID_MAX``: our ids and
  counters are INTEGER columns, 32 bits on PostgreSQL (SQLite's 64 bits are wider), and a
  larger number makes the database raise instead of answering "no such row". In a path
  (the ``int`` converter) anything else matches no route: 404. In a query argument
  (``id_arg``) or a form (``parse_id``) it is no id at all.
- **Page numbers** (``page_arg``) are 1 to ``ID_MAX``; anything else is page 1.
- **Text** never carries control characters other than tab, line feed and carriage return,
  nor lone surrogates (which no encoder can write): they are removed from query arguments
  and form fields as the request is read (``PortalRequest``), and a path segment holding
  one matches no route (404). PostgreSQL refuses NUL in text, and nobody types an escape.
- **JSON bodies** are objects (``json_object``), else a 400 that says so.
- **Redirect targets** taken from a request (``next=``) are local paths without control
  characters or white space (``local_path``), else ignored.
"""

import re
from urllib.parse import urlsplit

from flask import Flask, Request, abort, request
from flask_babel import gettext
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter, UnicodeConverter
from werkzeug.utils import cached_property

from portal.extensions import db
from portal.i18n import N_

ID_MAX = 2**31 - 1
# C0 controls but tab, LF and CR; DEL; lone surrogates (JSON can carry them).
_UNWANTED = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff"
UNWANTED_CHARACTERS = re.compile(f"[{_UNWANTED}]")
JSON_OBJECT_NEEDED = N_('Send a JSON object of field names and values, like {"body": "…"}.')


def clean_text(text: str) -> str:
    """The text without the characters the portal never keeps (see the module's docstring)."""
    return UNWANTED_CHARACTERS.sub("", text)


def parse_id(text) -> int | None:
    """The number written in ``text`` if it is 0–ID_MAX in ASCII digits, else None."""
    if not isinstance(text, str) or not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    number = int(text)
    return number if number <= ID_MAX else None


def id_arg(name: str) -> int | None:
    """An id from the query string (``?log=12``); None when absent or not an id."""
    return parse_id(request.args.get(name))


def page_arg() -> int:
    """The ``page`` query argument for pagination: 1 unless it is a page number."""
    return parse_id(request.args.get("page")) or 1


def paginate(statement, per_page: int, total: int | None = None):
    """The page of the statement's rows that ``?page=`` asks for (page_arg); past the
    last page, an empty one. ``total``: the number of rows when the caller knows it (a
    stored count), so the statement is not counted again."""
    page = db.paginate(
        statement, page=page_arg(), per_page=per_page, error_out=False, count=total is None
    )
    if total is not None:
        page.total = total
    return page


def json_object() -> dict:
    """The request's JSON body, which must be an object; otherwise a 400 saying so."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400, description=gettext(JSON_OBJECT_NEEDED))
    return body


def json_formdata() -> ImmutableMultiDict:
    """A JSON object read as form fields: text as is, numbers and booleans as text, lists as
    repeated fields, null as absent. Anything nested is refused (400)."""
    pairs = []
    for name, value in json_object().items():
        for item in value if isinstance(value, list) else [value]:
            if item is None:
                continue
            if isinstance(item, bool):
                item = "true" if item else "false"  # what BooleanField reads
            elif isinstance(item, int | float):
                item = str(item)
            elif not isinstance(item, str):
                message = gettext(
                    "“%(name)s” must be text, a number or a list.", name=clean_text(name)
                )
                abort(400, description=message)
            pairs.append((clean_text(name), clean_text(item)))
    return ImmutableMultiDict(pairs)


def local_path(target: str | None) -> str | None:
    """``target`` if it is a path on this site ("/kb/wifi?x=1"), else None.

    Browsers drop tabs and line breaks inside a URL ("/\\t/evil.example" is
    "//evil.example") and a header cannot carry them, so any control character or
    white space disqualifies it, as do a scheme, a host and backslashes.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(c.isspace() or not c.isprintable() for c in target):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


def _cleaned(data: MultiDict) -> ImmutableMultiDict:
    return ImmutableMultiDict(
        (clean_text(key), clean_text(value)) for key, value in data.items(multi=True)
    )


class PortalRequest(Request):
    """Flask's request, with query arguments and form fields cleaned as they are read."""

    @cached_property
    def args(self) -> ImmutableMultiDict:
        return _cleaned(Request.args.fget(self))

    def _load_form_data(self) -> None:
        if "form" in self.__dict__:
            return
        super()._load_form_data()
        self.__dict__["form"] = _cleaned(self.__dict__["form"])


class IdConverter(IntegerConverter):
    """``<int:…>`` in every route: 1 to 10 ASCII digits up to ID_MAX, else no match (404)."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits=0, min=None, max=ID_MAX, signed=False):
        super().__init__(map, fixed_digits, min, max, signed=False)


class TextConverter(UnicodeConverter):
    """``<name>`` in every route: a segment without control characters, else no match."""

    def __init__(self, map, minlength=1, maxlength=None, length=None):
        super().__init__(map, minlength, maxlength, length)
        self.regex = self.regex.replace("[^/]", f"[^/{_UNWANTED}]")


def init_app(app: Flask) -> None:
    """Read requests with PortalRequest and route with the converters above.

    Called before any blueprint registers its routes: a rule takes its converters from the
    map when it is added.
    """
    app.request_class = PortalRequest
    app.url_map.converters.update(int=IdConverter, default=TextConverter, string=TextConverter)
