"""Sign-up, sign-in, profiles, settings, admin pages and error pages over HTTP."""

from sqlalchemy import select

from portal import create_app
from portal.models import User
from portal.permissions import Role
from tests.factories import PASSWORD, make_user

NEW_USER = {
    "username": "jordan",
    "email": "jordan@example.com",
    "password": PASSWORD,
    "confirm": PASSWORD,
}


def test_register_signs_in_and_shows_profile(client, db):
    response = client.post("/register", data=NEW_USER, follow_redirects=True)
    assert response.status_code == 200
    assert b"Welcome, jordan" in response.data and b"@jordan" in response.data
    assert db.session.scalar(select(User).where(User.username == "jordan")).role == "customer"


def test_register_duplicate_keeps_what_was_typed(client, db):
    make_user(db.session, "jordan")
    db.session.commit()
    response = client.post("/register", data={**NEW_USER, "email": "new@example.com"})
    assert response.status_code == 422
    assert b"That username is taken." in response.data
    assert b'value="new@example.com"' in response.data and b'value="jordan"' in response.data


def test_register_rejects_overlong_and_mismatched_fields(client):
    response = client.post(
        "/register",
        data={
            **NEW_USER,
            "username": "x" * 200,
            "email": "a" * 300 + "@x.test",
            "confirm": "other",
        },
    )
    assert response.status_code == 422
    assert response.data.count(b'class="error"') == 3


def test_login_logout_and_remember_me(client, db):
    make_user(db.session, "jordan")
    db.session.commit()
    response = client.post(
        "/login", data={"identifier": "jordan", "password": PASSWORD, "remember": "y"}
    )
    assert response.status_code == 302
    assert "remember_token" in response.headers.get("Set-Cookie", "") or any(
        "remember_token" in header for header in response.headers.getlist("Set-Cookie")
    )
    assert b"Sign out" in client.get("/").data
    client.post("/logout")
    assert b"Sign in" in client.get("/").data


def test_wrong_password_gives_one_generic_message(auth, db):
    make_user(db.session, "jordan")
    db.session.commit()
    wrong = auth.login("jordan", "nope")
    unknown = auth.login("ghost", "nope")
    assert wrong.status_code == unknown.status_code == 422
    assert b"Wrong username/e-mail or password." in wrong.data
    assert b"Wrong username/e-mail or password." in unknown.data
    assert b'value="jordan"' in wrong.data


def test_sixth_quick_attempt_gets_429_with_the_form(auth, db):
    make_user(db.session, "jordan")
    db.session.commit()
    for _ in range(5):
        assert auth.login("jordan", "nope").status_code == 422
    response = auth.login("jordan")
    assert response.status_code == 429 and response.headers["Retry-After"] == "2"
    assert b"Too many failed sign-in attempts. Wait 2 seconds" in response.data
    assert b'value="jordan"' in response.data  # the form, with what was typed


def test_a_browser_that_signed_in_before_gets_through_a_spray(app, client, jordan):
    """The known-device cookie: the owner on a new network, while the account is sprayed."""
    home, cafe = {"REMOTE_ADDR": "192.0.2.10"}, {"REMOTE_ADDR": "192.0.2.99"}
    login = {"identifier": jordan, "password": PASSWORD}
    assert client.post("/login", data=login, environ_base=home).status_code == 302
    client.post("/logout")
    attacker = app.test_client()
    wrong = {"identifier": jordan, "password": "guess"}
    for address in range(5):
        elsewhere = {"REMOTE_ADDR": f"203.0.113.{address}"}
        for _ in range(4):
            assert attacker.post("/login", data=wrong, environ_base=elsewhere).status_code == 422
    assert app.test_client().post("/login", data=login, environ_base=cafe).status_code == 429
    assert client.post("/login", data=login, environ_base=cafe).status_code == 302
    forged = app.test_client()  # a made-up cookie, on yet another network
    forged.set_cookie("known_device", "WzFd.forged")
    airport = {"REMOTE_ADDR": "192.0.2.200"}
    assert forged.post("/login", data=login, environ_base=airport).status_code == 429


