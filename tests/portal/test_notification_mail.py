"""Notification e-mails worth reading: text and HTML from templates, in the reader's language,
with the text they are about, why they came, settings and a one-click unsubscribe."""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from community import subscriptions
from portal import digests, email_preferences, notifications
from portal.email_preferences import CATEGORIES, KIND_CATEGORY, Mode
from portal.models import User
from portal.notifications import Notification
from tests.factories import make_reply, make_thread, make_user
from tests.mail_helpers import html_of, read_messages, text_of

ROOT = Path(__file__).resolve().parents[2]
# Mails without an unsubscribe, because the person asked for them or must get them; each
# file listed here calls mail.send_later directly (see test_every_direct_sender_is_known).
TRANSACTIONAL_SENDERS = {
    "portal/notification_mail.py": "builds notifications: always with List-Unsubscribe",
    "portal/inbound/replies.py": "answers to a person's own e-mail: refusals, acknowledgements",
    "portal/recovery.py": "password reset, address confirmation, the old address told of a change",
    "moderation/cases/guest_mail.py": "a visitor's own request: its acknowledgement and answers",
}


@pytest.fixture
def outbox(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setitem(app.config, "SITE_URL", "https://help.example.com")
    monkeypatch.setitem(app.config, "MAIL_INBOUND_DOMAIN", "mail.example.com")
    return tmp_path / "outbox"


def test_a_reply_arrives_as_text_and_html_with_its_words_and_why(db, outbox):
    asker = make_user(db.session, "asker")
    thread = make_thread(db.session, asker, title="Router reboots")
    body = "Try **this**:\n\n- restart <script>alert(1)</script>\n- call us"
    make_reply(db.session, thread, make_user(db.session, "emma"), body=body)
    db.session.commit()
    [message] = read_messages(outbox)
    assert message.get_content_type() == "multipart/alternative"
    text, html = text_of(message), html_of(message)
    assert "Try **this**:" in text and "<strong>" not in text  # the text part stays plain
    assert "<strong>this</strong>" in html and "<script>" not in html and "alert" not in html
    link = f"https://help.example.com/community/threads/{thread.id}#post-"
    assert link in text and link in html
    assert "because you asked this question" in text and "because you asked" in html
    assert "https://help.example.com/settings#email-choices" in text
    assert message["Reply-To"].startswith("reply+") and "@mail.example.com" in message["Reply-To"]


def test_the_email_speaks_the_readers_language(db, outbox):
    asker = make_user(db.session, "marie", locale="fr")
    make_reply(db.session, make_thread(db.session, asker), make_user(db.session, "emma"))
    db.session.commit()
    [message] = read_messages(outbox)
    text, html = text_of(message), html_of(message)
    assert "a répondu à votre question" in message["Subject"]
    assert "Vous recevez cet e-mail parce que vous avez posé cette question." in text
    assert 'lang="fr"' in html and "Choisir les e-mails que vous recevez" in html


def test_no_notification_email_lacks_its_unsubscribe_headers(db, outbox):
    """Every kind of notification, each category and the digest carry RFC 8058 headers."""
    user = make_user(db.session, "jordan")
    kinds = [*KIND_CATEGORY, "promoted", "post_removed", "a_kind_nobody_listed"]
    for kind in kinds:
        notifications.notify(db.session, user, kind=kind, message=f"About {kind}", link="/x")
    email_preferences.set_mode(db.session, user, "follows", Mode.DAILY.value)
    db.session.commit()
    age_notifications(db, timedelta(days=2))
    digests.send_digests(db.session)
    db.session.commit()
    messages = read_messages(outbox)
    assert len(messages) == len(CATEGORIES)  # one per category, the follows as a digest
    for message in messages:
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link, mailto = (part.strip(" <>") for part in message["List-Unsubscribe"].split(","))
        assert link.startswith("https://help.example.com/unsubscribe/")
        assert mailto.startswith("mailto:unsubscribe+") and "@mail.example.com" in mailto
        assert message["Auto-Submitted"] == "auto-generated"


def test_every_direct_sender_is_known():
    """A new call of mail.send_later must decide: a notification (through notify) or a
    transactional mail listed above with its reason."""
    callers = set()
    for path in ROOT.glob("*/**/*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(("tests/", "migrations/", ".venv/")) or relative == "portal/mail.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "send_later":
                callers.add(relative)
    assert callers <= set(TRANSACTIONAL_SENDERS), callers - set(TRANSACTIONAL_SENDERS)


def unsubscribe_path(message) -> str:
    link = message["List-Unsubscribe"].split(",")[0].strip(" <>")
    return link.removeprefix("https://help.example.com")


def test_one_click_unsubscribe_needs_no_sign_in_nor_csrf(app, client, db, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    asker = make_user(db.session, "asker")
    thread = make_thread(db.session, asker)
    make_reply(db.session, thread)
    db.session.commit()
    [message] = read_messages(outbox)
    path = unsubscribe_path(message)
    page = client.get(path)  # a link scanner, or the person: asks, changes nothing
    assert page.status_code == 200 and b"Stop these e-mails" in page.data
    assert email_preferences.modes_for(db.session, asker)["replies"] == Mode.EACH
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and b"You will no longer get these e-mails" in response.data
    assert email_preferences.modes_for(db.session, asker)["replies"] == Mode.OFF
    assert client.post(path).status_code == 200  # twice: still fine
    make_reply(db.session, thread)
    db.session.commit()
    assert len(sent_to(outbox, asker)) == 1  # no more replies by e-mail …
    assert notifications.unread_count(db.session, asker) == 2  # … the bell still rings
    forged = path[:-3] + ("aaa" if not path.endswith("aaa") else "bbb")
    assert client.post(forged).status_code == 404
    other_category = path.replace("-replies-", "-mentions-")
    assert client.post(other_category).status_code == 404


def test_settings_choose_each_kind(client, auth, db, outbox):
    make_user(db.session, "jordan")
    db.session.commit()
    auth.login("jordan")
    page = client.get("/settings").data.decode()
    assert 'name="follows"' in page and "A weekly digest" in page
    choices = {name: "each" for name in CATEGORIES} | {"follows": "weekly", "mentions": "off"}
    assert client.post("/settings/emails", data=choices).status_code == 302
    user = db.session.scalar(select(User).where(User.username == "jordan"))
    modes = email_preferences.modes_for(db.session, user)
    assert modes["follows"] == Mode.WEEKLY and modes["mentions"] == Mode.OFF
    refused = client.post("/settings/emails", data=choices | {"mentions": "weekly"})
    assert refused.status_code == 422
    assert email_preferences.modes_for(db.session, user)["mentions"] == Mode.OFF


def follower_with(db, mode: str):
    thread = make_thread(db.session)
    fan = make_user(db.session, "fan")
    subscriptions.follow_thread(db.session, fan, thread)
    email_preferences.set_mode(db.session, fan, "follows", mode)
    db.session.commit()
    return thread, fan


def age_notifications(db, delta) -> None:
    for note in db.session.scalars(select(Notification)):
        note.created_at -= delta
    db.session.commit()


def sent_to(outbox, user) -> list:
    return [message for message in read_messages(outbox) if message["To"] == user.email]


def test_a_daily_digest_replaces_one_email_each(db, outbox):
    thread, fan = follower_with(db, "daily")
    for words in ("First idea", "Second idea", "Third idea"):
        make_reply(db.session, thread, body=words)
        db.session.commit()
    assert len(sent_to(outbox, thread.author)) == 3 and sent_to(outbox, fan) == []
    digests.send_digests(db.session)
    db.session.commit()
    assert sent_to(outbox, fan) == []  # not a day old yet
    age_notifications(db, timedelta(hours=25))
    digests.send_digests(db.session)
    db.session.commit()
    [digest] = sent_to(outbox, fan)
    text = text_of(digest)
    assert "daily digest" in digest["Subject"] and "3 updates" in digest["Subject"]
    assert all(words in text for words in ("First idea", "Second idea", "Third idea"))
    assert digest["List-Unsubscribe"] and "Reply-To" not in digest
    digests.send_digests(db.session)  # again (a second worker, a retry): nothing more
    db.session.commit()
    assert len(sent_to(outbox, fan)) == 1


def test_a_weekly_digest_waits_a_week_and_off_sends_nothing(db, outbox):
    thread, fan = follower_with(db, "weekly")
    make_reply(db.session, thread, body="An idea")
    db.session.commit()
    age_notifications(db, timedelta(days=2))
    digests.send_digests(db.session)
    db.session.commit()
    assert sent_to(outbox, fan) == []
    age_notifications(db, timedelta(days=6))
    digests.send_digests(db.session)
    db.session.commit()
    [digest] = sent_to(outbox, fan)
    assert "weekly digest" in digest["Subject"]
    email_preferences.set_mode(db.session, fan, "follows", "off")
    make_reply(db.session, thread, body="Another idea")
    db.session.commit()
    age_notifications(db, timedelta(days=30))
    digests.send_digests(db.session)
    db.session.commit()
    assert len(sent_to(outbox, fan)) == 1
