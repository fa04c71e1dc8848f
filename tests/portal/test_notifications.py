"""Notifications: the bell, the list, mark read, the mail outbox, and who is notified."""

import pytest
from sqlalchemy import select

from community import service, subscriptions
from portal import notifications
from portal import service as portal_service
from portal.errors import PermissionDenied
from portal.models import User
from portal.notifications import Notification
from portal.permissions import Role
from tests.factories import make_reply, make_tag, make_thread, make_user
from tests.mail_helpers import read_messages, text_of


@pytest.fixture
def outbox(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path / "outbox"))
    return tmp_path / "outbox"


def sent(outbox):
    return sorted(text_of(message) for message in read_messages(outbox))


def kinds_for(db, user):
    query = select(Notification.kind).where(Notification.user_id == user.id)
    return sorted(db.session.scalars(query))


def test_notify_writes_the_mail_only_after_commit(db, outbox):
    user = make_user(db.session, "jordan")
    notifications.notify(db.session, user, kind="test", message="Hello there", link="/x")
    assert notifications.unread_count(db.session, user) == 1
    assert sent(outbox) == []
    db.session.commit()
    [mail] = sent(outbox)
    assert "To: jordan@example.com" in mail and "Subject: Hello there" in mail and "/x" in mail
    notifications.notify(db.session, user, kind="test", message="Never sent")
    db.session.rollback()
    db.session.commit()
    assert len(sent(outbox)) == 1


def test_no_notification_for_your_own_action(db):
    user = make_user(db.session)
    assert notifications.notify(db.session, user, kind="t", message="m", actor=user) is None


