"""E-mail verification: the link sent at registration, the resend button, a new address
confirmed before it is used, and new members' posts held until they confirm
(REQUIRE_VERIFIED_EMAIL)."""

from urllib.parse import urlsplit

from sqlalchemy import select

from community.models import PostStatus
from moderation.models import AuditEntry, QueueItem
from portal import account_tokens
from portal.models import User
from tests.factories import PASSWORD, make_tag, make_thread, make_user
from tests.mailbox import mailbox  # noqa: F401 (fixture)


def path_of(link: str) -> str:
    return urlsplit(link).path


def register(client, username="jordan", email="jordan@example.com"):
    password = "a-long-enough-password"
    data = {"username": username, "email": email, "password": password, "confirm": password}
    response = client.post("/register", data=data)
    assert response.status_code == 302
    return response


def verify_link(mailbox, email: str) -> str:  # noqa: F811
    return path_of(mailbox.link(mailbox.last_to(email), "/verify-email/"))


def test_registration_sends_a_link_that_confirms_the_address(client, db, mailbox):  # noqa: F811
    register(client)
    user = db.session.scalar(select(User).where(User.username == "jordan"))
    assert user.email_verified_at is None
    message = mailbox.last_to("jordan@example.com")
    assert "Confirm your e-mail address" in message["Subject"]
    link = verify_link(mailbox, "jordan@example.com")

    page = client.get(link)  # a mail scanner opening the link changes nothing
    assert page.status_code == 200 and "Confirm" in page.get_data(as_text=True)
    db.session.refresh(user)
    assert user.email_verified_at is None
    done = client.post(link)
    assert done.status_code == 302
    db.session.refresh(user)
    assert user.email_verified
    again = client.get(link)
    assert "is confirmed already" in again.get_data(as_text=True)


def test_the_resend_button_sends_a_fresh_link_within_limits(client, db, auth, mailbox, limits_on):  # noqa: F811
    make_user(db.session, "jordan", email="jordan@example.com", email_verified_at=None)
    db.session.commit()
    auth.login("jordan")
    settings = client.get("/settings").get_data(as_text=True)
    assert "not confirmed yet" in settings and "Send the link again" in settings
    for _attempt in range(3):  # VERIFICATION_EMAIL_RATE_LIMIT: 3 per hour
        client.post("/settings/email/verify")
    assert len(mailbox.to("jordan@example.com")) == 3
    refused = client.post("/settings/email/verify", follow_redirects=True)
    assert "Please wait a little" in refused.get_data(as_text=True)
    assert len(mailbox.to("jordan@example.com")) == 3


def test_unconfirmed_members_posts_wait_and_go_live_once_confirmed(client, db, mailbox):  # noqa: F811
    user = make_user(db.session, "jordan", email="jordan@example.com", email_verified_at=None)
    thread = make_thread(db.session, user, tags=[make_tag(db.session)])
    db.session.commit()
    question = thread.question
    assert question.status == PostStatus.HELD
    item = db.session.scalar(select(QueueItem).where(QueueItem.post_id == question.id))
    assert [hit.rule for hit in item.hits] == ["unverified_email"]
    assert client.get(f"/community/threads/{thread.id}").status_code == 404

    token = account_tokens.verification_token(user)
    assert client.post(f"/verify-email/{token}").status_code == 302
    db.session.refresh(question)
    db.session.refresh(item)
    assert question.status == PostStatus.VISIBLE and item.status == "resolved"
    assert client.get(f"/community/threads/{thread.id}").status_code == 200
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.target_id == question.id))
    assert entry.actor_id is None and "confirmed their e-mail address" in entry.reason


def test_a_post_held_for_other_reasons_keeps_waiting_for_a_moderator(client, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "MODERATION_NEW_ACCOUNT_HELD_POSTS", 2)
    user = make_user(db.session, "jordan", email="jordan@example.com", email_verified_at=None)
    thread = make_thread(db.session, user, tags=[make_tag(db.session)])
    db.session.commit()
    client.post(f"/verify-email/{account_tokens.verification_token(user)}")
    db.session.refresh(thread.question)
    assert thread.question.status == PostStatus.HELD
    item = db.session.scalar(select(QueueItem).where(QueueItem.post_id == thread.question.id))
    open_rules = [hit.rule for hit in item.hits if hit.cleared_at is None]
    assert item.status == "open" and open_rules == ["new_account"]


def test_with_the_setting_off_unconfirmed_members_post_at_once(db, app, monkeypatch):
    monkeypatch.setitem(app.config, "REQUIRE_VERIFIED_EMAIL", False)
    user = make_user(db.session, "jordan", email_verified_at=None)
    thread = make_thread(db.session, user, tags=[make_tag(db.session)])
    assert thread.question.status == PostStatus.VISIBLE


def test_a_new_address_is_used_only_once_confirmed(client, db, auth, mailbox):  # noqa: F811
    user = make_user(db.session, "jordan", email="jordan@example.com")
    make_user(db.session, "taken", email="taken@example.com")
    db.session.commit()
    old_link = f"/verify-email/{account_tokens.verification_token(user)}"
    auth.login("jordan")

    wrong = client.post("/settings/email", data={"email": "new@example.com", "password": "nope"})
    assert wrong.status_code == 422 and "new@example.com" in wrong.get_data(as_text=True)
    taken = client.post(
        "/settings/email", data={"email": "taken@example.com", "password": PASSWORD}
    )
    assert taken.status_code == 422 and "already exists" in taken.get_data(as_text=True)

    asked = client.post("/settings/email", data={"email": "New@Example.com", "password": PASSWORD})
    assert asked.status_code == 302
    db.session.refresh(user)
    assert user.email == "jordan@example.com"  # until the link is followed
    link = verify_link(mailbox, "new@example.com")
    assert client.post(link).status_code == 302
    db.session.refresh(user)
    assert user.email == "new@example.com" and user.email_verified
    told = mailbox.last_to("jordan@example.com")
    assert "changed" in told["Subject"] and "new@example.com" in mailbox.text(told)

    assert client.get(link).status_code == 410  # a change's link works once
    assert client.get(old_link).status_code == 410  # links for the old address are dead


def test_signing_in_still_works_for_unconfirmed_members(client, db, auth):
    make_user(db.session, "jordan", email_verified_at=None)
    db.session.commit()
    assert auth.login("jordan").status_code == 302
    assert "Your posts wait until you confirm" in client.get("/settings").get_data(as_text=True)
