"""The KB in French, and articles in several languages: the translation links, the version
offered in the reader's language, the language filter."""

import re

import pytest

from community import service as community_service
from kb import promotion, service
from kb.models import Article
from portal.errors import ValidationFailed
from portal.permissions import Role
from tests.factories import make_article, make_reply, make_tag, make_thread, make_user
from tests.i18n.pseudo import pseudo_translations, untranslated_in_page

FRENCH = {"Accept-Language": "fr"}
NBSP = "\u00a0"


@pytest.fixture
def agent(db):
    return make_user(db.session, "nina", role=Role.AGENT)


@pytest.fixture
def billing(db):
    return make_tag(db.session, "Billing")


@pytest.fixture
def invoice(db, agent, billing):
    """An English article and its French translation, both published."""
    english = make_article(
        db.session, agent, "Understand your first invoice", tags=[billing],
        body="## Lines\n\nThe first invoice covers more than a month.\n",
    )  # fmt: skip
    french = service.create_article(
        db.session, agent, title="Comprendre votre première facture", summary="",
        body="## Les lignes\n\nLa première facture couvre plus d’un mois.\n",
        tag_slugs=["billing"], language="fr", translation_of=english, publish=True,
    )  # fmt: skip
    db.session.commit()
    return english, french


def page(client, url, **kwargs) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_an_article_page_speaks_french_around_the_english_text(client, db, agent, billing):
    make_article(db.session, agent, "Restart your Hub", tags=[billing])
    db.session.commit()
    html = page(client, "/kb/restart-your-hub", headers=FRENCH)
    assert '<html lang="fr"' in html and 'lang="en">' in html  # the article keeps its own
    assert f"Cet article vous a-t-il aidé{NBSP}?" in html
    assert "Sur cette page" in html and "Mis à jour le" in html
    assert "Was this helpful?" not in html
    # The same page in English, for a browser that asks for nothing.
    assert "Was this helpful?" in page(client, "/kb/restart-your-hub")


def test_a_writer_sees_the_tools_in_french_with_numbers_in_french(client, db, auth, agent, billing):
    article = make_article(db.session, agent, "Restart your Hub", tags=[billing])
    article.view_count = 1234
    db.session.commit()
    auth.login("nina")
    html = page(client, "/kb/restart-your-hub", headers=FRENCH)
    assert f"1{NBSP}234 vues" in html.replace("\u202f", NBSP) and "Révision 1" in html
    history = page(client, "/kb/restart-your-hub/history", headers=FRENCH)
    assert "Première version" in history  # the portal's own note, in the reader's language
    assert "Première version" not in page(client, "/kb/restart-your-hub/history")


def test_the_writer_links_a_translation_in_the_editor(client, db, auth, agent, billing):
    original = make_article(db.session, agent, "Pay by direct debit", tags=[billing])
    db.session.commit()
    auth.login("nina")
    editor = page(client, f"/kb/new?translation_of={original.id}", headers=FRENCH)
    assert "Traduction de" in editor and f'<option selected value="{original.id}">' in editor
    assert '<option lang="fr" selected value="fr">' in editor  # the language it lacks
    response = client.post(
        "/kb/new",
        data={
            "title": "Payer par prélèvement automatique",
            "body": "## Mettre en place\n\nLe prélèvement est pris le 5 de chaque mois.\n",
            "tags": ["billing"],
            "language": "",  # detected from the text
            "translation_of": str(original.id),
            "action": "publish",
        },
    )
    assert response.status_code == 302
    french = db.session.query(Article).filter_by(title="Payer par prélèvement automatique").one()
    assert (french.language, french.translation_of_id) == ("fr", original.id)
    html = page(client, "/kb/pay-by-direct-debit")
    link = f'href="/kb/{french.slug}" hreflang="fr" lang="fr">Français</a>'
    assert "This article also exists in" in html and link in html
    assert (
        f'<link rel="alternate" hreflang="fr" href="http://127.0.0.1:5000/kb/{french.slug}">'
        in html
    )
    # Unlinking it in the editor.
    form = {
        "title": french.title, "body": french.body, "tags": ["billing"], "language": "fr",
        "translation_of": "", "base_version": str(french.version), "action": "save",
    }  # fmt: skip
    assert client.post(f"/kb/{french.slug}/edit", data=form).status_code == 302
    db.session.refresh(french)
    assert french.translation_of_id is None


