"""Hostile input on every route of the URL map, as every role: no answer is a 5xx.

For each role (visitor to admin), each rule and each of its methods the walk sends:

- a baseline request with real ids in the path; it records which query arguments and form
  fields the handler reads (a recorder wraps ``request.args`` and ``request.form``);
- each path argument replaced by integers past PostgreSQL's INTEGER (2**31), past SQLite's
  (2**63, 2**64, 10**30), a negative one, control characters and long strings;
- hostile values (past 32 and 64 bits, "²", control characters, 100 KB) in every query
  argument and every form field read at once, every field sent as a file, JSON bodies
  that are not objects ([], "x", 1, null, invalid), an over-long Host label;
- and, the first time any role reaches the route, each argument and each field alone
  with the full lists (also -1, "abc", odd ``next=`` targets, format strings), the other
  fields valid so the value reaches the service; every name some view reads at once (for
  arguments read only in some cases); JSON objects whose values are not text.

It fails, naming the route, method, role and value, when an answer is a 5xx, an exception
escapes (TESTING propagates them) or a background job failed (a failed e-mail job is a
notification silently lost). One seeded database serves the whole module (``walk_state``);
each role has its own world in it (tests/hostile/world.py). About 9,000 requests.
"""

import io
import json
from typing import NamedTuple

import pytest
from flask import request, request_started

from portal import create_app
from portal.extensions import db
from tests.conftest import empty_tables
from tests.hostile.walker import (
    Shared,
    Walk,
    build_url,
    describe,
    failed_jobs,
    path_names,
    recording,
)
from tests.hostile.world import (
    DESTRUCTIVE_WORDS,
    ROLES,
    path_values,
    seed_world,
    valid_args,
    valid_form,
)

pytestmark = pytest.mark.hostile

# 2**31: past PostgreSQL's INTEGER; 2**63: past SQLite's; then further, and negative.
BIG_INTEGERS = [str(2**31), str(2**63), str(2**64), "-1", str(10**30)]
CONTROLS = "a\x00b\r\nc\x1b[31md"
LONG = "x" * 100_000
FORMAT = "{customer_name!z} {0} {case_id:%} %s %(x)s {{"
# "²" passes str.isdigit() but not int(); "abc" is the wrong type for an id.
QUERY_VALUES = [*BIG_INTEGERS, "abc", "²", CONTROLS, LONG]
FORM_VALUES = [str(2**31), str(2**63), "-1", "abc", "²", CONTROLS, LONG, FORMAT]
# What every role sends in every name at once; the first role sends the lists above too.
EVERY_NAME_VALUES = [str(2**31), str(2**63), "²", CONTROLS, LONG]
NEXT_VALUES = [
    "//evil.example/",
    "https://evil.example/",
    "/\r\nX-Injected: 1",
    "/\t/evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "/\x00",
]
# Every query argument some view reads, sent all at once to catch those read conditionally.
KNOWN_ARGS = [
    *("page", "per_page", "q", "next", "filter", "sort", "tag", "kind", "solved", "log"),
    *("macro", "article", "queue", "rule", "role", "from", "to", "days", "since", "until"),
    *("action", "actor", "via"),
]
PATH_INTEGERS = [*BIG_INTEGERS, "%C2%B2", "9" * 5000]
PATH_STRINGS = ["%00", "a%0D%0Ab", "%1B%5B31m", "x" * 5000]
JSON_BODIES = ["[]", '"x"', "1", "null", "{"]
JSON_VALUES = [{"nested": 1}, [1, "two"], None, 2**64, "\ud800"]
LONG_HOST = "a" * 64 + ".example"  # a label over 63 characters


def collection_rules() -> list[tuple[str, str, str]]:
    """(role, method, rule) for every rule of a throwaway app, destructive routes last."""
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "collect", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    rules = sorted(
        app.url_map.iter_rules(),
        key=lambda r: (any(w in r.endpoint for w in DESTRUCTIVE_WORDS), r.rule),
    )
    return [
        (role, method, rule.rule)
        for role in ROLES
        for rule in rules
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]


@pytest.fixture(autouse=True)
def _empty_tables():
    """Overrides tests/conftest.py's: the walk shares one database, emptied by walk_state."""
    yield


@pytest.fixture(scope="module")
def walk_state(app):
    """Every role's world seeded once, a signed-in client per role, the read recorder on."""
    walks = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(app.config, "CASES_CONTACT_RATE_LIMIT", 0)
        patch.setitem(app.config, "LOGIN_MAX_FAILURES", 10**6)
        with app.app_context():
            for role in ROLES:
                walks[role] = Walk(app, seed_world(db.session, role))
            db.session.commit()
        for walk in walks.values():
            walk.sign_in()
        shared = Shared()

        def record_reads(sender, **extra):
            walk = shared.recording
            if walk is not None:
                request.args = recording(request.args, walk.args_read)
                request.form = recording(request.form, walk.form_read)

        request_started.connect(record_reads, app)
        try:
            yield walks, shared
        finally:
            request_started.disconnect(record_reads, app)
            sent = sum(walk.sent for walk in walks.values())
            print(f"\nroute walker: {sent} requests")
            empty_tables(app)