def test_smtp_is_used_when_configured(app, db, monkeypatch):
    delivered = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            delivered.append((host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            delivered.append("tls")

        def login(self, username, password):
            delivered.append(username)

        def send_message(self, message):
            delivered.append(message["To"])

    monkeypatch.setattr("portal.mail.smtplib.SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SMTP_HOST", "smtp.example.com")
    monkeypatch.setitem(app.config, "MAIL_SMTP_USERNAME", "portal")
    notifications.notify(db.session, make_user(db.session, "emma"), kind="t", message="Hi")
    db.session.commit()
    assert delivered == [("smtp.example.com", 587), "tls", "portal", "emma@example.com"]


def test_bell_list_open_and_mark_all_read(client, auth, db, outbox):
    user, other = make_user(db.session, "jordan"), make_user(db.session, "emma")
    first = notifications.notify(db.session, user, kind="t", message="First news", link="/u/emma")
    notifications.notify(db.session, user, kind="t", message="Second news", link="/")
    theirs = notifications.notify(db.session, other, kind="t", message="Not yours")
    db.session.commit()
    assert client.get("/notifications/").status_code == 302
    auth.login("jordan")
    home = client.get("/")
    assert b"Notifications, 2 unread" in home.data
    page = client.get("/notifications/")
    assert b"First news" in page.data and b"Not yours" not in page.data
    opened = client.post(f"/notifications/{first.id}/open")
    assert opened.status_code == 302 and opened.headers["Location"] == "/u/emma"
    assert b"Notifications, 1 unread" in client.get("/").data
    assert client.post(f"/notifications/{theirs.id}/open").status_code == 404
    client.post("/notifications/read-all")
    assert b"Notifications, 0 unread" in client.get("/").data


def test_asker_followers_and_mentions_hear_about_replies(db, outbox):
    thread = make_thread(db.session)
    follower, mentioned = make_user(db.session), make_user(db.session, "karim")
    subscriptions.follow_thread(db.session, follower, thread)
    replier = make_user(db.session)
    make_reply(db.session, thread, author=replier, body="Ask @karim, he had this. @nobody")
    assert kinds_for(db, thread.author) == []  # the fan-out is a job: after the commit
    db.session.commit()
    assert kinds_for(db, thread.author) == ["reply"]
    assert kinds_for(db, follower) == ["followed_thread"]
    assert kinds_for(db, mentioned) == ["mention"]
    assert kinds_for(db, replier) == []  # never about your own reply
    assert len(sent(outbox)) == 3
    # The replier now follows the thread and hears about the next reply.
    make_reply(db.session, thread, body="Same here.")
    db.session.commit()
    assert kinds_for(db, replier) == ["followed_thread"]
    assert len(sent(outbox)) == 6  # three for each reply


def test_a_burst_of_notifications_is_one_email(db, outbox, app, monkeypatch):
    monkeypatch.setitem(app.config, "SITE_URL", "https://help.example.com")
    user = make_user(db.session, "jordan")
    for number in range(5):
        message, link = f"News {number}", f"/n{number}"
        notifications.notify(db.session, user, kind="t", message=message, link=link)
    db.session.commit()
    [mail] = sent(outbox)
    assert "Subject: 5 new notifications on Care Portal" in mail
    opened = "Open it on Care Portal: https://help.example.com"
    assert all(f"News {n}\n\n{opened}/n{n}" in mail for n in range(5))
    assert "https://help.example.com/settings" in mail  # how to stop them
    notifications.notify(db.session, user, kind="t", message="Later news")
    db.session.commit()
    assert len(sent(outbox)) == 2  # the next one is its own e-mail


def test_email_links_use_the_site_url_not_the_request_host(
    client, auth, db, outbox, app, monkeypatch
):
    monkeypatch.setitem(app.config, "SITE_URL", "https://help.example.com")
    thread = make_thread(db.session)
    make_user(db.session, "emma")
    db.session.commit()
    auth.login("emma")
    response = client.post(
        f"/community/threads/{thread.id}/reply",
        data={"body": "Restart the Hub, then run the line test."},
        headers={"Host": "evil.example"},
    )
    assert response.status_code == 302
    [mail] = sent(outbox)
    assert "https://help.example.com/community/threads/" in mail and "evil.example" not in mail


def test_accepting_notifies_answerer_and_asker(db):
    thread = make_thread(db.session)
    reply = make_reply(db.session, thread)
    service.accept_solution(db.session, thread.author, thread, reply)
    db.session.commit()
    assert "solution_accepted" in kinds_for(db, reply.author)
    assert kinds_for(db, thread.author) == ["reply"]  # the asker accepted it themself
    other = make_thread(db.session)
    other_reply = make_reply(db.session, other)
    agent = make_user(db.session, role=Role.AGENT)
    service.accept_solution(db.session, agent, other, other_reply)
    db.session.commit()
    assert "thread_solved" in kinds_for(db, other.author)


def test_tag_followers_hear_about_new_questions(db):
    tag = make_tag(db.session, "Cameras")
    fan = make_user(db.session)
    subscriptions.follow_tag(db.session, fan, tag)
    make_thread(db.session, tags=[tag])
    db.session.commit()
    assert kinds_for(db, fan) == ["followed_tag"]


def test_promotion_to_super_user_is_announced(db, app, monkeypatch):
    monkeypatch.setitem(app.config, "SUPERUSER_REPUTATION_THRESHOLD", 10)
    thread = make_thread(db.session)
    reply = make_reply(db.session, thread)
    service.vote(db.session, make_user(db.session), reply, 1)
    assert reply.author.role == "superuser" and "promoted" in kinds_for(db, reply.author)


def test_opting_out_of_mail_keeps_the_bell(db, outbox):
    user = make_user(db.session, "jordan")
    assert user.email_notifications
    portal_service.set_email_notifications(db.session, user, user, enabled=False)
    notifications.notify(db.session, user, kind="test", message="Bell only", link="/x")
    db.session.commit()
    assert notifications.unread_count(db.session, user) == 1 and sent(outbox) == []
    with pytest.raises(PermissionDenied):
        portal_service.set_email_notifications(
            db.session, make_user(db.session), user, enabled=True
        )


def test_settings_page_turns_mail_off_and_on(client, auth, db, outbox):
    make_user(db.session, "jordan")
    db.session.commit()
    auth.login("jordan")
    page = client.get("/settings").data.decode()
    assert "E-mail me my notifications" in page and 'name="email_notifications"' in page
    assert "checked" in page
    response = client.post("/settings/preferences", data={})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "jordan"))
    assert not user.email_notifications
    assert "checked" not in client.get("/settings").data.decode()
    client.post("/settings/preferences", data={"email_notifications": "y"})
    db.session.refresh(user)
    assert user.email_notifications


def test_line_breaks_and_controls_in_a_name_never_lose_or_split_the_email(db, outbox):
    """A display name stored before forms kept single-line fields on one line (issue #13).

    (No NUL in it: PostgreSQL never stored one, and requests can no longer bring one.)"""
    asker = make_user(db.session, "jordan")
    thread = make_thread(db.session, asker, title="Router\r\nreboots every night")
    replier = make_user(db.session, "emma", display_name="Emma\r\nBcc: x@evil.example\x1b")
    make_reply(db.session, thread, replier)
    db.session.commit()
    [mail] = sent(outbox)
    headers = mail.split("\n\n", 1)[0].splitlines()
    assert [line for line in headers if line.lower().startswith("bcc")] == []
    [subject] = [line for line in headers if line.startswith("Subject:")]
    assert "Emma Bcc: x@evil.example" in subject
