"""The search pages over HTTP: empty state, bad input, filters, JSON suggestions, tracking."""

import html
import re

import pytest
from sqlalchemy import select

from search.models import DeflectionEvent, SearchQuery
from tests.factories import make_user


def steps(db):
    return [(e.step, e.doc_key, e.holdout) for e in db.session.scalars(select(DeflectionEvent))]


@pytest.fixture
def router_content(search_app, content):
    articles, threads = content
    articles.add(1, "Resetting your router", "Hold the reset button for ten seconds.")
    articles.add(2, "Router draft", "Secret router plans.", public=False)
    threads.add(3, "Router keeps rebooting", "Every night the router reboots.", solved=True)
    return content


def test_empty_query_shows_the_empty_state(client, search_app):
    page = client.get("/search")
    assert page.status_code == 200 and b"What do you need help with?" in page.data


@pytest.mark.parametrize("query", ['"', "title:(router", "AND(", "*", "x" * 5000, "%00"])
def test_weird_queries_render(client, router_content, query):
    assert client.get("/search", query_string={"q": query}).status_code == 200


def test_results_show_kind_solved_and_marks_and_hide_drafts(client, router_content):
    page = client.get("/search?q=router").get_data(as_text=True)
    assert "Resetting your router" in page and "Router keeps rebooting" in page
    assert "Router draft" not in page
    assert "✓ Solved" in page and "<mark" in page and "Question" in page


def test_unknown_filters_are_ignored_with_a_note(client, router_content):
    page = client.get("/search?q=router&kind=video&solved=perhaps").get_data(as_text=True)
    assert "Unknown type “video” ignored" in page and "Resetting your router" in page


def test_every_search_is_logged_and_the_click_recorded(client, db, router_content):
    page = client.get("/search?q=Router ").get_data(as_text=True)
    client.get("/search?q=zebra")
    logged = db.session.scalars(select(SearchQuery).order_by(SearchQuery.id)).all()
    assert [(q.text, q.results_count > 0) for q in logged] == [("router", True), ("zebra", False)]
    link = re.search(r'href="(/search/open/article:1\?[^"]*)"', page).group(1)
    opened = client.get(html.unescape(link))
    assert opened.status_code == 302 and opened.location.endswith("/article/1")
    db.session.expire_all()
    assert db.session.get(SearchQuery, logged[0].id).clicked_key == "article:1"


def test_suggestions_json_and_shown_event(client, db, router_content):
    data = client.get("/search/suggest?q=my router restarts").get_json()
    assert data["holdout"] is False and 1 <= len(data["suggestions"]) <= 5
    assert {s["title"] for s in data["suggestions"]} >= {"Router keeps rebooting"}
    assert all(s["url"].startswith("/search/open/") for s in data["suggestions"])
    client.get("/search/suggest?q=my router restarts")  # the same set again: no new record
    assert steps(db) == [("shown", None, False)]
    assert client.get("/search/suggest?q=my").get_json()["suggestions"] == []


def test_holdout_sessions_get_no_suggestions(client, db, search_app, router_content):
    search_app.config["SEARCH_HOLDOUT_PERCENT"] = 100
    try:
        data = client.get("/search/suggest?q=router restarts").get_json()
    finally:
        search_app.config["SEARCH_HOLDOUT_PERCENT"] = 0
    assert data == {"holdout": True, "notices": [], "status": "", "suggestions": [], "note": ""}
    assert steps(db) == [("withheld", None, True)]


def test_open_and_solved_record_the_flow(client, db, router_content):
    client.get("/search/suggest?q=router restarts")
    assert client.get("/search/open/thread:3?via=suggestion").status_code == 302
    assert client.post("/search/solved", data={"key": "thread:3"}).status_code == 302
    assert steps(db) == [("shown", None, False), ("opened", "thread:3", False),
                         ("solved", "thread:3", False)]  # fmt: skip


def test_each_signal_counts_once_per_session(client, db, router_content):
    client.get("/search/suggest?q=router restarts")
    for _ in range(5):
        client.get("/search/open/thread:3?via=suggestion")
        client.post("/search/solved", data={"key": "thread:3"})
    assert steps(db) == [("shown", None, False), ("opened", "thread:3", False),
                         ("solved", "thread:3", False)]  # fmt: skip


def test_solved_counts_only_for_a_suggestion_opened_here(app, client, db, router_content):
    client.get("/search/suggest?q=router restarts")
    response = client.post("/search/solved", data={"key": "thread:3"})
    assert response.status_code == 302  # thanked all the same
    assert app.test_client().post("/search/solved", data={"key": "thread:3"}).status_code == 302
    assert steps(db) == [("shown", None, False)]


def scripted_flow(app, address="127.0.0.1", solved=True):
    """A browser with a fresh cookie: shown suggestions, opens one, says it solved it."""
    browser, where = app.test_client(), {"REMOTE_ADDR": address}
    browser.get("/search/suggest?q=router restarts", environ_base=where)
    if solved:
        browser.get("/search/open/thread:3?via=suggestion", environ_base=where)
        browser.post("/search/solved", data={"key": "thread:3"}, environ_base=where)


def test_a_script_starting_flow_after_flow_counts_only_the_address_limit(
    app, db, router_content, limits_on
):
    """Scripted anonymous flows moved the dashboard's deflection rate from 33 % to 91 %."""
    from datetime import timedelta

    from portal.database import utcnow
    from search.deflection import deflection_rate

    assert limits_on["DEFLECTION_FLOW_RATE_LIMIT"] == "6 per hour; 30 per day"
    for number, solved in enumerate([True, False, False]):  # three honest visitors
        scripted_flow(app, f"192.0.2.{number}", solved=solved)

    def rate():
        now = utcnow()
        return deflection_rate(db.session, now - timedelta(days=1), now + timedelta(hours=1), 24)

    assert (rate().flows, rate().rate) == (3, 1 / 3)
    for _ in range(20):  # 60 requests from one address, a new cookie for each flow
        scripted_flow(app)
    assert (rate().flows, rate().deflected) == (3 + 6, 1 + 6)
    # The suggestions themselves still come, only the signals go uncounted.
    late = app.test_client().get("/search/suggest?q=router restarts").get_json()
    assert late["suggestions"] and rate().flows == 9


def test_private_or_malformed_keys_are_404(client, router_content):
    for key in ("article:2", "article:99", "nonsense", "user:1"):
        assert client.get(f"/search/open/{key}?via=suggestion").status_code == 404
        assert client.post("/search/solved", data={"key": key}).status_code == 404


def test_admin_sees_the_model_notice(client, db, auth, search_app, router_content, monkeypatch):
    from search import vectors
    from search.vectors import ModelUnavailable

    def broken(name=None, encoder_dir=None):
        raise ModelUnavailable("no model here")

    monkeypatch.setattr(vectors, "get_model", broken)
    make_user(db.session, "boss", role="admin")
    db.session.commit()
    assert "no model here" not in client.get("/search?q=router").get_data(as_text=True)
    auth.login("boss")
    assert "no model here" in client.get("/search?q=router").get_data(as_text=True)


def test_content_gaps_page(client, db, auth, search_app, router_content):
    client.get("/search?q=zebra crossing")
    make_user(db.session, "agent", role="agent")
    db.session.commit()
    auth.login("agent")
    page = client.get("/search/gaps").get_data(as_text=True)
    assert "zebra crossing" in page and "Deflection rate" in page
