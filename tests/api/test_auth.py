"""Tokens (made and revoked in settings and by admins, stored hashed, shown once), scopes,
the session for same-site JavaScript with its CSRF header, and rate limits per token."""

import hashlib
import re

from sqlalchemy import select

from api import tokens
from api.models import ApiToken
from portal.extensions import db
from portal.privacy import delete_account
from tests.conftest import AuthActions
from tests.factories import PASSWORD


def test_a_member_makes_a_token_in_settings_and_sees_it_once(client, world):
    AuthActions(client).login("apicustomer")
    settings = client.get("/settings").get_data(as_text=True)
    assert "/settings/tokens" in settings
    made = client.post("/settings/tokens", data={"name": "My script", "scopes": ["read", "write"]})
    assert made.status_code == 201
    secret = re.search(r"data-new-secret>(cpt_[\w-]+)<", made.get_data(as_text=True))[1]
    stored = db.session.scalar(select(ApiToken).where(ApiToken.name == "My script"))
    # Only the fingerprint is kept, and the page never shows the secret again.
    assert stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(db.session.execute(select(ApiToken.__table__)).all())
    listing = client.get("/settings/tokens").get_data(as_text=True)
    assert secret not in listing and stored.prefix in listing
    # The token works, as its owner, with its scopes.
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).get_json()
    assert me["username"] == "apicustomer" and me["scopes"] == ["read", "write"]


def test_a_refused_token_form_keeps_the_name(client, world):
    AuthActions(client).login("apicustomer")
    refused = client.post("/settings/tokens", data={"name": "CRM sync", "scopes": ["admin"]})
    assert refused.status_code == 422
    assert 'value="CRM sync"' in refused.get_data(as_text=True)
    assert db.session.scalar(select(ApiToken).where(ApiToken.name == "CRM sync")) is None


def test_revoked_tokens_stop_working(client, world):
    AuthActions(client).login("apicustomer")
    secret = world.secrets["customer"]
    token = tokens.token_for_secret(db.session, secret)
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    # Someone else's token cannot be revoked from one's settings.
    other = tokens.token_for_secret(db.session, world.secrets["agent"])
    assert client.post(f"/settings/tokens/{other.id}/revoke").status_code == 403
    assert client.post(f"/settings/tokens/{token.id}/revoke").status_code == 302
    refused = client.get("/api/v1/me", headers=headers)
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_admin_makes_a_service_token_for_an_integration_account(client, world):
    AuthActions(client).login("apiadmin")
    made = client.post(
        "/admin/api-tokens",
        data={"name": "Helpdesk bridge", "account": "apiagent", "scopes": ["read", "cases"]},
    )
    assert made.status_code == 201
    secret = re.search(r"data-new-secret>(cpt_[\w-]+)<", made.get_data(as_text=True))[1]
    headers = {"Authorization": f"Bearer {secret}"}
    me = client.get("/api/v1/me", headers=headers).get_json()
    assert (me["username"], me["token"], me["scopes"]) == ("apiagent", "service", ["cases", "read"])
    assert client.get("/api/v1/cases", headers=headers).status_code == 200
    # Without "write" it cannot post, whatever the account's role allows.
    body = {"title": "From the bridge", "body": "Text", "tags": ["internet"]}
    refused = client.post("/api/v1/threads", json=body, headers=headers)
    assert refused.status_code == 403 and "write" in refused.get_json()["detail"]
    token = db.session.scalar(select(ApiToken).where(ApiToken.name == "Helpdesk bridge"))
    assert client.post(f"/admin/api-tokens/{token.id}/revoke").status_code == 302
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_a_deleted_accounts_tokens_stop_working(client, world):
    user = world.users["customer"]
    delete_account(db.session, user, user, password=PASSWORD)
    db.session.commit()
    assert client.get("/api/v1/me", headers=world.auth("customer")).status_code == 401


def test_scopes_are_checked_per_operation(client, world):
    agent = world.users["agent"]
    _token, read_only = tokens.create_token(db.session, agent, name="ro", scopes=["read"])
    db.session.commit()
    headers = {"Authorization": f"Bearer {read_only}"}
    assert client.get("/api/v1/articles", headers=headers).status_code == 200
    refused = client.post("/api/v1/tags", json={"name": "New"}, headers=headers)
    assert refused.status_code == 403 and refused.get_json()["type"].endswith("insufficient-scope")
    assert client.get("/api/v1/cases", headers=headers).status_code == 403


def test_bad_tokens_are_401(client, world):
    for header in ["Bearer cpt_nope", "Basic abc", "Bearer ", "Bearer " + "x" * 5000]:
        answer = client.get("/api/v1/me", headers={"Authorization": header})
        assert answer.status_code == 401, header
        assert answer.get_json()["type"].endswith("invalid-token")


def test_the_session_works_for_same_site_javascript_with_the_csrf_header(client, world, app):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = client.get("/login").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
        client.post(
            "/login", data={"identifier": "apiagent", "password": PASSWORD, "csrf_token": csrf}
        )
        assert client.get("/api/v1/me").get_json()["username"] == "apiagent"
        refused = client.post("/api/v1/tags", json={"name": "Session tag"})
        assert refused.status_code == 403 and refused.get_json()["type"].endswith(
            "csrf-token-missing"
        )
        settings = client.get("/settings").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', settings)[1]
        made = client.post(
            "/api/v1/tags", json={"name": "Session tag"}, headers={"X-CSRFToken": csrf}
        )
        assert made.status_code == 201
        # A token request needs no CSRF header, even with CSRF on.
        other = client.application.test_client()
        made = other.post("/api/v1/tags", json={"name": "Token tag"}, headers=world.auth("agent"))
        assert made.status_code == 201
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_rate_limits_count_per_token(client, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    for _ in range(3):
        assert client.get("/api/v1/tags", headers=world.auth("agent")).status_code == 200
    limited = client.get("/api/v1/tags", headers=world.auth("agent"))
    assert limited.status_code == 429 and limited.mimetype == "application/problem+json"
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.get_json()["type"].endswith("rate-limited")
    # Another token has its own count.
    assert client.get("/api/v1/tags", headers=world.auth("customer")).status_code == 200


def test_download_my_data_lists_tokens_without_secrets(client, world):
    from portal.privacy import collect_data

    data = collect_data(db.session, world.users["agent"])
    assert [token["name"] for token in data["api_tokens"]] == ["agent script"]
    assert "secret_hash" not in data["api_tokens"][0]
    assert world.secrets["agent"] not in str(data)
