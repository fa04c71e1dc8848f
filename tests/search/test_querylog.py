"""The search log written in batches: nothing per search, every search and click kept."""

import html
import re

import pytest
from sqlalchemy import select

from portal.jobs import Job
from search import analytics, querylog
from search.models import SearchQuery
from tests.factories import PASSWORD, make_user


@pytest.fixture
def batched(search_app, content):
    """The portal's batching (the other tests log each search at once)."""
    content[0].add(1, "Resetting your router", "Hold the reset button for ten seconds.")
    search_app.config.update(SEARCH_LOG_BATCH=100, SEARCH_LOG_FLUSH_SECONDS=60)
    yield search_app
    with search_app.app_context():  # what a test left waiting, written before the next one
        querylog.flush()
    search_app.config.update(SEARCH_LOG_BATCH=100, SEARCH_LOG_FLUSH_SECONDS=0)  # tests' own


def logged(db):
    db.session.rollback()
    return db.session.scalars(select(SearchQuery).order_by(SearchQuery.id)).all()


def result_link(page: str, key: str) -> str:
    return html.unescape(re.search(rf'href="(/search/open/{key}\?[^"]*)"', page).group(1))


def test_searches_wait_and_are_written_together(batched, client, db):
    client.get("/search?q=Router")
    client.get("/search?q=zebra lamp")
    assert logged(db) == []  # no INSERT in either request
    assert querylog.flush() == 2
    assert [(q.text, q.results_count > 0) for q in logged(db)] == [
        ("router", True),
        ("zebra lamp", False),
    ]
    zero, _unclicked = analytics.content_gaps(db.session, days=1)
    assert [(gap.text, gap.searches) for gap in zero] == [("zebra lamp", 1)]


def test_a_full_batch_is_written_at_once(batched, client, db):
    batched.config["SEARCH_LOG_BATCH"] = 3
    for text in ("router one", "router two", "router three"):
        client.get("/search", query_string={"q": text})
    assert len(logged(db)) == 3


def test_the_click_finds_its_search_from_the_link(batched, client, db):
    page = client.get("/search?q=router").get_data(as_text=True)
    client.get("/search?q=router")  # the same words again: only the first was opened
    assert client.get(result_link(page, "article:1")).status_code == 302
    first, second = logged(db)
    assert (first.clicked_key, second.clicked_key) == ("article:1", None)
    assert first.clicked_at is not None
    _zero, unclicked = analytics.content_gaps(db.session, days=1)
    assert unclicked == []  # "router" was answered


def test_another_browser_cannot_click_for_mine(batched, client, app, db):
    page = client.get("/search?q=router").get_data(as_text=True)
    querylog.flush()
    app.test_client().get(result_link(page, "article:1"))
    assert logged(db)[0].clicked_key is None


def test_a_click_before_its_search_is_written_is_recorded_by_a_job(
    batched, client, db, monkeypatch
):
    page = client.get("/search?q=router").get_data(as_text=True)
    # The search waits in another worker's buffer: this process cannot write it.
    monkeypatch.setattr(querylog, "flush", lambda: 0)
    monkeypatch.setitem(batched.config, "JOBS_INLINE", False)
    monkeypatch.setattr("portal.jobs.outbox.hand_over", lambda jobs: None)
    client.get(result_link(page, "article:1"))
    monkeypatch.undo()
    batched.config.update(SEARCH_LOG_BATCH=100, SEARCH_LOG_FLUSH_SECONDS=60)
    (job,) = db.session.scalars(select(Job).where(Job.name == querylog.CLICK_JOB)).all()
    querylog.flush()  # the other worker writes it
    querylog.record_late_click(db.session, **job.payload)
    querylog.record_late_click(db.session, **job.payload)  # a job may run twice
    db.session.commit()
    assert [(q.text, q.clicked_key) for q in logged(db)] == [("router", "article:1")]


def test_links_of_the_next_pages_carry_the_first_pages_search(batched, client, db, content):
    for number in range(2, 13):
        content[0].add(number, f"Router guide {number}", "Router lights and router cables.")
    first = client.get("/search?q=router").get_data(as_text=True)
    token = re.search(r"log=(\d+)", first).group(1)
    assert querylog.token(querylog.searched_at(token)) == token
    second = client.get(f"/search?q=router&page=2&log={token}").get_data(as_text=True)
    assert "Page 2 of 2" in second and f"log={token}" in second
    assert len(logged(db)) == 0 and querylog.flush() == 1  # page 2 is no new search
    assert querylog.searched_at("12x") is None and querylog.searched_at("9" * 40) is None


def test_a_deleted_accounts_waiting_searches_are_untied(batched, client, db, auth):
    member = make_user(db.session, "searcher")
    db.session.commit()
    auth.login("searcher")
    client.get("/search?q=router")
    from portal import privacy

    privacy.delete_account(db.session, member, member, password=PASSWORD)
    db.session.commit()
    querylog.flush()
    assert [(q.text, q.user_id) for q in logged(db)] == [("router", None)]
