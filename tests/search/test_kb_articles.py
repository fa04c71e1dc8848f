"""Knowledge-base articles in search, with the real model: events, visibility, related articles."""

import shutil

import pytest
from sqlalchemy import select

from kb import queries
from kb import service as kb_service
from search import indexing, service
from search.models import DeflectionEvent
from tests.factories import make_article, make_tag, make_user


@pytest.fixture
def writer(db):
    return make_user(db.session, "writer", role="agent")


@pytest.fixture
def articles(search_app, db, writer):
    billing, network = make_tag(db.session, "Billing"), make_tag(db.session, "Network")

    def add(title, body, tags, **fields):
        return make_article(db.session, writer, title, body=body, tags=tags, **fields)

    made = {
        "pay": add("Paying your invoice by card", "Open **Billing**, choose *Pay now*.", [billing]),
        "reset": add("Resetting your router", "Hold the reset button for ten seconds.", [network]),
        "double": add(
            "Facture prélevée deux fois",
            "Un double prélèvement est remboursé sous cinq jours ouvrés.",
            [billing],
            language="fr",
        ),  # fmt: skip
        "draft": add(
            "Router price increase (draft)", "Router rental goes up.", [network], publish=False
        ),  # fmt: skip
    }
    db.session.commit()  # the after-commit events index the published ones
    return made


def keys(page):
    return [result.key for result in page.results]


def test_paraphrase_finds_the_article_with_no_shared_keyword(db, articles):
    page = service.search(db.session, None, "how do I settle what I owe you")
    assert keys(page)[0] == f"article:{articles['pay'].id}"
    assert "**" not in page.results[0].snippet  # Markdown marks are not shown


def test_french_question_finds_the_french_article(db, articles):
    page = service.search(db.session, None, "on m'a débité deux fois ce mois")
    assert keys(page)[0] == f"article:{articles['double'].id}"


def test_drafts_and_archived_articles_never_show(db, articles, writer):
    draft = f"article:{articles['draft'].id}"
    assert draft not in keys(service.search(db.session, None, "router price increase"))
    kb_service.archive_article(db.session, writer, articles["reset"])
    db.session.commit()
    assert keys(service.search(db.session, None, "reset the router")) == []
    kb_service.publish_article(db.session, writer, articles["draft"])
    db.session.commit()
    assert keys(service.search(db.session, None, "router price increase"))[0] == draft


def test_edits_reach_the_index(db, articles, writer):
    article = articles["reset"]
    kb_service.update_article(
        db.session, writer, article, title=article.title, summary="",
        body="Unplug the mesh extender first.", tag_slugs=[t.slug for t in article.tags],
        base_version=article.version, note="",
    )  # fmt: skip
    db.session.commit()
    assert keys(service.search(db.session, None, "mesh extender"))[0] == f"article:{article.id}"


def test_deleting_the_index_directory_rebuilds_it_from_the_database(db, articles, search_app):
    assert keys(service.search(db.session, None, "reset the router"))  # built and filled
    shutil.rmtree(search_app.config["SEARCH_INDEX_DIR"])
    assert keys(service.search(db.session, None, "reset the router")) == [
        f"article:{articles['reset'].id}"
    ]


def test_changes_before_the_first_search_leave_a_new_install_searchable(db, articles, writer):
    """`flask seed-demo` on a new install: its events arrive before anything was searched,
    then the web worker, another process, opens the index directory they left."""
    kb_service.archive_article(db.session, writer, articles["pay"])
    db.session.commit()  # its event removes the article from an index never filled
    indexing._opened.clear()  # what a new process starts with
    assert keys(service.search(db.session, None, "reset the router")) == [
        f"article:{articles['reset'].id}"
    ]


def test_related_articles_are_semantic_neighbours(db, articles):
    related = queries.related_articles(db.session, articles["pay"])
    assert related[0] == articles["double"]  # same meaning, other language
    assert articles["draft"] not in related


def test_solved_button_after_opening_a_suggestion(client, db, articles):
    article = articles["reset"]
    page = client.get(f"/kb/{article.slug}").get_data(as_text=True)
    assert "This solved my problem" not in page  # not reached from a suggestion
    client.get("/search/suggest?q=my router needs a reset")
    opened = client.get(f"/search/open/article:{article.id}?via=suggestion")
    page = client.get(opened.location).get_data(as_text=True)
    assert "This solved my problem" in page
    client.post("/search/solved", data={"key": f"article:{article.id}"})
    assert [e.step for e in db.session.scalars(select(DeflectionEvent))] == [
        "shown",
        "opened",
        "solved",
    ]
