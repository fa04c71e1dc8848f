"""The input rules of portal/inputs.py, one by one (the route walker in tests/hostile/
sends the same kinds of values to every route)."""

import pytest
from flask import request

from portal.inputs import ID_MAX, clean_text, page_arg, parse_id


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
