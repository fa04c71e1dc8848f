"""A newcomer's post is held and approved after an edit; a reported post is removed and its
author suspended; the admin finds all of it in the audit log."""

import re

import pytest
from playwright.sync_api import Page, expect

from portal.config import Config
from portal.permissions import Role
from tests.browser.helpers import sign_in, sign_out
from tests.factories import make_member, make_reply, make_tag, make_thread, make_user
from tests.moderation.conftest import RULE_SETTINGS, rules_relaxed


@pytest.fixture
def rules_on(app, monkeypatch):
    for key in RULE_SETTINGS:
        monkeypatch.setitem(app.config, key, getattr(Config, key))
    return app.config


def test_hold_approve_report_remove_suspend_audit(live_server: str, page: Page, db, rules_on):
    base = live_server
    tag = make_tag(db.session, "Router")
    with rules_relaxed(rules_on):
        help_thread = make_thread(db.session, title="Hub lights blink orange", tags=[tag])
        other_thread = make_thread(db.session, title="Slow Wi-Fi upstairs", tags=[tag])
        spammer = make_user(db.session, "spammer", display_name="Cheap Deals")
        make_reply(db.session, help_thread, spammer, body="A genuine earlier answer.")
        make_reply(db.session, help_thread, spammer, body="Another genuine earlier answer.")
        make_reply(db.session, other_thread, spammer, body="Buy my boosters, best prices!")
    make_user(db.session, "newbie", display_name="New Member")
    make_user(db.session, "morgan", role=Role.MODERATOR, display_name="Morgan Reyes")
    make_user(db.session, "ada", role=Role.ADMIN)
    with rules_relaxed(rules_on):
        for name in ("emma", "karim", "chloe"):  # members of standing: their reports count fully
            make_member(db.session, name)
    db.session.commit()

    # A new member replies with an e-mail address: held, and told why.
    sign_in(page, base, "newbie")
    page.goto(f"{base}/community/threads/{help_thread.id}")
    page.get_by_label("Your reply").fill("Same here! Write to me at new.member@example.com")
    page.get_by_role("button", name="Post reply").click()
    held = page.get_by_role("note").filter(has_text="waiting for a moderator's review")
    expect(held).to_have_count(1)
    expect(held).to_contain_text("personal data (e-mail address)")
    expect(held).to_contain_text("Reviews usually take less than 24 hours")
    sign_out(page)

    # The moderator edits the address out and approves.
    sign_in(page, base, "morgan")
    page.get_by_role("link", name="Moderation, 1 waiting").click()
    expect(page.locator(".mod-reasons").first).to_contain_text("personal data (e-mail address)")
    page.get_by_role("link", name="Reply in “Hub lights blink orange”").click()
    page.get_by_role("textbox", name="Post text").fill(
        "Same here! (contact details removed by a moderator)"
    )
    page.get_by_label("Why the edit").fill("Personal data")
    page.get_by_label("Approve after saving").check()
    page.get_by_role("button", name="Save edit").click()
    expect(page.get_by_role("status")).to_contain_text("Saved and approved.")
    sign_out(page)

    # Three members report the spammer's reply: it is hidden.
    for reporter in ("emma", "karim", "chloe"):
        sign_in(page, base, reporter)
        page.goto(f"{base}/community/threads/{other_thread.id}")
        reply = page.get_by_role("article", name="Reply by Cheap Deals")
        reply.get_by_role("link", name="Report this reply").click()
        page.get_by_label("Spam").check()
        page.get_by_role("button", name="Send the report").click()
        expect(page.get_by_role("status")).to_contain_text("Thank you for the report")
        sign_out(page)
    sign_in(page, base, "emma")
    page.goto(f"{base}/community/threads/{other_thread.id}")
    expect(page.get_by_role("article", name="Reply by Cheap Deals")).to_have_count(0)
    expect(page.get_by_role("heading", name="0 replies")).to_be_visible()
    sign_out(page)

    # The moderator removes it for good and suspends the author.
    sign_in(page, base, "morgan")
    page.get_by_role("link", name="Moderation, 1 waiting").click()
    page.get_by_role("link", name="Reply in “Slow Wi-Fi upstairs”").click()
    expect(page.locator(".mod-reasons")).to_contain_text("Spam")
    page.get_by_label("Reason (the author reads it)").fill("Advertising is not allowed here.")
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("heading", name="Delete this post?")).to_be_visible()
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("status")).to_contain_text("Deleted.")
    page.get_by_label("Show").select_option("resolved")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="Reply in “Slow Wi-Fi upstairs”").click()
    page.get_by_label("Reason (shown to the member)").fill("Repeated advertising.")
    page.get_by_label("Days").fill("7")
    page.get_by_role("button", name="Suspend the author").click()
    expect(page.get_by_role("heading", name="Suspend Cheap Deals?")).to_be_visible()
    page.get_by_role("button", name="Suspend", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("spammer is suspended.")
    sign_out(page)

    # The admin reads it all in the audit log.
    sign_in(page, base, "ada")
    page.goto(base + "/moderation/")
    page.get_by_role("link", name="Audit log").click()
    table = page.get_by_role("table")
    for action in (  # each action under its name, in the reader's language
        "Post edited",
        "Post approved",
        "Post hidden by reports",
        "Post deleted",
        "Member suspended",
    ):
        expect(table.get_by_text(action, exact=True)).to_be_visible()
    expect(table).to_contain_text("Advertising is not allowed here.")
    page.get_by_label("Who (username)").fill("morgan")
    # The header has a site-wide Search button too once the search package is installed.
    audit_form = page.get_by_role("form", name="Search the audit log")
    audit_form.get_by_role("button", name="Search").click()
    expect(page.get_by_text(re.compile(r"^4 entries"))).to_be_visible()
