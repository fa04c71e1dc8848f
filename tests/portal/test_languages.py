"""The foundation in French: a member's settings and e-mails, admins' pages, roles, commands."""

from email import message_from_bytes, policy

from sqlalchemy import select

from portal import demo, notifications
from portal.i18n import N_
from portal.models import User
from portal.permissions import Role
from tests.factories import make_user
from tests.portal.test_notifications import outbox  # noqa: F401 (a fixture)

NBSP = "\u00a0"


def test_a_french_speaking_member_gets_the_settings_page_in_french(client, auth, db):
    make_user(db.session, "chloe", locale="fr")
    db.session.commit()
    auth.login("chloe")
    page = client.get("/settings", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert "<h1>Vos réglages</h1>" in page
    assert "Langue, notifications et fuseau horaire" in page
    assert "Recevoir mes notifications par e-mail" in page
    assert '<option selected value="">Détecter depuis mon navigateur</option>' in page
    assert '<option selected value="fr">Français</option>' in page
    assert f"Fuseau horaire de votre navigateur{NBSP}:" in page
    # Saving keeps her language, and the message speaks it.
    saved = client.post(
        "/settings/preferences",
        data={"locale": "fr", "time_zone": "Europe/Paris"},
        follow_redirects=True,
    )
    assert (
        f"Préférences enregistrées{NBSP}: notifications gardées sous la cloche, heures dans le "
        "fuseau Europe/Paris."
    ) in saved.get_data(as_text=True)
    assert db.session.scalar(select(User.locale).where(User.username == "chloe")) == "fr"


def test_choosing_english_in_the_settings_answers_in_english(client, auth, db):
    make_user(db.session, "chloe", locale="fr")
    db.session.commit()
    auth.login("chloe")
    saved = client.post("/settings/preferences", data={"locale": "en"}, follow_redirects=True)
    page = saved.get_data(as_text=True)
    assert '<html lang="en">' in page and "Preferences saved: notifications kept" in page


def test_a_french_speaking_member_is_e_mailed_in_french(db, outbox):  # noqa: F811
    chloe = make_user(db.session, "chloe", display_name="Chloé", locale="fr")
    jordan = make_user(db.session, "jordan")
    welcome = N_("Thank you: %(email)s is confirmed.")  # any message of the catalogs
    for user in (chloe, chloe, jordan):
        notifications.notify(
            db.session, user, kind="test", message=welcome, params={"email": "ada@example.com"}
        )
    db.session.commit()
    mails = {mail["To"]: mail for mail in map(read_mail, sorted(outbox.glob("*.eml")))}
    french, english = mails["chloe@example.com"], mails["jordan@example.com"]
    assert french["Subject"] == "2 nouvelles notifications sur Care Portal"
    body = french.get_body(("plain",)).get_content()
    assert f"Merci{NBSP}: ada@example.com est confirmée." in body
    assert f"\nToutes vos notifications{NBSP}: http" in body
    assert "Toutes vos notifications</a>" in french.get_body(("html",)).get_content()
    assert english["Subject"] == "Thank you: ada@example.com is confirmed."


def read_mail(path):
    return message_from_bytes(path.read_bytes(), policy=policy.default)


def test_roles_and_the_admins_pages_speak_french(client, auth, db):
    make_user(db.session, "ada", role=Role.ADMIN, locale="fr")
    make_user(db.session, "morgan", role=Role.MODERATOR)
    db.session.commit()
    auth.login("ada")
    users = client.get("/admin/users").get_data(as_text=True)
    assert "<h1>Utilisateurs</h1>" in users and "<td>Modérateur</td>" in users
    assert '<option value="superuser" >Super-utilisateur</option>' in users
    detail = client.get("/admin/users/morgan").get_data(as_text=True)
    assert '<option selected value="moderator">Modérateur</option>' in detail
    changed = client.post(
        "/admin/users/morgan/role", data={"role": "agent", "confirmed": "1"}, follow_redirects=True
    )
    assert f"Nouveau rôle de morgan{NBSP}: Agent." in changed.get_data(as_text=True)


def test_commands_speak_the_terminals_language(runner, db):
    french = {"LC_ALL": "fr_FR.UTF-8"}
    listed = runner.invoke(args=["jobs", "list"], env=french)
    assert listed.output.startswith(f"en attente{NBSP}: 0, en cours{NBSP}: 0")
    assert runner.invoke(args=["jobs", "list"], env={"LC_ALL": "C.UTF-8"}).output.startswith(
        "pending 0, running 0"
    )
    short = runner.invoke(
        args=["create-admin", "root", "r@example.com", "--password", "x"], env=french
    )
    assert short.exit_code != 0 and "Choisissez un mot de passe d’au moins" in short.output


def test_the_demos_french_speakers_see_the_portal_in_french(runner, db):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    locales = dict(db.session.execute(select(User.username, User.locale)).all())
    assert locales["nina"] == locales["chloe"] == "fr"
    assert {locales[name] for name, *_ in demo.DEMO_USERS if name not in demo.FRENCH_SPEAKERS} == {
        None
    }
