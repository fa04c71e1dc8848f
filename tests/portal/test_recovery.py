"""Password reset: one answer for every address, links that work once and expire, limits,
and every other session ended."""

import statistics
import time
from urllib.parse import urlsplit

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from portal import account_tokens
from portal.extensions import db as _db
from portal.jobs.models import Job
from portal.models import User
from tests.factories import PASSWORD, make_user
from tests.mailbox import mailbox  # noqa: F401 (fixture)

NEW_PASSWORD = "a-brand-new-password"


def path_of(link: str) -> str:
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def ask_reset(client, email: str):
    return client.post("/forgot-password", data={"email": email})


def reset_link(client, mailbox, email: str) -> str:  # noqa: F811
    assert ask_reset(client, email).status_code == 200
    return path_of(mailbox.link(mailbox.last_to(email), "/reset-password/"))


def choose(client, link: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    return client.post(link, data={"new_password": password, "confirm": confirm or password})


def test_the_sign_in_page_links_to_the_reset(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Forgot your password?" in page and 'href="/forgot-password"' in page


def test_the_same_answer_whether_or_not_the_address_has_an_account(client, db, mailbox):  # noqa: F811
    make_user(db.session, "ana", email="ana@example.com")
    db.session.commit()
    known = ask_reset(client, "ana@example.com")
    unknown = ask_reset(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 200
    normalise = lambda response, email: response.get_data(as_text=True).replace(email, "…")  # noqa: E731
    assert normalise(known, "ana@example.com") == normalise(unknown, "nobody@example.com")
    assert [m["To"] for m in mailbox.messages()] == ["ana@example.com"]
    assert "Choose a new password" in mailbox.last_to("ana@example.com")["Subject"]


def test_both_answers_do_the_same_work_in_the_request(client, app, db, monkeypatch):
    """The request records one job either way; only the worker looks the address up.
    Measured here too: the median times of the two kinds of request."""
    monkeypatch.setitem(app.config, "JOBS_INLINE", False)  # leave the jobs to a worker
    make_user(db.session, "ana", email="ana@example.com")
    db.session.commit()
    timings = {"ana@example.com": [], "nobody@example.com": []}
    for _round in range(15):
        for email, spent in timings.items():
            started = time.perf_counter()
            assert ask_reset(client, email).status_code == 200
            spent.append(time.perf_counter() - started)
    payloads = [job.payload["email"] for job in db.session.scalars(select(Job).order_by(Job.id))]
    assert payloads.count("ana@example.com") == payloads.count("nobody@example.com") == 15
    known, unknown = (statistics.median(t) for t in timings.values())
    print(f"median reset request: known {known * 1000:.1f} ms, unknown {unknown * 1000:.1f} ms")
    assert abs(known - unknown) < max(0.5 * min(known, unknown), 0.01)


def test_the_link_sets_the_password_signs_in_and_ends_other_sessions(app, mailbox):  # noqa: F811
    # The user is made in an app context of its own: the clients' requests must not share
    # the test's `g`, where Flask-Login caches the signed-in user.
    with app.app_context():
        make_user(_db.session, "ana", email="ana@example.com", email_verified_at=None)
        _db.session.commit()
    elsewhere, here = app.test_client(), app.test_client()
    elsewhere.post("/login", data={"identifier": "ana", "password": PASSWORD})
    assert elsewhere.get("/settings").status_code == 200

    link = reset_link(here, mailbox, "ana@example.com")
    form = here.get(link)
    assert form.status_code == 200 and form.headers["Referrer-Policy"] == "no-referrer"
    done = choose(here, link)
    assert done.status_code == 302 and urlsplit(done.location).path == "/"
    assert here.get("/settings").status_code == 200  # signed in here
    assert elsewhere.get("/settings").status_code == 302  # ended there

    with app.app_context():
        user = _db.session.scalar(select(User).where(User.username == "ana"))
        assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)
        assert user.email_verified  # the link reached the address: it is the owner's


def test_a_link_works_once(client, db, mailbox):  # noqa: F811
    make_user(db.session, "ana", email="ana@example.com")
    db.session.commit()
    link = reset_link(client, mailbox, "ana@example.com")
    assert choose(client, link).status_code == 302
    client.post("/logout")
    again = client.get(link)
    assert again.status_code == 410 and "used already" in again.get_data(as_text=True)
    assert choose(client, link, "yet-another-password").status_code == 410


def test_a_newer_password_kills_older_links(client, db, mailbox):  # noqa: F811
    make_user(db.session, "ana", email="ana@example.com")
    db.session.commit()
    first = reset_link(client, mailbox, "ana@example.com")
    second = reset_link(client, mailbox, "ana@example.com")
    assert choose(client, second).status_code == 302
    assert client.get(first).status_code == 410


def test_an_expired_link_is_refused(client, app, db, monkeypatch):
    user = make_user(db.session, "ana", email="ana@example.com")
    db.session.commit()
    minutes = app.config["PASSWORD_RESET_MAX_AGE_MINUTES"]
    issued = int(time.time()) - minutes * 60 - 5
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: issued)
    token = account_tokens.reset_token(user)
    monkeypatch.undo()
    refused = client.get(f"/reset-password/{token}")
    assert refused.status_code == 410 and "expired" in refused.get_data(as_text=True)


def test_a_tampered_or_foreign_link_is_refused(client, app, db):
    user = make_user(db.session, "ana", email="ana@example.com")
    db.session.commit()
    token = account_tokens.reset_token(user)
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert client.get(f"/reset-password/{tampered}").status_code == 410
    assert client.get("/reset-password/nonsense").status_code == 410
    # A verification link is not a reset link: each purpose signs under its own salt.
    verify = account_tokens.verification_token(user)
    assert client.get(f"/reset-password/{verify}").status_code == 410


def test_the_new_password_follows_the_registration_rules(client, db, mailbox):  # noqa: F811
    make_user(db.session, "ana", email="ana@example.com")
    db.session.commit()
    link = reset_link(client, mailbox, "ana@example.com")
    short = choose(client, link, "short")
    assert short.status_code == 422 and "Use at least 8 characters" in short.get_data(as_text=True)
    differ = choose(client, link, NEW_PASSWORD, "something-else-entirely")
    assert differ.status_code == 422 and "The passwords differ." in differ.get_data(as_text=True)
    assert choose(client, link).status_code == 302  # the link survived the refusals


def test_asking_is_rate_limited_per_address_and_per_network(client, db, limits_on, mailbox):  # noqa: F811
    make_user(db.session, "ana", email="ana@example.com")
    db.session.commit()
    for _attempt in range(3):  # PASSWORD_RESET_EMAIL_RATE_LIMIT: 3 per hour
        assert ask_reset(client, "ana@example.com").status_code == 200
    refused = ask_reset(client, "ANA@example.com")
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert "ANA@example.com" in refused.get_data(as_text=True)  # what was typed is kept
    assert len(mailbox.to("ana@example.com")) == 3
    # The network's own limit (5 per hour) counts every address.
    assert ask_reset(client, "other@example.com").status_code == 200
    assert ask_reset(client, "third@example.com").status_code == 200
    assert ask_reset(client, "fourth@example.com").status_code == 429


def test_a_suspended_member_may_reset_but_is_not_signed_in(client, db, mailbox):  # noqa: F811
    from datetime import timedelta

    from portal.database import utcnow

    make_user(
        db.session,
        "ana",
        email="ana@example.com",
        suspended_at=utcnow(),
        suspended_until=utcnow() + timedelta(days=2),
        suspension_reason="Spam",
    )
    db.session.commit()
    link = reset_link(client, mailbox, "ana@example.com")
    done = choose(client, link)
    assert urlsplit(done.location).path == "/login"
    assert client.get("/settings").status_code == 302


@pytest.mark.parametrize("email", ["", "not-an-address"])
def test_a_bad_address_is_a_form_error(client, email):
    response = ask_reset(client, email)
    assert response.status_code == 422


def test_deleted_accounts_get_nothing(client, db, mailbox):  # noqa: F811
    user = make_user(db.session, "ana", email="ana@example.com")
    from portal import privacy

    privacy.delete_account(db.session, user, user, password=PASSWORD)
    db.session.commit()
    assert ask_reset(client, "ana@example.com").status_code == 200
    assert mailbox.messages() == []
    assert db.session.scalar(select(func.count(User.id))) == 1
