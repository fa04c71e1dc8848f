"""Single sign-on end to end: the portal's real redirects to a provider running on
localhost (tests/oidc_provider.py), its token endpoint and keys over HTTP, back to the
portal's callback. The browser's part is played by the test client (the portal) and
requests (the provider)."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import func, select

from portal.models import SsoIdentity, User
from portal.permissions import Role
from tests.factories import PASSWORD, make_user
from tests.mailbox import mailbox  # noqa: F401 (fixture)
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider


@pytest.fixture
def provider(app, monkeypatch):
    started = Provider().start()
    settings = {
        "OIDC_DISCOVERY_URL": started.discovery_url,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_BUTTON_LABEL": "Acme ID",
        "OIDC_ROLES_CLAIM": "groups",
        "OIDC_ROLE_MAPPING": {"support-staff": "agent", "portal-admins": "admin"},
    }
    for name, value in settings.items():
        monkeypatch.setitem(app.config, name, value)
    yield started
    started.stop()


def sign_in_with_provider(client, provider):
    """The round trip: portal → provider (approves) → portal's callback. The callback's
    response."""
    start = client.get("/sso/login")
    assert start.status_code == 302
    at_provider = requests.get(start.location, allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    assert back.path == "/sso/callback"
    return client.get(f"{back.path}?{back.query}")


def signed_in_name(client) -> str | None:
    page = client.get("/settings")
    return None if page.status_code != 200 else page.get_data(as_text=True)


def test_the_sign_in_page_offers_the_provider_only_when_configured(
    client, app, provider, monkeypatch
):
    assert "Sign in with Acme ID" in client.get("/login").get_data(as_text=True)
    monkeypatch.setitem(app.config, "OIDC_DISCOVERY_URL", "")
    assert "Sign in with" not in client.get("/login").get_data(as_text=True)
    assert client.get("/sso/login").status_code == 404


def test_a_new_member_signs_in_with_state_nonce_and_pkce(client, db, provider):
    provider.user = {
        "sub": "alice-1",
        "email": "Alice@Example.com",
        "email_verified": True,
        "preferred_username": "alice",
        "name": "Alice Martin",
    }
    done = sign_in_with_provider(client, provider)
    assert done.status_code == 302 and urlsplit(done.location).path == "/"

    asked = provider.authorize_requests[-1]
    assert asked["code_challenge_method"] == "S256" and asked["state"] and asked["nonce"]
    assert "openid" in asked["scope"].split()
    assert provider.token_requests[-1]["code_verifier"]  # the provider checked it
    user = db.session.scalar(select(User).where(User.email == "alice@example.com"))
    assert user.username == "alice" and user.display_name == "Alice Martin"
    assert user.email_verified and user.role == Role.CUSTOMER
    assert "alice@example.com" in signed_in_name(client)

    # Next time the same subject finds the same account, whatever the address says.
    client.post("/logout")
    provider.user = {**provider.user, "email": "alice.new@example.com"}
    sign_in_with_provider(client, provider)
    assert db.session.scalar(select(func.count(User.id))) == 1
    assert db.session.scalar(select(func.count(SsoIdentity.id))) == 1


def test_an_existing_account_is_linked_by_verified_address_only(client, db, provider):
    member = make_user(db.session, "bruno", email="bruno@example.com")
    db.session.commit()
    provider.user = {"sub": "b-7", "email": "bruno@example.com", "email_verified": False}
    refused = sign_in_with_provider(client, provider)
    assert urlsplit(refused.location).path == "/login"
    assert "has not verified it" in client.get("/login").get_data(as_text=True)
    assert signed_in_name(client) is None

    provider.user = {**provider.user, "email_verified": True}
    sign_in_with_provider(client, provider)
    assert "bruno@example.com" in signed_in_name(client)
    assert db.session.scalar(select(func.count(User.id))) == 1
    identity = db.session.scalar(select(SsoIdentity))
    assert identity.user_id == member.id and identity.issuer == provider.url


def test_linking_an_unconfirmed_account_takes_its_password_away(client, db, auth, provider):
    """Someone may have signed up with another person's address: once the provider shows
    whose it is, the squatter's password and sessions stop working."""
    make_user(db.session, "squatter", email="carla@example.com", email_verified_at=None)
    db.session.commit()
    provider.user = {"sub": "c-1", "email": "carla@example.com", "email_verified": True}
    sign_in_with_provider(client, provider)
    assert "carla@example.com" in signed_in_name(client)
    user = db.session.scalar(select(User).where(User.username == "squatter"))
    db.session.refresh(user)
    assert user.email_verified and not user.check_password(PASSWORD)


