"""Sign in with the company's identity provider: Chromium follows the real redirects to a
provider on localhost (tests/oidc_provider.py) and back."""

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.models import User
from portal.permissions import Role
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider


@pytest.fixture
def provider(app, monkeypatch):
    started = Provider().start()
    for name, value in {
        "OIDC_DISCOVERY_URL": started.discovery_url,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_BUTTON_LABEL": "Acme ID",
        "OIDC_ROLES_CLAIM": "groups",
        "OIDC_ROLE_MAPPING": {"support-staff": "agent"},
    }.items():
        monkeypatch.setitem(app.config, name, value)
    yield started
    started.stop()


def test_staff_member_signs_in_with_the_provider(live_server: str, page: Page, db, provider):
    provider.user = {
        "sub": "emp-42",
        "email": "sam@acme.example",
        "email_verified": True,
        "preferred_username": "sam",
        "name": "Sam Varga",
        "groups": ["support-staff"],
    }
    page.goto(live_server + "/login")
    page.get_by_role("link", name="Sign in with Acme ID").click()
    expect(page.get_by_role("status")).to_contain_text("Signed in as Sam Varga")
    expect(page.get_by_role("link", name="Agent desk")).to_be_visible()  # the mapped role
    assert provider.token_requests and provider.token_requests[-1]["code_verifier"]
    sam = db.session.scalar(select(User).where(User.email == "sam@acme.example"))
    assert sam.role == Role.AGENT and sam.email_verified