def test_the_reader_is_offered_the_version_in_their_language(client, db, invoice):
    english, french = invoice
    html = page(client, "/kb/understand-your-first-invoice", headers=FRENCH)
    notice = re.search(r'<p class="notice article-in-your-language"[^>]*>(.*?)</p>', html, re.S)
    assert notice and f"Cet article existe en français{NBSP}:" in notice[1]
    assert f'href="/kb/{french.slug}" hreflang="fr" lang="fr">{french.title}</a>' in notice[1]
    assert "Cet article existe aussi en" in html  # and the link to every other version
    # In English, the English article offers nothing at the top; the French one does.
    assert "article-in-your-language" not in page(client, "/kb/understand-your-first-invoice")
    html = page(client, f"/kb/{french.slug}")
    assert "This article exists in your language:" in html and english.title in html
    assert '"translationOfWork"' in html  # for search engines too


def test_a_draft_translation_is_not_offered_to_readers(client, db, auth, agent, billing):
    english = make_article(db.session, agent, "Get a refund", tags=[billing])
    service.create_article(
        db.session, agent, title="Obtenir un remboursement", summary="",
        body="La plupart des sommes sont d’abord créditées sur votre compte.\n",
        tag_slugs=["billing"], translation_of=english,
    )  # fmt: skip
    db.session.commit()
    html = page(client, "/kb/get-a-refund", headers=FRENCH)
    assert "article-in-your-language" not in html and "existe aussi" not in html
    auth.login("nina")  # writers see the draft version, marked as such
    html = page(client, "/kb/get-a-refund", headers=FRENCH)
    assert "Cet article existe aussi en" in html and "Brouillon" in html


def test_translation_links_keep_one_original_and_one_version_per_language(db, agent, billing):
    english = make_article(db.session, agent, "Move house", tags=[billing])

    def translate(title, language, original, **fields):
        return service.create_article(
            db.session, agent, title=title, summary="", body="Texte.\n", tag_slugs=["billing"],
            language=language, translation_of=original, **fields,
        )  # fmt: skip

    with pytest.raises(ValidationFailed, match="in English too"):
        translate("Move house again", "en", english)
    french = translate("Déménager", "fr", english)
    with pytest.raises(ValidationFailed, match="already has a French translation"):
        translate("Déménager avec nous", "fr", english)
    # Linking to a translation links to its original: the star stays one level deep.
    with pytest.raises(ValidationFailed, match="already has a French translation"):
        translate("Déménager encore", "fr", french)
    other = make_article(db.session, agent, "Other", tags=[billing])
    with pytest.raises(ValidationFailed, match="Other articles translate this one"):
        service.update_article(
            db.session, agent, english, base_version=english.version, title=english.title,
            summary="", body=english.body, tag_slugs=["billing"], translation_of=other,
        )  # fmt: skip
    with pytest.raises(ValidationFailed, match="is this article’s French translation"):
        service.update_article(
            db.session, agent, english, base_version=english.version, title=english.title,
            summary="", body=english.body, tag_slugs=["billing"], language="fr",
        )  # fmt: skip
    with pytest.raises(ValidationFailed, match="translation of itself"):
        service.update_article(
            db.session, agent, other, base_version=other.version, title=other.title,
            summary="", body=other.body, tag_slugs=["billing"], translation_of=other,
        )  # fmt: skip
    # Edits that leave the link out keep it.
    service.update_article(
        db.session, agent, french, base_version=french.version, title="Déménager sans souci",
        summary="", body="Texte.\n", tag_slugs=["billing"],
    )  # fmt: skip
    assert french.translation_of_id == english.id


