"""A moderator works the queue from the list (approve one item in place), suspends a
spammer whose held posts then leave the queue, and reads their own actions — on a
desktop and on a phone."""

import pytest
from playwright.sync_api import Browser, expect

from portal.config import Config
from portal.permissions import Role
from tests.browser.helpers import sign_in
from tests.factories import make_reply, make_tag, make_thread, make_user
from tests.moderation.conftest import RULE_SETTINGS, rules_relaxed

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 800}}


@pytest.fixture
def rules_on(app, monkeypatch):
    for key in RULE_SETTINGS:
        monkeypatch.setitem(app.config, key, getattr(Config, key))
    return app.config


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_per_item_actions_suspension_clears_held_posts_own_audit(
    live_server: str, browser: Browser, db, rules_on, viewport
):
    s = db.session
    tag = make_tag(s, "Router")
    with rules_relaxed(rules_on):
        threads = [make_thread(s, title=f"Hub question number {n}", tags=[tag]) for n in range(3)]
    newbie = make_user(s, "newbie", display_name="New Member")
    make_reply(s, threads[0], newbie, body="Same here, write to me at new@example.com")
    spammer = make_user(s, "spammer", display_name="Cheap Deals")
    for thread in threads[1:]:
        make_reply(s, thread, spammer, body=f"Cheap boosters! deals@example.com ({thread.id})")
    make_user(s, "morgan", role=Role.MODERATOR, display_name="Morgan Reyes")
    s.commit()

    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    try:
        sign_in(page, live_server, "morgan")
        page.goto(f"{live_server}/moderation/")
        expect(page.locator(".mod-item")).to_have_count(3)
        # The new member's reply is fine: approved from the list, which stays open.
        first = page.locator(".mod-item").filter(has_text="new@example.com")
        first.get_by_role("button", name="Approve item").click()
        expect(page.get_by_role("status")).to_contain_text("Approved")
        expect(page.locator(".mod-item")).to_have_count(2)
        # One of the spammer's posts: suspending him takes both out of the queue.
        page.locator(".mod-item").first.get_by_role("link").first.click()
        page.get_by_label("Reason (shown to the member)").fill("Spam")
        page.get_by_role("button", name="Suspend the author").click()
        page.get_by_role("button", name="Suspend", exact=True).click()
        expect(page.get_by_role("status")).to_contain_text("spammer is suspended.")
        page.goto(f"{live_server}/moderation/")
        expect(page.get_by_text("Nothing here. The community is calm.")).to_be_visible()
        # Morgan reads what she did.
        page.get_by_role("link", name="My actions").click()
        expect(page.get_by_role("heading", name="My actions in the audit log")).to_be_visible()
        table = page.get_by_role("table")
        expect(table.get_by_text("Post approved", exact=True)).to_be_visible()
        expect(table.get_by_text("Member suspended", exact=True)).to_be_visible()
        expect(table.get_by_text("Author suspended: Spam")).to_have_count(2)
    finally:
        context.close()
