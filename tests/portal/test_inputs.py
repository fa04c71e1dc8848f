"""The input rules of portal/inputs.py and the PortalForm base, one by one (the route
walker in tests/hostile/ sends the same kinds of values to every route)."""

import io

import pytest
from flask import request
from flask_wtf import FlaskForm
from werkzeug.exceptions import BadRequest

from portal.forms import FILE_REFUSED, PortalForm
from portal.inputs import ID_MAX, clean_text, json_formdata, local_path, page_arg, parse_id
from portal.models import User
from tests.factories import make_thread, make_user


@pytest.mark.parametrize(
    "text, number",
    [
        ("0", 0),
        ("42", 42),
        ("007", 7),
        (str(ID_MAX), ID_MAX),
        (str(ID_MAX + 1), None),  # past PostgreSQL's INTEGER
        (str(2**63), None),  # past SQLite's
        ("9" * 5000, None),  # past int()'s digit limit
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1.5", None),
        ("²", None),  # str.isdigit() says yes, int() says no
        ("١٢", None),  # Arabic-Indic digits: int() reads them, an id has none
        ("", None),
        (None, None),
    ],
)
def test_parse_id_takes_ascii_digits_up_to_id_max(text, number):
    assert parse_id(text) == number


@pytest.mark.parametrize(
    "target, kept",
    [
        ("/settings", True),
        ("/kb/wifi?tab=2#steps", True),
        ("/kb/caf%C3%A9", True),
        ("//evil.example/", False),
        ("https://evil.example/", False),
        ("javascript:alert(1)", False),
        ("\\\\evil.example", False),
        ("/\\evil.example", False),
        ("/\t/evil.example", False),  # browsers drop the tab: "//evil.example"
        ("/\r\nSet-Cookie: a=b", False),
        ("/\x00", False),
        ("/a b", False),
        ("", False),
        (None, False),
    ],
)
def test_local_path_keeps_only_paths_on_this_site(target, kept):
    assert local_path(target) == (target if kept else None)


def test_clean_text_drops_controls_and_lone_surrogates_only():
    assert clean_text("a\x00b\x1b[1m\x7fc\ud800") == "ab[1mc"
    assert clean_text("tab\there\r\nline é ✓") == "tab\there\r\nline é ✓"


def test_query_arguments_and_form_fields_arrive_cleaned(app):
    with app.test_request_context("/?q=a%00b%1Bc&page=2", method="POST", data={"t": "x\x00y"}):
        assert request.args["q"] == "abc" and request.form["t"] == "xy"
        assert page_arg() == 2
    for page in ["0", "-3", str(10**30), "²", "abc", ""]:
        with app.test_request_context(f"/?page={page}"):
            assert page_arg() == 1


def test_json_objects_become_form_fields_and_anything_else_is_refused(app):
    body = {"title": "Hi\x00", "tags": ["wifi", 5], "ok": True, "no": False, "gone": None}
    with app.test_request_context("/", method="POST", json=body):
        fields = json_formdata()
    assert fields.getlist("tags") == ["wifi", "5"] and fields["title"] == "Hi"
    assert fields["ok"] == "true" and fields["no"] == "false" and "gone" not in fields
    for bad in [[], "x", 1, None, {"body": {"nested": 1}}, {"body": [[1]]}]:
        with app.test_request_context("/", method="POST", json=bad), pytest.raises(BadRequest):
            json_formdata()
    with (
        app.test_request_context("/", method="POST", data="{", content_type="application/json"),
        pytest.raises(BadRequest),
    ):
        json_formdata()


@pytest.mark.parametrize(
    "path",
    [
        f"/community/threads/{ID_MAX + 1}",
        f"/community/threads/{2**64}",
        "/community/threads/-1",
        "/community/threads/" + "9" * 5000,
        "/u/a%00b",
        "/kb/a%0D%0Ab",
        "/community/tags/%1B",
    ],
)
def test_ids_past_id_max_and_control_characters_match_no_route(client, path):
    assert client.get(path).status_code == 404


def test_a_host_no_url_can_be_built_for_gets_a_plain_400(client):
    response = client.get("/", headers={"Host": "a" * 64 + ".example"})
    assert response.status_code == 400 and response.mimetype == "text/plain"
    response = client.get(
        "/", headers={"Host": "a" * 64 + ".example", "Accept": "application/json"}
    )
    assert response.status_code == 400 and response.json["error"] == "Bad request"
    for host in ["a." * 130 + "example", "bad host", "ex\u00e4mple.com", "localhost:99999"]:
        assert client.get("/community/", headers={"Host": host}).status_code < 500, host


def test_every_form_is_a_portal_form(app):
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = [
        form
        for form in subclasses(FlaskForm)
        if form.__module__.split(".")[0] in {"portal", "community", "kb", "search", "moderation"}
    ]
    assert len(ours) > 30
    assert [form.__qualname__ for form in ours if not issubclass(form, PortalForm)] == []


@pytest.fixture
def reply_url(client, auth, db):
    """The reply form of a thread, signed in as a member who may reply."""
    thread = make_thread(db.session)
    make_user(db.session, "emma")
    db.session.commit()
    auth.login("emma")
    return f"/community/threads/{thread.id}/reply"


def test_a_file_sent_for_a_text_field_gets_the_form_back(client, reply_url):
    response = client.post(reply_url, data={"body": (io.BytesIO(b"Restart it."), "reply.txt")})
    assert response.status_code == 422 and FILE_REFUSED.encode() in response.data


def test_a_json_body_that_is_not_an_object_gets_a_400_that_says_so(client, reply_url):
    for body in ["[]", '"x"', "1", "null", "{"]:
        response = client.post(reply_url, data=body, content_type="application/json")
        assert response.status_code == 400 and "JSON object" in response.json["message"]
    response = client.post(reply_url, json={"body": "Restart the Hub\x00, then wait."})
    assert response.status_code == 302
    assert "Restart the Hub, then wait." in client.get(response.location).get_data(as_text=True)


def test_single_line_fields_keep_no_line_break(client, auth, db):
    make_user(db.session, "emma")
    db.session.commit()
    auth.login("emma")
    client.post("/settings/profile", data={"display_name": "Emma\r\nBcc: x@evil.example"})
    assert db.session.scalar(db.select(User.display_name)) == "Emma Bcc: x@evil.example"
