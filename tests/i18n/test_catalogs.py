"""The catalogs: complete in every language, compiled, and the language chosen per request."""

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from portal import i18n
from tests.factories import make_user

ROOT = Path(__file__).resolve().parent.parent.parent
PO_FILES = sorted(ROOT.glob("**/translations/*/LC_MESSAGES/messages.po"))


def test_every_package_has_a_french_catalog():
    packages = {path.parents[3].relative_to(ROOT).as_posix() for path in PO_FILES}
    assert packages == {
        "portal", "community", "kb", "search", "moderation", "moderation/cases", "proactive",
        "dashboard", "transfer", "api",
    }  # fmt: skip


@pytest.mark.parametrize("po", PO_FILES, ids=lambda path: path.parents[3].name)
def test_every_entry_is_translated_and_compiled(po):
    with po.open("rb") as handle:
        catalog = read_po(handle)
    missing = [
        message.id
        for message in catalog
        if message.id and (not message.string or message.fuzzy or not all(message.string))
    ]
    assert missing == [], f"{po}: untranslated or fuzzy: {missing[:20]}"
    # Compared by content, not by file times: a fresh clone writes both in any order.
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: make translations-compile"
    with mo.open("rb") as handle:
        compiled = read_mo(handle)
    assert entries(compiled) == entries(catalog), (
        f"{mo} does not hold what {po.name} says: make translations-compile"
    )


def entries(catalog) -> dict:
    """(msgctxt, msgid) → msgstr, plurals as tuples (read_po and read_mo give lists or
    tuples); a message in a context ("role": "Admin") is apart from the same words
    without one."""

    def plain(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    return {
        (message.context, plain(message.id)): plain(message.string)
        for message in catalog
        if message.id
    }


def test_the_language_follows_preference_then_cookie_then_browser_then_site(client, db, auth):
    def language(**kwargs) -> str:
        page = client.get("/", **kwargs).get_data(as_text=True)
        return page.split('<html lang="', 1)[1].split('"', 1)[0]

    assert language() == "en"  # no preference anywhere: the site's default
    assert language(headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}) == "fr"
    client.get("/language?lang=en&next=/")  # the footer's switcher, signed out
    assert language(headers={"Accept-Language": "fr"}) == "en"
    make_user(db.session, "chloe", locale="fr")
    db.session.commit()
    auth.login("chloe")
    assert language(headers={"Accept-Language": "en"}) == "fr"  # her saved preference


def test_the_footer_switcher_saves_a_members_choice(client, db, auth):
    user = make_user(db.session, "jordan")
    db.session.commit()
    auth.login("jordan")
    response = client.post("/language", data={"locale": "fr", "next": "/settings"})
    assert response.status_code == 302 and response.headers["Location"] == "/settings"
    db.session.refresh(user)
    assert user.locale == "fr"
    assert client.get("/language?lang=xx").status_code == 404


def test_admins_choose_the_site_default(client, db, auth):
    from portal.permissions import Role

    make_user(db.session, "ada", role=Role.ADMIN)
    db.session.commit()
    auth.login("ada")
    assert client.post("/admin/settings", data={"locale": "fr"}).status_code == 302
    auth.logout()
    assert '<html lang="fr"' in client.get("/").get_data(as_text=True)
    assert client.post("/admin/settings", data={"locale": "fr"}).status_code == 302  # signs in


def test_sorting_ignores_accents_and_case():
    names = ["Zoé", "élise", "Elise", "adam", "Émile"]
    assert sorted(names, key=i18n.sort_key) == ["adam", "élise", "Elise", "Émile", "Zoé"]
