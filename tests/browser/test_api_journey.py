"""A member makes an API token in their settings, sees it once, and a script uses it; the
portal's own JavaScript calls the API with the session and the page's CSRF token."""

import re

from playwright.sync_api import Page, expect

from portal.permissions import Role
from tests.browser.helpers import sign_in
from tests.factories import make_user


def test_a_member_makes_a_token_sees_it_once_and_uses_it(live_server: str, page: Page, db):
    make_user(db.session, "jordan")
    db.session.commit()
    sign_in(page, live_server, "jordan")

    page.goto(live_server + "/settings")
    page.get_by_role("link", name="Manage your tokens").click()
    page.get_by_label("Name").fill("Home automation")
    page.get_by_label(re.compile(r"^read")).check()
    page.get_by_role("button", name="Create token").click()
    shown = page.locator("[data-new-secret]")
    expect(shown).to_have_text(re.compile(r"^cpt_[\w-]{43}$"))
    secret = shown.inner_text()
    expect(page.get_by_role("table")).to_contain_text("Home automation")

    page.goto(live_server + "/settings/tokens")  # opened again: the secret is not there
    expect(page.locator("[data-new-secret]")).to_have_count(0)
    assert secret not in page.content()

    me = page.request.get(
        live_server + "/api/v1/me", headers={"Authorization": f"Bearer {secret}"}
    ).json()
    assert me["username"] == "jordan" and me["scopes"] == ["read"]

    page.get_by_role("button", name="Revoke token Home automation").click()
    expect(page.get_by_role("status")).to_contain_text("revoked")
    revoked = page.request.get(
        live_server + "/api/v1/me", headers={"Authorization": f"Bearer {secret}"}
    )
    assert revoked.status == 401


def test_same_site_javascript_uses_the_session_and_the_csrf_header(
    live_server: str, page: Page, db
):
    make_user(db.session, "ada", role=Role.AGENT)
    db.session.commit()
    sign_in(page, live_server, "ada")
    page.goto(live_server + "/settings")
    script = """async (withToken) => {
        const token = document.querySelector('input[name=csrf_token]').value;
        const headers = {'Content-Type': 'application/json'};
        if (withToken) headers['X-CSRFToken'] = token;
        const answer = await fetch('/api/v1/tags', {
            method: 'POST', headers, body: JSON.stringify({name: withToken ? 'Fibre' : 'Copper'})});
        return [answer.status, answer.headers.get('Content-Type')];
    }"""
    assert page.evaluate(script, False) == [403, "application/problem+json"]
    assert page.evaluate(script, True)[0] == 201