def test_next_parameter_only_stays_on_site(auth, client, db):
    make_user(db.session, "jordan")
    db.session.commit()
    for target in [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "/%09/evil.example",  # browsers drop the tab
        "/%0D%0ASet-Cookie:%20a=b",  # a header cannot carry it: was a 500
        "/%00",
    ]:
        response = client.post(
            f"/login?next={target}", data={"identifier": "jordan", "password": PASSWORD}
        )
        assert response.headers["Location"] == "/", target
        client.post("/logout")
    response = client.post(
        "/login?next=/settings", data={"identifier": "jordan", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/settings"


def test_login_required_page_sends_visitors_to_sign_in(client):
    response = client.get("/settings")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_suspended_user_is_signed_out_and_told_why(auth, client, db):
    user = make_user(db.session, "jordan")
    db.session.commit()
    auth.login("jordan")
    admin = make_user(db.session, role=Role.ADMIN)
    from portal import service

    service.suspend_user(db.session, admin, db.session.merge(user), reason="Repeated spam", days=3)
    db.session.commit()
    page = client.get("/", follow_redirects=True)
    assert b"suspended" in page.data and b"Repeated spam" in page.data
    assert b"Sign in" in page.data
    response = auth.login("jordan")
    assert response.status_code == 422 and b"Repeated spam" in response.data


def test_profile_and_settings(auth, client, db):
    make_user(db.session, "jordan")
    db.session.commit()
    assert client.get("/u/jordan").status_code == 200
    assert client.get("/u/nobody").status_code == 404
    auth.login("jordan")
    response = client.post(
        "/settings/profile",
        data={"display_name": "Jordan Lee", "bio": "Fibre fan"},
        follow_redirects=True,
    )
    assert b"Jordan Lee" in response.data and b"Fibre fan" in response.data
    too_long = client.post("/settings/profile", data={"display_name": "J" * 81, "bio": "kept text"})
    assert too_long.status_code == 422 and b"kept text" in too_long.data
    wrong = client.post(
        "/settings/password",
        data={
            "current_password": "bad",
            "new_password": "brand-new-pass",
            "confirm": "brand-new-pass",
        },
    )
    assert wrong.status_code == 422 and b"current password is not right" in wrong.data
    ok = client.post(
        "/settings/password",
        data={
            "current_password": PASSWORD,
            "new_password": "brand-new-pass",
            "confirm": "brand-new-pass",
        },
    )
    assert ok.status_code == 302
    client.post("/logout")
    assert auth.login("jordan", "brand-new-pass").status_code == 302


def test_admin_changes_role_and_suspends(auth, client, db):
    make_user(db.session, "ada", role=Role.ADMIN)
    make_user(db.session, "jordan")
    db.session.commit()
    auth.login("ada")
    assert b"jordan" in client.get("/admin/users?q=jord").data
    client.post("/admin/users/jordan/role", data={"role": "superuser"})  # not asked
    refused = client.post("/admin/users/ada/role", data={"role": "customer", "confirmed": "1"})
    assert refused.status_code == 422 and b"cannot change your own role" in refused.data
    no_reason = client.post("/admin/users/jordan/suspend", data={"reason": "", "days": "3"})
    assert no_reason.status_code == 422
    asked = client.post("/admin/users/jordan/suspend", data={"reason": "Abusive", "days": "3"})
    assert asked.status_code == 200 and b"Suspend jordan?" in asked.data
    client.post(
        "/admin/users/jordan/suspend",
        data={"reason": "Abusive replies", "days": "3", "confirmed": "1"},
    )
    jordan = db.session.scalar(select(User).where(User.username == "jordan"))
    assert jordan.role == "superuser" and jordan.is_suspended
    client.post("/admin/users/jordan/unsuspend")
    db.session.refresh(jordan)
    assert not jordan.is_suspended


def test_post_without_csrf_token_gets_the_400_page(app, client, db):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/login", data={"identifier": "x", "password": "y"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert b"Reload the page and try again" in response.data and b"site-header" in response.data


def test_error_pages_share_the_layout(client, database_url):
    response = client.get("/no-such-page")
    assert (
        response.status_code == 404
        and b"Page not found" in response.data
        and b"site-header" in response.data
    )

    # A fresh app, because routes cannot be added once the shared one has served requests.
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url})

    @app.route("/__boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/__boom")
    assert response.status_code == 500 and b"Something went wrong" in response.data


def test_healthz(client, app, monkeypatch):
    assert client.get("/healthz").json == {"status": "ok", "database": "ok"}
    from portal.extensions import db

    def broken(*args, **kwargs):
        raise ConnectionError("database down")

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json["status"] == "unavailable"