def test_roles_come_from_the_claim(client, db, provider):
    provider.user = {
        "sub": "d-1",
        "email": "dana@example.com",
        "email_verified": True,
        "groups": ["everyone", "support-staff"],
    }
    sign_in_with_provider(client, provider)
    dana = db.session.scalar(select(User).where(User.email == "dana@example.com"))
    assert dana.role == Role.AGENT

    client.post("/logout")
    provider.user = {**provider.user, "groups": ["everyone"]}  # the provider took it away
    sign_in_with_provider(client, provider)
    db.session.refresh(dana)
    assert dana.role == Role.CUSTOMER


@pytest.mark.parametrize("tamper", ["nonce", "audience", "signature"])
def test_a_bad_id_token_signs_nobody_in(client, db, provider, tamper):
    provider.tamper = tamper
    done = sign_in_with_provider(client, provider)
    assert done.status_code == 302 and urlsplit(done.location).path == "/login"
    assert "did not work" in client.get("/login").get_data(as_text=True)
    assert signed_in_name(client) is None
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_a_forged_or_replayed_callback_is_refused(client, db, provider):
    start = client.get("/sso/login")
    at_provider = requests.get(start.location, allow_redirects=False, timeout=10)
    back = urlsplit(at_provider.headers["Location"])
    code = parse_qs(back.query)["code"][0]
    forged = client.get(f"/sso/callback?code={code}&state=not-mine")
    assert urlsplit(forged.location).path == "/login"
    assert client.get(f"{back.path}?{back.query}").status_code == 302  # the real one works
    assert signed_in_name(client) is not None
    client.post("/logout")
    replayed = client.get(f"{back.path}?{back.query}")  # state used, code spent
    assert urlsplit(replayed.location).path == "/login"
    assert signed_in_name(client) is None


def test_an_unreachable_provider_is_a_message_not_an_error(client, app, provider, monkeypatch):
    unreachable = "http://127.0.0.1:9/.well-known/openid-configuration"
    monkeypatch.setitem(app.config, "OIDC_DISCOVERY_URL", unreachable)
    response = client.get("/sso/login")
    assert response.status_code == 302 and urlsplit(response.location).path == "/login"


def test_sign_up_can_be_closed(client, app, db, provider, monkeypatch):
    monkeypatch.setitem(app.config, "OIDC_ALLOW_SIGNUP", False)
    provider.user = {"sub": "e-1", "email": "eve@example.com", "email_verified": True}
    sign_in_with_provider(client, provider)
    assert "no account here" in client.get("/login").get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_the_tie_is_in_the_data_export_and_goes_with_the_account(client, db, provider):
    from portal import privacy

    provider.user = {"sub": "f-1", "email": "fay@example.com", "email_verified": True}
    sign_in_with_provider(client, provider)
    fay = db.session.scalar(select(User).where(User.email == "fay@example.com"))
    data = privacy.collect_data(db.session, fay)
    assert data["single_sign_on"][0]["subject"] == "f-1"
    assert data["account"]["email_verified_at"] is not None
    admin = make_user(db.session, "ada", role=Role.ADMIN)
    privacy.delete_account(db.session, admin, fay, reason="asked by phone")
    db.session.commit()
    assert db.session.scalar(select(func.count(SsoIdentity.id))) == 0


def test_a_new_account_with_an_unverified_address_is_asked_to_confirm_it(
    client,
    db,
    provider,
    mailbox,  # noqa: F811
):
    provider.user = {"sub": "g-1", "email": "gus@example.com", "email_verified": False}
    sign_in_with_provider(client, provider)
    gus = db.session.scalar(select(User).where(User.email == "gus@example.com"))
    assert gus is not None and not gus.email_verified
    assert "/verify-email/" in mailbox.text(mailbox.last_to("gus@example.com"))
