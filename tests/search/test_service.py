"""search.service with the real model: visibility, filters, pages, "did you mean", rebuilds."""

import logging
import shutil

import pytest

from portal import events
from search import indexing, service, vectors
from search.service import Filters
from search.vectors import ModelUnavailable
from tests.factories import make_tag, make_user


@pytest.fixture
def customer(db):
    return make_user(db.session, "casey")


def keys(page):
    return [result.key for result in page.results]


def test_empty_query_is_an_empty_page(search_app, db, content, customer):
    for query in ("", "   ", None):
        page = service.search(db.session, customer, query)
        assert page.query == "" and page.results == [] and page.total == 0


def test_paraphrase_finds_the_article_with_no_shared_keyword(search_app, db, content, customer):
    articles, threads = content
    articles.add(1, "Paying your invoice by card", "Open Billing, choose Pay now, enter your card.")
    threads.add(2, "Garage door opener pairing", "The app cannot find my opener.")
    page = service.search(db.session, customer, "how do I settle what I owe you")
    assert keys(page)[0] == "article:1" and not page.keyword_only
    assert page.results[0].url == "/article/1" and page.results[0].label == "Article"


def test_french_question_finds_french_content(search_app, db, content, customer):
    articles, threads = content
    articles.add(1, "Resetting your router", "Hold the reset button for ten seconds.")
    threads.add(
        2, "Facture reçue deux fois", "J'ai été prélevé deux fois ce mois-ci.", language="fr"
    )
    assert keys(service.search(db.session, customer, "on m'a débité deux fois"))[0] == "thread:2"


def test_private_content_never_shows_even_from_a_stale_index(search_app, db, content, customer):
    articles, threads = content
    articles.add(1, "Router firmware update", "Install the new router firmware.")
    articles.add(2, "Router draft about firmware", "Unreleased router notes.", public=False)
    threads.add(3, "Router keeps rebooting", "Since the firmware update.")
    assert sorted(keys(service.search(db.session, customer, "router firmware"))) == [
        "article:1",
        "thread:3",
    ]
    threads.public.discard(3)  # hidden by a moderator, and the event was lost
    assert keys(service.search(db.session, customer, "router firmware")) == ["article:1"]
    assert service.suggest(db.session, customer, "router firmware")[0].key == "article:1"


def test_events_keep_the_index_in_step(search_app, db, content, customer):
    articles, threads = content
    articles.add(1, "Router lights explained", "What each light on the router means.")
    assert keys(service.search(db.session, customer, "router lights")) == ["article:1"]
    threads.add(7, "Router lights blinking orange", "Orange blinking since the storm.")
    events.publish(
        "community.thread_changed", session=db.session, thread_id=7, post_id=None, change="new"
    )
    db.session.commit()  # the feed row commits with the change; the index reads it after
    assert "thread:7" in keys(service.search(db.session, customer, "orange blinking"))
    articles.public.discard(1)
    events.publish("kb.article_archived", session=db.session, article_id=1)
    db.session.commit()
    assert "article:1" not in indexing.searchable_index().fulltext.metadata(["article:1"])


def test_filters_and_tags(search_app, db, content, customer):
    articles, threads = content
    make_tag(db.session, "Network")
    articles.add(1, "Router setup guide", "Plug the router in.", tags=["network"])
    threads.add(2, "Router setup question", "How to set up the router?", solved=True)
    threads.add(3, "Router setup again", "Still no luck with the router setup.")

    def search(filters):
        return sorted(keys(service.search(db.session, customer, "router setup", filters)))

    assert search(Filters(kind="article")) == ["article:1"]
    assert search(Filters(kind="thread")) == ["thread:2", "thread:3"]
    assert search(Filters(solved_only=True)) == ["thread:2"]
    assert search(Filters(tag="network")) == ["article:1"]
    article = service.search(db.session, customer, "router setup", Filters(kind="article"))
    assert article.results[0].tags == [("network", "Network")]


def test_unknown_filter_values_are_dropped_with_a_note(db):
    filters, notes = service.clean_filters(db.session, "video", "no-such-topic", "maybe")
    assert filters == Filters() and len(notes) == 3


def test_pages(search_app, db, content, customer):
    articles, _ = content
    for number in range(1, 24):
        articles.add(number, f"Router tip number {number}", "Router advice.")
    first = service.search(db.session, customer, "router tip")
    assert (first.total, first.pages, len(first.results)) == (23, 3, 10)
    last = service.search(db.session, customer, "router tip", page=99)
    assert last.page == 3 and len(last.results) == 3
    assert not set(keys(first)) & set(keys(last))


def test_snippets_escape_text_and_mark_terms(search_app, db, content, customer):
    articles, _ = content
    articles.add(1, "Router <script>", "Press <b>reset</b> on the router & wait.")
    result = service.search(db.session, customer, "router reset").results[0]
    assert '<mark class="match' in result.snippet and "&lt;b&gt;" in result.snippet
    assert "<b>" not in result.snippet and "<script>" not in result.snippet


@pytest.mark.parametrize(
    "query", ['"', "router*", "AND(", "title:router", '"unbalanced', "x" * 5000, "(((", "\x00"]
)
def test_weird_queries_never_raise(search_app, db, content, customer, query):
    content[0].add(1, "Router setup", "Plug the router in.")
    assert isinstance(service.search(db.session, customer, query).total, int)


def test_did_you_mean_when_few_results(search_app, db, content, customer):
    content[0].add(1, "Resetting your router", "Hold the reset button.")
    assert service.search(db.session, customer, "rooter").did_you_mean == "router"
    assert service.search(db.session, customer, "router").did_you_mean is None


def test_deleting_the_index_directory_rebuilds_it(search_app, db, content, customer):
    content[0].add(1, "Resetting your router", "Hold the reset button.")
    assert keys(service.search(db.session, customer, "reset router")) == ["article:1"]
    shutil.rmtree(search_app.config["SEARCH_INDEX_DIR"])
    assert keys(service.search(db.session, customer, "reset router")) == ["article:1"]


def test_model_failure_means_keyword_only_and_a_warning(
    search_app, db, content, customer, monkeypatch, caplog
):
    def broken(name=None, encoder_dir=None):
        raise ModelUnavailable("no model here")

    monkeypatch.setattr(vectors, "get_model", broken)
    # Alembic's fileConfig (run by the migration test) disables loggers that already exist.
    monkeypatch.setattr(logging.getLogger("search.indexing"), "disabled", False)
    content[0].add(1, "Resetting your router", "Hold the reset button.")
    with caplog.at_level(logging.WARNING, logger="search.indexing"):
        page = service.search(db.session, customer, "reset router")
    assert keys(page) == ["article:1"] and page.keyword_only
    assert "keyword-only" in caplog.text
