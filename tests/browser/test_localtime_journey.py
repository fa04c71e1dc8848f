"""Times follow the browser's zone until the reader saves one in their settings, in the
page's language."""

import re
from datetime import UTC, datetime

from playwright.sync_api import Browser, expect

from tests.browser.helpers import sign_in
from tests.factories import make_reply, make_thread, make_user

ASKED = datetime(2025, 1, 15, 12, 0, tzinfo=UTC)


def test_times_show_in_the_browsers_zone_then_in_the_saved_one(
    live_server: str, browser: Browser, db
):
    s = db.session
    jordan = make_user(s, "jordan")
    thread = make_thread(s, jordan, "Hub light blinks orange since yesterday")
    thread.question.created_at = ASKED
    make_reply(s, thread, body="Leave it ten minutes: it is updating.")
    s.commit()

    context = browser.new_context(timezone_id="America/New_York")
    page = context.new_page()
    try:
        page.goto(f"{live_server}/community/threads/{thread.id}")
        asked = page.locator(f"#post-{thread.question.id} time").first
        # 12:00 UTC is 07:00 in New York in January; the exact UTC time stays as the title.
        expect(asked).to_have_text(re.compile(r"^15 Jan 2025, 07:00 (GMT-5|EST)$"))
        expect(asked).to_have_attribute("title", "15 Jan 2025, 12:00 UTC")
        expect(asked).to_have_attribute("datetime", "2025-01-15T12:00:00Z")

        sign_in(page, live_server, "jordan")
        page.goto(f"{live_server}/settings")
        expect(page.get_by_text("Your browser’s time zone: America/New_York")).to_be_visible()
        zone = page.get_by_label("Time zone", exact=True)
        expect(zone).to_have_value("")  # "Detect from my browser"
        zone.select_option("Europe/Paris")
        page.get_by_role("button", name="Save preferences").click()
        expect(page.get_by_role("status")).to_contain_text("times in Europe/Paris")

        # Saved: the page speaks Paris time, whatever the browser's zone.
        page.goto(f"{live_server}/community/threads/{thread.id}")
        expect(asked).to_have_text("15 Jan 2025, 13:00 CET")
        expect(asked).to_have_attribute("title", "15 Jan 2025, 12:00 UTC")
    finally:
        context.close()


def test_the_browser_writes_times_in_the_pages_language(live_server: str, browser: Browser, db):
    s = db.session
    chloe = make_user(s, "chloe", locale="fr")
    chloe.created_at = ASKED
    thread = make_thread(s, chloe, "Box bloquée au démarrage")
    thread.question.created_at = ASKED
    s.commit()

    context = browser.new_context(timezone_id="America/New_York", locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(f"{live_server}/u/chloe")  # a visitor whose browser asks for French
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(page.locator(".profile-header time")).to_have_text("15 janv. 2025")
        page.goto(f"{live_server}/community/threads/{thread.id}")
        asked = page.locator(f"#post-{thread.question.id} time").first
        expect(asked).to_have_text(re.compile(r"^15 janv\. 2025, 07:00 UTC[−-]5$"))
        expect(asked).to_have_attribute("title", "15 janv. 2025, 12:00 UTC")
    finally:
        context.close()