def test_the_language_is_detected_when_the_writer_leaves_it(db, agent, billing):
    article = service.create_article(
        db.session, agent, title="Changer le mot de passe du Wi-Fi", summary="",
        body="Ouvrez l’application et choisissez le réseau : le mot de passe est dans les "
        "réglages de votre Hub.\n", tag_slugs=["billing"], language="",
    )  # fmt: skip
    assert article.language == "fr"


def test_lists_filter_by_language_and_prefer_the_readers(client, db, agent, billing, invoice):
    english, french = invoice
    make_article(db.session, agent, "Only in English", tags=[billing])
    db.session.commit()

    def titles(html):
        return re.findall(r'class="article-link"[^>]*>([^<]+)</a>', html)

    # Unfiltered, each article once, in the reader's language when it has that version.
    in_french = titles(page(client, "/kb/topics/billing", headers=FRENCH))
    assert sorted(in_french) == sorted([french.title, "Only in English"])
    in_english = titles(page(client, "/kb/topics/billing"))
    assert sorted(in_english) == sorted([english.title, "Only in English"])
    # Filtered: only the articles written in that language.
    assert titles(page(client, "/kb/topics/billing?lang=fr")) == [french.title]
    index = page(client, "/kb/?lang=en")
    assert french.title not in index and "Only in English" in index
    assert '<strong aria-current="page" lang="en">English</strong>' in index
    assert "1 article" in page(client, "/kb/?lang=fr")  # the topic's count in French
    assert "Only in English" in page(client, "/kb/?lang=xx")  # an unknown code: every language


def test_a_french_thread_becomes_a_french_draft(db, agent):
    asker = make_user(db.session, "hugo")
    thread = make_thread(
        db.session, asker, "Ma facture est plus élevée que prévu",
        body="Pourquoi ma première facture est-elle plus élevée que le prix de mon offre ?",
    )  # fmt: skip
    answer = make_reply(
        db.session, thread, body="Elle couvre le mois partiel et le mois suivant, d’avance."
    )
    community_service.accept_solution(db.session, asker, thread, answer)
    article, _ = promotion.promote_thread(db.session, agent, thread, link="/t/1")
    assert article.language == "fr"
    assert "## La question" in article.body and "## La solution" in article.body
    assert "D’après la discussion de la communauté" in article.body


@pytest.mark.i18n
@pytest.mark.parametrize("who", [None, "nina"])
def test_translation_links_and_notice_speak_from_the_catalogs(
    client, db, auth, agent, billing, invoice, who
):
    english, _ = invoice
    english.title, english.summary = "Zqtitle", "Zqsummary"
    english.body = "## Zqheading\n\nZqtext.\n"
    billing.name, agent.display_name = "Zqbilling", "Zqnina"
    db.session.commit()
    if who:
        auth.login(who)
        client.get("/")  # the sign-in's own message (the foundation's) shows there
    with pseudo_translations():
        for url in (
            "/kb/understand-your-first-invoice",
            "/kb/",
            f"/kb/new?translation_of={english.id}",
        ):
            response = client.get(url, headers=FRENCH)
            if response.status_code == 200:
                html = response.get_data(as_text=True)
                html = html.replace("Comprendre votre première facture", "Zq")
                assert untranslated_in_page(html, response.mimetype) == [], url


def test_an_original_lists_its_translations_in_the_editor(client, db, auth, invoice):
    english, french = invoice
    auth.login("nina")
    editor = page(client, f"/kb/{english.slug}/edit")
    assert 'name="translation_of"' not in editor and french.title in editor
    form = {
        "title": english.title, "body": english.body, "tags": ["billing"], "language": "en",
        "base_version": str(english.version), "action": "save",
    }  # fmt: skip
    assert client.post(f"/kb/{english.slug}/edit", data=form).status_code == 302
    db.session.refresh(french)
    assert french.translation_of_id == english.id  # untouched
    # Every language has its version: nothing left to translate.
    assert "/kb/new?translation_of=" not in page(client, f"/kb/{english.slug}")
