"""Search in French and English: the page speaks the reader's language, results know theirs,
and a reader may keep to one language (the filter, kept from page to page)."""

import pytest

from search import documents, service
from search.service import Filters
from tests.factories import make_article, make_thread, make_user
from tests.search.test_lifecycle import keeper_mode  # noqa: F401 (a fixture)

NBSP = "\u00a0"
FRENCH = {"Accept-Language": "fr"}


def keys(page):
    return [result.key for result in page.results]


@pytest.fixture
def bilingual(search_app, content):
    """The same product, asked about in both languages."""
    articles, threads = content
    articles.add(1, "Brightbox reset", "Hold the Brightbox reset button for ten seconds.")
    articles.add(
        2, "Réinitialiser la Brightbox", "Maintenez le bouton de la Brightbox dix secondes.",
        language="fr",
    )  # fmt: skip
    threads.add(3, "Brightbox keeps rebooting", "Every night the Brightbox reboots.", solved=True)
    threads.add(
        4, "La Brightbox redémarre", "Chaque nuit la Brightbox redémarre.", solved=True,
        language="fr",
    )  # fmt: skip
    return content


def test_the_language_filter_keeps_one_language_in_the_same_order(db, bilingual):
    reader = make_user(db.session, "casey")
    everything = service.search(db.session, reader, "brightbox")
    assert sorted(keys(everything)) == ["article:1", "article:2", "thread:3", "thread:4"]
    assert everything.languages == {"en": 2, "fr": 2}
    french = service.search(db.session, reader, "brightbox", Filters(language="fr"))
    assert keys(french) == [key for key in keys(everything) if key in ("article:2", "thread:4")]
    assert french.total == 2 and {result.language for result in french.results} == {"fr"}
    both = service.search(db.session, reader, "brightbox", Filters(kind="thread", language="en"))
    assert keys(both) == ["thread:3"]


def test_an_unknown_language_is_dropped_with_a_note(db):
    filters, notes = service.clean_filters(db.session, None, None, None, "xx")
    assert filters.language is None
    assert notes == ["Unknown language “xx” ignored: showing every language."]
    assert service.clean_filters(db.session, None, None, None, "fr")[0].language == "fr"


def test_the_search_page_in_french(client, bilingual):
    page = client.get("/search?q=brightbox", headers=FRENCH).get_data(as_text=True)
    assert '<html lang="fr"' in page and "Rechercher des réponses" in page
    assert f"4 résultats pour «{NBSP}brightbox{NBSP}»" in page
    assert "Toutes les langues" in page and '<option value="fr" >En français</option>' in page
    assert "✓ Résolu" in page and "Question" in page
    # English results say so, and their text is marked English.
    assert page.count('<span class="badge badge-language">En anglais</span>') == 2
    assert '<h2 lang="en">' in page and '<p class="snippet" lang="fr">' in page
    # Half of them are in the reader's language: the page offers to keep to it.
    assert f"2 d’entre eux sont dans votre langue{NBSP}:" in page
    assert "language=fr" in page


def test_the_search_page_in_english_offers_english(client, bilingual):
    page = client.get("/search?q=brightbox").get_data(as_text=True)
    assert "4 results for “brightbox”" in page and "In French" in page
    assert "2 of them are in your language" in page and "language=en" in page
    kept = client.get("/search?q=brightbox&language=en").get_data(as_text=True)
    assert "2 results for “brightbox”" in kept and "of them are in your language" not in kept
    assert "Réinitialiser la Brightbox" not in kept


def test_pages_keep_the_language(client, bilingual, search_app, monkeypatch):
    monkeypatch.setitem(search_app.config, "SEARCH_RESULTS_PER_PAGE", 1)
    page = client.get("/search?q=brightbox&language=fr&kind=thread&solved=1", headers=FRENCH)
    text = page.get_data(as_text=True)
    assert f"1 résultat pour «{NBSP}brightbox{NBSP}»" in text
    page = client.get("/search?q=brightbox&language=fr", headers=FRENCH).get_data(as_text=True)
    assert "Page 1 sur 2" in page and "Suivant →" in page
    assert "page=2" in page and "language=fr" in page.split("Suivant")[0].rsplit("href", 1)[1]


def test_unknown_language_note_in_french(client, bilingual):
    page = client.get("/search?q=brightbox&language=de", headers=FRENCH).get_data(as_text=True)
    assert f"Langue «{NBSP}de{NBSP}» inconnue, ignorée{NBSP}: toutes les langues" in page


def test_suggestions_speak_the_pages_language(client, bilingual):
    data = client.get("/search/suggest?q=brightbox redémarre", headers=FRENCH).get_json()
    assert data["suggestions"] and data["status"].endswith("ci-dessous.")
    badges = {s["title"]: s["badge"] for s in data["suggestions"]}
    assert badges["La Brightbox redémarre"] == "Question · Résolu"
    assert badges.get("Réinitialiser la Brightbox", "Article") == "Article"
    english = client.get("/search/suggest?q=brightbox reboots").get_json()
    assert english["status"].endswith("below.") and "Question · Solved" in {
        s["badge"] for s in english["suggestions"]
    }


def test_without_an_index_the_database_filters_by_language_too(db, keeper_mode):  # noqa: F811
    french_article = make_article(
        db.session, title="Brightbox : réinitialiser", body="Maintenez le bouton.", language="fr"
    )
    make_article(db.session, title="Brightbox reset", body="Hold the button.")
    french_thread = make_thread(
        db.session,
        title="La Brightbox redémarre",
        body="Ma Brightbox redémarre toutes les nuits depuis que je l’ai installée.",
    )
    make_thread(
        db.session,
        title="Brightbox keeps rebooting",
        body="It reboots every night and the light is off.",
    )
    db.session.commit()
    page = service.search(db.session, None, "brightbox", Filters(language="fr"))
    assert page.from_database
    assert sorted(keys(page)) == sorted(
        [f"article:{french_article.id}", f"thread:{french_thread.id}"]
    )
    everything = service.search(db.session, None, "brightbox")
    assert everything.total == 4 and everything.languages == {"en": 2, "fr": 2}


def test_a_threads_language_is_decided_in_one_place():
    assert documents.thread_language("Box en panne", "Ma box ne marche plus depuis hier.") == "fr"
    assert documents.thread_language("Router down", "It is down since yesterday.") == "en"
    # Once posts store their language, the stored value wins over the guess.
    assert documents.thread_language("Router down", "It is down since yesterday.", "fr") == "fr"


def test_reindex_speaks_the_terminals_language(runner, db, bilingual):
    result = runner.invoke(args=["search", "reindex"], env={"LC_ALL": "fr_FR.UTF-8"})
    assert result.exit_code == 0, result.output
    assert "4 documents indexés en" in result.output and "Vecteurs" in result.output
