"""Keyboard shortcuts on the desk, the case page and the moderation queue; Markdown
preview, attachments and avatars as a customer uses them; the admin area; dark mode."""

import io
import re

from PIL import Image
from playwright.sync_api import Browser, Page, expect

from moderation import flags
from portal.permissions import Role
from tests.browser.helpers import sign_in, sign_out
from tests.factories import make_member, make_reply, make_tag, make_thread, make_user
from tests.moderation.cases.helpers import make_agent, make_case

SELECTED = re.compile(r"\bis-selected\b")


def test_agent_and_moderator_work_from_the_keyboard(live_server: str, page: Page, db):
    s = db.session
    make_agent(s, "sam", display_name="Sam Varga")
    first = make_case(s, make_user(s, "jordan"), subject="Router reboots every night")
    second = make_case(s, make_user(s, "kim"), subject="Bill shows a double charge")
    make_user(s, "mona", role=Role.MODERATOR)
    thread = make_thread(s, make_member(s, "owner"), tags=[make_tag(s, "Router")])
    flags.flag_post(s, make_member(s, "reporter"), make_reply(s, thread), category="spam")
    s.commit()
    del first, second

    sign_in(page, live_server, "sam")
    page.goto(f"{live_server}/desk/?queue=unassigned")
    rows = page.locator("[data-shortcut-item]")
    expect(rows).to_have_count(2)
    page.keyboard.press("j")
    expect(rows.nth(0)).to_have_class(SELECTED)
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_class(SELECTED)
    page.keyboard.press("k")
    expect(rows.nth(0)).to_have_class(SELECTED)
    chosen = rows.nth(0).locator("[data-shortcut-open]").inner_text()
    page.keyboard.press("?")
    expect(page.get_by_text("Next / previous item")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_text("Next / previous item")).to_be_hidden()
    page.keyboard.press("k")  # back on the first row's link …
    page.keyboard.press("r")  # … r opens its case at the reply form
    expect(page.get_by_role("heading", level=1)).to_contain_text(chosen.split(" ", 1)[1])
    reply = page.get_by_role("textbox", name="Reply")
    page.keyboard.press("r")
    expect(reply).to_be_focused()
    page.keyboard.type("just checking")  # j, k, r typed in a field are text, not shortcuts
    expect(reply).to_have_value("just checking")
    expect(reply).to_be_focused()

    sign_out(page)
    sign_in(page, live_server, "mona")
    page.goto(f"{live_server}/moderation/")
    items = page.locator("[data-shortcut-item]")
    expect(items).to_have_count(1)
    page.keyboard.press("j")
    expect(items.nth(0)).to_have_class(SELECTED)
    page.keyboard.press("x")
    expect(items.nth(0).get_by_role("checkbox")).to_be_checked()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/moderation/items/\d+$"))  # ids differ on PostgreSQL


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (30, 90, 200)).save(out, "PNG")
    return out.getvalue()


def test_customer_previews_attaches_and_sees_avatars(live_server: str, page: Page, db):
    make_tag(db.session, "Wi-Fi")
    make_user(db.session, "jordan", display_name="Jordan Lee")
    make_user(db.session, "ada", role=Role.ADMIN)
    db.session.commit()
    sign_in(page, live_server, "jordan")
    page.goto(f"{live_server}/community/ask")
    page.get_by_label("Your question in one line").fill("Router light blinks orange all night")
    page.get_by_label("Details").fill("It **blinks** after the update")
    page.get_by_role("button", name="Preview").click()  # live: no reload
    preview = page.get_by_role("region", name="Preview")
    expect(preview.locator("strong")).to_have_text("blinks")
    page.get_by_label("Details").fill("It **blinks** after the _update_")
    expect(preview.locator("em")).to_have_text("update")  # follows the typing
    page.get_by_label("Topics", exact=True).fill("wi-fi")
    page.get_by_label("Attach files").set_input_files(
        [{"name": "status.png", "mimeType": "image/png", "buffer": png()}]
    )
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_role("status")).to_contain_text("Your question is posted")
    picture = page.get_by_role("img", name="status.png")
    expect(picture).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", picture.element_handle()) == 120
    avatar = page.locator("img.avatar-image").first
    expect(avatar).to_have_attribute("src", "/u/jordan/avatar?v=0")

    sign_out(page)
    sign_in(page, live_server, "ada")
    page.get_by_role("link", name="Admin", exact=True).click()
    expect(page.get_by_role("heading", name="Administration")).to_be_visible()
    page.get_by_role("link", name="Background jobs").click()
    expect(page).to_have_url(f"{live_server}/admin/jobs/")


def test_dark_mode_pages_pass_axe(live_server: str, browser: Browser, db, axe_findings):
    """The dark scheme's colours meet contrast too: axe (color-contrast among its rules)
    checks each page as it loads (tests/browser/conftest.py)."""
    thread = make_thread(db.session, make_user(db.session, "jordan"), tags=[make_tag(db.session)])
    make_reply(db.session, thread)
    make_user(db.session, "ada", role=Role.ADMIN)
    db.session.commit()
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    paths = ["/", "/community/", f"/community/threads/{thread.id}", "/kb/", "/login"]
    try:
        for path in paths:
            page.goto(live_server + path)
            assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert background == "rgb(16, 21, 31)", background
        sign_in(page, live_server, "ada")
        for path in ("/admin/", "/settings", "/community/ask"):
            page.goto(live_server + path)
            paths.append(path)
        page.close()  # collects the last page's check first
    finally:
        context.close()
    checked = {url.removeprefix(live_server) for url in axe_findings.checked}
    assert set(paths) <= checked, checked
