"""Sessions and remember cookies end at sign-out, password change, suspension and old age.

Each test plays two browsers: the user's, and one holding a copy of its cookies (a stolen
laptop, a shared computer). Users are made in their own app context (the `jordan` fixture),
so the test client's requests do not share one `g`, where Flask-Login caches the user.
"""

from datetime import timedelta

from sqlalchemy import select

from portal import service
from portal.database import utcnow
from portal.extensions import db as _db
from portal.models import User
from portal.permissions import Role
from tests.factories import PASSWORD, make_user

SESSION, REMEMBER = "session", "remember_token"
NEW_PASSWORD = {"new_password": "brand-new-pass", "confirm": "brand-new-pass"}


def sign_in(client, username: str, password: str = PASSWORD, remember: bool = True):
    data = {"identifier": username, "password": password}
    response = client.post("/login", data={**data, "remember": "y"} if remember else data)
    assert response.status_code == 302
    return response


def copy_of(client, *names: str):
    """Another browser holding copies of these cookies of the client."""
    other = client.application.test_client()
    for name in names:
        other.set_cookie(name, client.get_cookie(name).value)
    return other


def is_signed_in(client) -> bool:
    return b'class="link-button">Sign out' in client.get("/").data


def test_copied_session_and_remember_cookies_die_at_sign_out(client, jordan):
    sign_in(client, jordan)
    copied_session, copied_remember = copy_of(client, SESSION), copy_of(client, REMEMBER)
    assert is_signed_in(copied_session) and is_signed_in(copied_remember)

    client.post("/logout")

    assert not is_signed_in(client)
    page = copied_session.get("/")
    assert b"Your session has ended" in page.data and not is_signed_in(copied_session)
    assert not is_signed_in(copied_remember)
    assert copied_remember.get_cookie(REMEMBER) is None  # the refused cookie is cleared


def test_each_sign_in_gets_its_own_remember_cookie(client, jordan, monkeypatch):
    sign_in(client, jordan)
    first = client.get_cookie(REMEMBER).value
    client.post("/logout")
    later = utcnow() + timedelta(seconds=5)
    monkeypatch.setattr("portal.database.utcnow", lambda: later)
    sign_in(client, jordan)
    second = client.get_cookie(REMEMBER).value

    assert first != second
    old = client.application.test_client()
    old.set_cookie(REMEMBER, first)
    assert not is_signed_in(old)
    assert is_signed_in(copy_of(client, REMEMBER))


def test_remember_cookie_is_refused_once_older_than_its_duration(app, client, jordan, monkeypatch):
    sign_in(client, jordan)
    now, days = utcnow(), app.config["REMEMBER_COOKIE_DURATION"] // 86400
    browser_expiry = client.get_cookie(REMEMBER).expires
    assert abs(browser_expiry - (now + timedelta(days=days))) < timedelta(minutes=1)
    remembered, session_only = copy_of(client, REMEMBER), copy_of(client, SESSION)

    monkeypatch.setattr("portal.database.utcnow", lambda: now + timedelta(days=days - 1))
    assert is_signed_in(remembered)
    # The server refuses it even if a browser (or a thief) kept it past its expiry date,
    # and the session cookie it came with ages the same way.
    monkeypatch.setattr("portal.database.utcnow", lambda: now + timedelta(days=days, seconds=1))
    assert not is_signed_in(remembered) and not is_signed_in(session_only)


def test_password_change_ends_other_sessions_and_keeps_this_one(client, jordan):
    sign_in(client, jordan)
    elsewhere = client.application.test_client()
    sign_in(elsewhere, jordan, remember=False)
    old_remember = copy_of(client, REMEMBER)

    response = client.post(
        "/settings/password",
        data={"current_password": PASSWORD, **NEW_PASSWORD},
        follow_redirects=True,
    )

    assert b"Every other session of yours has been signed out" in response.data
    assert is_signed_in(client)
    assert is_signed_in(copy_of(client, REMEMBER))  # still remembered, with a new cookie
    assert not is_signed_in(elsewhere) and not is_signed_in(old_remember)


def test_refused_password_change_keeps_every_session(client, jordan):
    sign_in(client, jordan)
    elsewhere = copy_of(client, REMEMBER)
    response = client.post("/settings/password", data={"current_password": "wrong", **NEW_PASSWORD})
    assert response.status_code == 422 and b"current password is not right" in response.data
    assert is_signed_in(client) and is_signed_in(elsewhere)


def test_suspension_ends_sessions_for_good(app, client, jordan):
    sign_in(client, jordan)
    copied = copy_of(client, REMEMBER)
    admin = app.test_client()
    with app.app_context():
        make_user(_db.session, "ada", role=Role.ADMIN)
        _db.session.commit()
    sign_in(admin, "ada", remember=False)

    admin.post(
        "/admin/users/jordan/suspend",
        data={"reason": "Repeated spam", "days": "3", "confirmed": "1"},
    )
    page = client.get("/")
    assert b"Repeated spam" in page.data and not is_signed_in(client)
    admin.post("/admin/users/jordan/unsuspend")

    # Lifting the suspension does not bring the old cookies back to life.
    assert not is_signed_in(copied)
    assert not is_signed_in(client)


def test_sign_out_everywhere_from_settings(client, jordan):
    sign_in(client, jordan)
    elsewhere = client.application.test_client()
    sign_in(elsewhere, jordan)
    remembered_elsewhere = copy_of(elsewhere, REMEMBER)
    assert b"Sign out everywhere" in client.get("/settings").data

    response = client.post("/settings/sign-out-everywhere", follow_redirects=True)

    assert b"You are signed out everywhere" in response.data
    assert response.request.path == "/login"
    assert not is_signed_in(client) and not is_signed_in(elsewhere)
    assert not is_signed_in(remembered_elsewhere)
    sign_in(client, jordan)  # and the password still works
    assert is_signed_in(client)


def test_sign_out_everywhere_needs_a_session_and_a_csrf_token(app, client, jordan):
    assert client.post("/settings/sign-out-everywhere").status_code == 302  # to sign in
    sign_in(client, jordan)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/settings/sign-out-everywhere").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert is_signed_in(client)


def test_cookie_with_a_bare_user_id_is_refused(app, client, jordan):
    """Cookies issued before session tokens (the user id alone) no longer sign anyone in."""
    with app.app_context():
        user_id = _db.session.scalar(select(User.id).where(User.username == jordan))
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
    page = client.get("/")
    assert b"Your session has ended" in page.data and not is_signed_in(client)
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_new_session_token_on_password_change_and_suspension(db):
    user = make_user(db.session, "jordan")
    admin = make_user(db.session, "ada", role=Role.ADMIN)
    tokens = {user.session_token}
    service.change_password(
        db.session, user, current_password=PASSWORD, new_password="brand-new-pass"
    )
    tokens.add(user.session_token)
    service.suspend_user(db.session, admin, user, reason="Spam", days=None)
    tokens.add(user.session_token)
    service.end_sessions(db.session, user)
    tokens.add(user.session_token)
    assert len(tokens) == 4 and all(len(token) >= 32 for token in tokens)
