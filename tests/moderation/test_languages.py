"""Moderation in French and English: each reader in their own language, whoever acted."""

import importlib.util
from pathlib import Path

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from moderation import actions, audit, flags, queue, reasons, terms
from moderation.models import QueueItem, RuleHitRecord
from portal.notifications import Notification
from portal.permissions import Role
from tests.factories import make_member, make_reply, make_thread, make_user
from tests.moderation.conftest import rules_relaxed

NBSP = "\u00a0"
FRENCH = {"Accept-Language": "fr"}


def messages_of(db, user) -> list[str]:
    query = select(Notification.message).where(Notification.user_id == user.id)
    return db.session.scalars(query).all()


def test_a_rules_reason_is_stored_as_message_and_values_and_read_in_each_language(
    client, auth, db, thread
):
    post = make_reply(
        db.session, thread, make_user(db.session, "newbie"), body="Call 06 12 34 56 78"
    )
    make_user(db.session, "modo", role=Role.MODERATOR, locale="fr")
    db.session.commit()
    hit = db.session.scalar(select(RuleHitRecord).where(RuleHitRecord.rule == "personal_data"))
    assert hit.reason.startswith("Seems to show personal data (%(kinds)s)")
    assert hit.params == {"kinds": ["phone number"]}

    auth.login("modo")  # a French-speaking moderator
    page = client.get("/moderation/").get_data(as_text=True)
    assert '<html lang="fr"' in page and "File de modération" in page
    assert "Semble contenir des données personnelles (numéro de téléphone)" in page
    assert "nouveau compte" in page and "Tous les éléments ouverts" in page
    auth.logout()

    auth.login("newbie")  # the author, in English, reads the same reason in English
    thread_page = client.get(f"/community/threads/{thread.id}").get_data(as_text=True)
    assert "Why: Posts from new members are reviewed" in thread_page
    assert "Seems to show personal data (phone number)" in thread_page
    assert post.status == "held"


def test_a_french_author_is_told_of_a_removal_in_french(db, rules_on):
    with rules_relaxed(rules_on):
        post = make_reply(db.session, make_thread(db.session, title="Box en panne"))
    post.author.locale = "fr"
    reporter = make_member(db.session, "reporter")  # English, the default
    moderator = make_user(db.session, "mod", role=Role.MODERATOR)
    flags.flag_post(db.session, reporter, post, category="spam")
    item = queue.item_for(db.session, post)
    actions.remove(db.session, moderator, item, item.revision, how="hide", reason="Publicité.")

    told = messages_of(db, post.author)[0]
    assert told == (
        f"Un modérateur a retiré votre réponse dans «{NBSP}Box en panne{NBSP}»{NBSP}: "
        "Publicité. Vous pouvez faire appel une fois."
    )
    assert messages_of(db, reporter) == [
        "Your report on a post in “Box en panne”: a moderator removed it."
    ]


def test_a_refused_pattern_is_explained_in_french(client, auth, db):
    make_user(db.session, "ada", role=Role.ADMIN, locale="fr")
    db.session.commit()
    auth.login("ada")
    response = client.post("/moderation/rules", data={"term": "(q+)+$", "is_regex": "y",
                                                      "action": "hold"})  # fmt: skip
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Ce motif pourrait prendre trop de temps sur certains textes" in page
    assert f"«{NBSP}(q+)+{NBSP}»" in page and "Mots et motifs surveillés" in page


def test_the_audit_log_names_actions_in_the_readers_language(client, auth, db, thread):
    admin = make_user(db.session, "ada", role=Role.ADMIN, locale="fr")
    terms.add_term(db.session, admin, term="scam", is_regex=False, whole_word=True, action="flag")
    audit.record(db.session, admin, "someone.elses_action", target_type="user", target_id=None)
    db.session.commit()
    auth.login("ada")
    page = client.get("/moderation/audit").get_data(as_text=True)
    assert "Journal d’audit" in page and "Terme surveillé ajouté" in page
    assert "<code>someone.elses_action</code>" in page  # no label: its code
    assert ">Terme surveillé ajouté</option>" in page  # the filter too
    # Written once in the site's language (English here), kept as written.
    assert "word “scam” → flag (whole word)" in page


