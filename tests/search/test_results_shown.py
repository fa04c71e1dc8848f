"""Results shown from what the index stores: statements per request, visibility, edits."""

import itertools
import re

import pytest
from sqlalchemy import event, update

from community import service as community_service
from community.models import Post, PostStatus
from portal import events
from search import querylog
from tests.factories import make_reply, make_tag, make_thread, make_user

_fresh = itertools.count()


@pytest.fixture
def people(search_app, db, monkeypatch):
    """An asker and a moderator; searches logged in batches, as the portal does."""
    monkeypatch.setitem(search_app.config, "SEARCH_LOG_FLUSH_SECONDS", 60)
    yield make_user(db.session, "asker"), make_user(db.session, "mod", role="moderator")
    with search_app.app_context():  # what a test left waiting, written before the next one
        querylog.flush()


@pytest.fixture
def statements(db):
    """The SQL statements the app sends, listed as they go."""
    sent: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    yield sent
    event.remove(db.engine, "before_cursor_execute", count)


def add_threads(db, asker, tag, count, replies):
    for number in range(count):
        thread = make_thread(db.session, asker, f"Router drops the wifi at night {number}",
                             body=f"My router loses the wifi every night, case {number}.",
                             tags=[tag])  # fmt: skip
        for reply in range(replies):
            make_reply(db.session, thread, asker, f"Reboot the router, attempt {reply}.")
        if number % 2:
            community_service.accept_solution(db.session, asker, thread, thread.posts[-1])
    db.session.commit()


def sent_by(client, statements, url):
    """Statements of one request with a text never asked before (no cache helps)."""
    text = f"router wifi drops at night {next(_fresh)}"
    client.get(url, query_string={"q": text})  # the browser's first: it starts its flow
    statements.clear()
    response = client.get(url, query_string={"q": f"{text} again"})
    assert response.status_code == 200
    return len(statements)


def test_statements_per_request_do_not_grow_with_the_threads(db, people, client, statements):
    asker, _moderator = people
    tag = make_tag(db.session, "network")
    add_threads(db, asker, tag, 3, replies=1)
    few = {url: sent_by(client, statements, url) for url in ("/search", "/search/suggest")}
    add_threads(db, asker, tag, 30, replies=6)
    many = {url: sent_by(client, statements, url) for url in ("/search", "/search/suggest")}
    assert many == few
    # The page: the tags of the filter, the visibility of the ranked threads, the names of
    # the shown results' tags; no thread, post or solution is loaded to show them.
    assert few["/search"] <= 4, few


def search_page(client, text):
    return client.get("/search", query_string={"q": text, "closest": "1"}).get_data(as_text=True)


def suggested(client, text):
    data = client.get("/search/suggest", query_string={"q": text}).get_json()
    return [suggestion["title"] for suggestion in data["suggestions"]]


def test_hidden_held_and_deleted_questions_never_show(db, people, client):
    asker, moderator = people
    hidden = make_thread(db.session, asker, "Printer jams on page two",
                         body="The office printer jams on every second page.")  # fmt: skip
    deleted = make_thread(db.session, asker, "Printer prints blank pages",
                          body="The printer prints blank pages since the update.")  # fmt: skip
    held = make_thread(db.session, asker, "Printer offline after the update",
                       body="The printer shows offline after the firmware update.")  # fmt: skip
    db.session.commit()
    assert "Printer jams on page two" in search_page(client, "printer jams")
    community_service.hide_post(db.session, moderator, hidden.question, reason="spam")
    community_service.delete_post(db.session, asker, deleted.question)
    held.question.status = PostStatus.HELD.value  # as moderation would leave it
    events.publish(
        "community.thread_changed", session=db.session, thread_id=held.id, post_id=None, change="x"
    )
    db.session.commit()
    for text in ("printer jams page", "printer blank pages", "printer offline firmware update"):
        page = search_page(client, text)
        assert 'class="card search-result"' not in page, text
        assert suggested(client, text) == []


def test_a_question_hidden_before_the_index_knows_is_not_shown(db, people, client):
    asker, _moderator = people
    thread = make_thread(db.session, asker, "Doorbell camera offline",
                         body="The doorbell camera goes offline at night.")  # fmt: skip
    db.session.commit()
    assert "Doorbell camera offline" in search_page(client, "doorbell camera offline")
    # Written without the event: the index still holds it (a keeper that is behind).
    db.session.execute(
        update(Post).where(Post.id == thread.question.id).values(status=PostStatus.HIDDEN.value)
    )
    db.session.commit()
    assert "Doorbell camera offline" not in search_page(client, "doorbell camera offline")
    assert suggested(client, "doorbell camera offline") == []


def test_titles_and_snippets_follow_an_edit(db, people, client):
    asker, _moderator = people
    thread = make_thread(db.session, asker, "Thermostat shows the wrong temperature",
                         body="The thermostat reads five degrees too high.")  # fmt: skip
    answer = make_reply(db.session, thread, asker, "Move it away from the radiator.")
    db.session.commit()
    page = search_page(client, "thermostat temperature")
    assert "Thermostat shows the wrong temperature" in page
    assert "five degrees too high" in page
    community_service.edit_post(db.session, asker, thread.question,
                                title="Thermostat reads too warm",
                                body="The thermostat says 25 degrees in a cold room.")  # fmt: skip
    community_service.accept_solution(db.session, asker, thread, answer)
    db.session.commit()
    page = search_page(client, "thermostat degrees")
    assert "Thermostat reads too warm" in page and "wrong temperature" not in page
    (snippet,) = re.findall(r'<p class="snippet"[^>]*>(.*?)</p>', page, re.DOTALL)
    assert re.search(r"says 25 <mark[^>]*>degrees</mark> in a cold room", snippet), snippet
    assert "five" not in snippet
    assert "✓ Solved" in page and "radiator" in snippet  # the accepted answer is in the excerpt
    assert suggested(client, "thermostat reads too warm") == ["Thermostat reads too warm"]
