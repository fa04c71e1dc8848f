"""What every operation shares: problem+json errors, cursor pagination, ETags."""

import pytest

from portal.extensions import db
from tests.factories import make_thread

PROBLEM = "application/problem+json"


def assert_problem(answer, status: int) -> dict:
    assert answer.status_code == status, answer.get_data(as_text=True)
    assert answer.mimetype == PROBLEM
    body = answer.get_json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    return body


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("get", "/api/v1/nothing-here", {}, 404),
        ("get", "/api/v1/threads/999999", {}, 404),
        ("get", "/api/v1/articles/no-such-article", {}, 404),
        ("delete", "/api/v1/tags", {}, 405),
        ("post", "/api/v1/tags", {"data": "{not json", "content_type": "application/json"}, 400),
        ("post", "/api/v1/tags", {"json": []}, 422),
        ("post", "/api/v1/tags", {"json": {"name": "x" * 100}}, 422),
        ("post", "/api/v1/tags", {"json": {"name": "Fine", "colour": "red"}}, 422),
        ("get", "/api/v1/threads?limit=1000", {}, 422),
        ("get", "/api/v1/threads?cursor=forged", {}, 400),
    ],
)
def test_errors_are_problems(api, method, path, kwargs, status):
    body = assert_problem(api(method, path, "agent", **kwargs), status)
    if status == 422:
        assert body["errors"] and body["type"].endswith("#problem-validation-error")


def test_401_403_409_are_problems(api, world):
    assert_problem(api("get", "/api/v1/users"), 401)
    assert_problem(api("get", "/api/v1/users", "customer"), 403)
    api("post", "/api/v1/tags", "agent", json={"name": "Billing"})
    assert_problem(api("post", "/api/v1/tags", "agent", json={"name": "Billing"}), 409)


def test_405_names_the_allowed_methods(api):
    answer = api("patch", "/api/v1/me", "agent")
    assert_problem(answer, 405)
    assert "GET" in answer.headers["Allow"]


def test_control_characters_in_a_body_are_dropped(api, world):
    made = api(
        "post", "/api/v1/tags", "agent", json={"name": "Bill\x00ing\x1b", "description": "\ud800"}
    )
    assert made.status_code == 201 and made.get_json()["name"] == "Billing"


def test_cursor_pagination_walks_the_list_once(api, world):
    for number in range(4):
        make_thread(db.session, world.users["customer"], title=f"Paged question number {number}")
    db.session.commit()
    seen, url = [], "/api/v1/threads?limit=2"
    while url:
        answer = api("get", url.removeprefix("http://127.0.0.1:5000"))
        page = answer.get_json()
        assert len(page["items"]) <= 2
        seen += [item["id"] for item in page["items"]]
        url = page["next"]
        if url:
            assert answer.headers["Link"] == f'<{url}>; rel="next"'
            assert url.startswith("http://127.0.0.1:5000/api/v1/threads?")  # from SITE_URL
    assert len(seen) == 5 and seen == sorted(seen, reverse=True)


def test_a_cursor_of_another_list_is_refused(api, world):
    for number in range(3):
        make_thread(db.session, world.users["customer"], title=f"Paged question number {number}")
    db.session.commit()
    cursor = api("get", "/api/v1/threads?limit=1").get_json()["next"].split("cursor=")[1]
    assert_problem(api("get", f"/api/v1/users?cursor={cursor}", "admin"), 400)


def test_reads_carry_an_etag_and_answer_304_when_unchanged(api, world):
    first = api("get", f"/api/v1/threads/{world.ids['thread']}")
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag
    again = api("get", f"/api/v1/threads/{world.ids['thread']}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    api("post", f"/api/v1/threads/{world.ids['thread']}/posts", "agent", json={"body": "New info"})
    changed = api("get", f"/api/v1/threads/{world.ids['thread']}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    # What one reader sees is not cached for another.
    assert (
        "Authorization" in changed.headers["Vary"] and "private" in changed.headers["Cache-Control"]
    )


def test_the_document_and_reference_page(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/cases/{case_id}/solve" in document["paths"]
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "POST /api/v1/cases/{case_id}/solve" in text
    assert "https://" not in text.split("<main", 1)[1]  # nothing loaded from elsewhere


def test_an_unexpected_failure_is_a_problem_without_a_trace(api, world, app, monkeypatch):
    """In production (exceptions not propagated) a bug answers a 500 problem, logged."""
    from search import service as search_service

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(search_service, "all_tags", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setattr(app, "testing", False)
    answer = api("get", "/api/v1/tags", "agent")
    body = assert_problem(answer, 500)
    assert "secret internals" not in answer.get_data(as_text=True)
    assert body["type"] == "about:blank"