class Target(NamedTuple):
    method: str
    url: str
    endpoint: str
    probe: dict  # the body of a baseline request


def walk_route(walk: Walk, shared: Shared, method: str, rule: str, endpoint: str) -> None:
    """Everything the module's docstring lists, for one role, rule and method."""
    values = path_values(endpoint, walk.world)
    url = build_url(rule, values)
    probe = {"data": {"_probe": "1"}} if method != "GET" else {}

    walk.args_read, walk.form_read = set(), set()
    shared.recording = walk
    try:
        baseline = walk.send(method, url, "baseline", **probe)
    finally:
        shared.recording = None
    args_read, form_read = set(walk.args_read), set(walk.form_read) - {"_probe"}
    reached = args_read or form_read or (baseline is not None and baseline.status_code == 200)

    for name, converter in path_names(rule):
        if converter == "any":
            continue  # only its listed words match
        for value in PATH_INTEGERS if converter == "int" else PATH_STRINGS:
            target = build_url(rule, values, {name: value})
            walk.send(method, target, f"path {name}={describe(value)}", **probe)
    request_to = Target(method, url, endpoint, probe)
    if reached:
        alone = shared.first_time(method, rule, "?", args_read)
        every_name = shared.first_time(method, rule, "every name", {""}) == [""]
        walk_query(walk, request_to, args_read, alone, every_name)
    if form_read:
        alone = shared.first_time(method, rule, "form", form_read)
        json_fields = shared.first_time(method, rule, "JSON fields", {""}) == [""]
        walk_form(walk, request_to, form_read, alone, json_fields)

    cookie = walk.client.get_cookie("session")
    headers = {"Cookie": f"session={cookie.value}"} if cookie else {}
    what = f"Host: {describe(LONG_HOST)}"
    walk.send(method, url, what, headers={**headers, "Host": LONG_HOST}, **probe)

    if endpoint.startswith("auth."):  # signed out, or in as someone new: start again
        walk.sign_in()


def walk_query(walk: Walk, target: Target, args_read: set, alone: list, every_name: bool) -> None:
    """Each hostile value in every argument read at once; then, the first time a role
    reaches the route, two in every name some view reads and each argument alone."""
    method, url, endpoint, probe = target
    if args_read:
        query = {name: valid_args(endpoint, walk.world).get(name, "1") for name in args_read}
        walk.send(method, url, f"valid arguments {query}", query_string=query, **probe)
        for value in EVERY_NAME_VALUES + (NEXT_VALUES if "next" in args_read else []):
            query = dict.fromkeys(args_read, value)
            walk.send(method, url, f"every argument={describe(value)}", query_string=query, **probe)
    for value in [str(2**64), CONTROLS] if every_name else []:  # arguments read in some cases
        query = dict.fromkeys(KNOWN_ARGS, value)
        walk.send(method, url, f"every known name={describe(value)}", query_string=query, **probe)
    for name in alone:
        for value in QUERY_VALUES + (NEXT_VALUES if name == "next" else []):
            query = {name: value}
            walk.send(method, url, f"?{name}={describe(value)}", query_string=query, **probe)


def walk_form(walk: Walk, target: Target, form_read: set, alone: list, json_fields: bool) -> None:
    """Each hostile value in every field at once, files for fields, JSON bodies that are
    not objects; the first time a role reaches the form, each field alone with the others
    valid and JSON objects holding values that are not text."""
    method, url, endpoint, _ = target
    valid = valid_form(endpoint, walk.world)
    base = {name: valid.get(name, "ok") for name in form_read}
    for value in EVERY_NAME_VALUES:
        every = dict.fromkeys(form_read, value)
        walk.send(method, url, f"every field={describe(value)}", data=every)
    files = {name: (io.BytesIO(b"not a text field"), "note.txt") for name in form_read}
    walk.send(method, url, "every field sent as a file", data=files)
    for name in alone:
        for value in FORM_VALUES:
            walk.send(method, url, f"{name}={describe(value)}", data={**base, name: value})
        upload = (io.BytesIO(b"not a text field"), "note.txt")
        walk.send(method, url, f"{name} sent as a file", data={**base, name: upload})
    json_type = {"content_type": "application/json"}
    for body in JSON_BODIES:
        walk.send(method, url, f"JSON body {body}", data=body, **json_type)
    for value in JSON_VALUES if json_fields else []:
        body = json.dumps({**base, **dict.fromkeys(form_read, value)})
        walk.send(method, url, f"JSON fields={describe(value)}", data=body, **json_type)


@pytest.mark.parametrize(("role", "method", "rule"), collection_rules())
def test_no_hostile_request_gets_a_5xx(walk_state, app, role, method, rule):
    walks, shared = walk_state
    walk = walks[role]
    endpoint = next(r.endpoint for r in app.url_map.iter_rules() if r.rule == rule)
    walk.failures = []
    walk_route(walk, shared, method, rule, endpoint)
    failures = walk.failures + failed_jobs(app)
    assert not failures, "\n".join(failures)