def test_the_site_language_writes_the_portals_own_words_in_the_log(db, rules_on, app):
    from portal.site_settings import set_site_setting

    admin = make_user(db.session, "ada", role=Role.ADMIN)
    set_site_setting(db.session, admin, "default_locale", "fr")
    record = terms.add_term(
        db.session, admin, term="arnaque", is_regex=False, whole_word=False, action="block"
    )
    entry = db.session.scalars(select(audit.AuditEntry).order_by(audit.AuditEntry.id)).all()[-1]
    assert entry.target_id == record.id
    assert entry.target_label == f"mot «{NBSP}arnaque{NBSP}» → bloquer (n’importe où)"


def test_an_edits_reason_wraps_the_rules_reason(db):
    inner = {"message": "Contains the watched term “%(term)s”", "params": {"term": "scam"}}
    english = reasons.describe("After an edit: %(reason)s", {"reason": inner})
    assert english == "After an edit: Contains the watched term “scam”"
    with force_locale("fr"):
        french = reasons.describe("After an edit: %(reason)s", {"reason": inner})
        kinds = reasons.describe(
            "Seems to show personal data (%(kinds)s); a moderator checks it to protect you",
            {"kinds": ["e-mail address", "phone number"]},
        )
    assert french == f"Après une modification{NBSP}: Contient le terme surveillé «{NBSP}scam{NBSP}»"
    assert "(adresse e-mail et numéro de téléphone)" in kinds


def test_a_free_text_reason_is_shown_as_stored(db):
    assert reasons.describe("Held by hand: 100% sure", None) == "Held by hand: 100% sure"


def test_the_migration_turns_stored_english_reasons_into_messages():
    path = next(Path("migrations/versions").glob("*_moderation_rule_hit_params.py"))
    spec = importlib.util.spec_from_file_location("rule_hit_params", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    convert = migration.message_and_params
    assert convert("Contains the watched term “scam”") == (
        "Contains the watched term “%(term)s”",
        {"term": "scam"},
    )
    assert convert("After an edit: Contains 4 links (more than 2 for new members)") == (
        "After an edit: %(reason)s",
        {
            "reason": {
                "message": "Contains %(links)d links (more than %(max)d for new members)",
                "params": {"links": 4, "max": 2},
            }
        },
    )
    personal = convert(
        "Seems to show personal data (e-mail address, phone number); "
        "a moderator checks it to protect you"
    )
    assert personal[1] == {"kinds": ["e-mail address", "phone number"]}
    assert convert("Something a person wrote") is None
    # What the migration writes, the page reads back as the rules wrote it.
    assert reasons.describe(*personal) == (
        "Seems to show personal data (e-mail address and phone number); "
        "a moderator checks it to protect you"
    )


@pytest.fixture
def held_item_for_a_french_moderator(auth, db, thread) -> QueueItem:
    """A reply held by the rules, and a French-speaking moderator signed in to handle it."""
    make_reply(db.session, thread, make_user(db.session), body="Call 06 12 34 56 78")
    make_user(db.session, "modo", role=Role.MODERATOR, locale="fr")
    db.session.commit()
    auth.login("modo")
    return db.session.scalar(select(QueueItem))


def test_held_item_page_in_french(client, held_item_for_a_french_moderator):
    item = held_item_for_a_french_moderator
    page = client.get(f"/moderation/items/{item.id}").get_data(as_text=True)
    assert "Pourquoi il est dans la file" in page and "Réponse dans" in page and "retenu" in page
    response = client.post(f"/moderation/items/{item.id}/remove", data={"revision": item.revision})
    assert response.status_code == 422
    assert "Indiquez une raison à l’auteur." in response.get_data(as_text=True)


def test_bulk_actions_answer_in_french(client, held_item_for_a_french_moderator):
    item = held_item_for_a_french_moderator
    nothing = client.post("/moderation/bulk", data={"how": "approve"}, follow_redirects=True)
    assert "Sélectionnez au moins un élément." in nothing.get_data(as_text=True)
    done = client.post(
        "/moderation/bulk",
        data={"how": "approve", "items": [f"{item.id}:{item.revision}", "999999:1"]},
        follow_redirects=True,
    )
    page = done.get_data(as_text=True)
    assert f"Approuvé{NBSP}: 1 élément." in page
    assert "L’élément 999999 n’existe pas." in page
