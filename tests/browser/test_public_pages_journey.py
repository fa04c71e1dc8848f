"""A visitor on pages a proxy may keep (no cookie until they act): the vote on an article
takes one click with JavaScript and one confirmation without; the language switcher works
signed out without JavaScript (portal/public_pages.py, static/public_forms.js)."""

from playwright.sync_api import Browser, Page, expect

from portal.permissions import Role
from tests.factories import make_article, make_tag, make_user


def publish_article(db) -> None:
    agent = make_user(db.session, "sam", role=Role.AGENT)
    make_article(db.session, agent, "Hub lights", tags=[make_tag(db.session, "Wi-Fi")])
    db.session.commit()


def test_a_visitor_votes_in_one_click(live_server: str, page: Page, db):
    publish_article(db)
    page.goto(live_server + "/kb/hub-lights")
    assert page.context.cookies() == []  # the page set none
    page.get_by_role("button", name="Yes").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you for your feedback.")
    expect(page.get_by_role("heading", name="Glad it helped!")).to_be_visible()


def test_without_javascript_a_visitor_confirms_once_and_switches_language(
    live_server: str, browser: Browser, db
):
    publish_article(db)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server + "/kb/hub-lights")
        page.get_by_role("button", name="Yes").click()
        expect(page.get_by_role("heading", name="Send once more")).to_be_visible()
        page.get_by_role("button", name="Send").click()
        expect(page.get_by_role("status")).to_contain_text("Thank you for your feedback.")

        page.get_by_role("link", name="Français").click()
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(page.get_by_role("heading", name="Ravis d’avoir pu vous aider")).to_be_visible()
    finally:
        context.close()
