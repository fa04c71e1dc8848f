"""What a customer trips on, walked on a desktop and on a phone: a held first question says
once why and how long; their pages (activity, following, requests) are one menu away;
topics by name; accepting a solution, withdrawing it (asked first); a request solved,
then reopened by replying. The header's menus work without JavaScript."""

import pytest
from playwright.sync_api import Browser, Page, expect

from moderation.cases import service as case_service
from moderation.cases import surveys
from moderation.cases.models import Case
from portal.config import Config
from portal.permissions import Role
from tests.browser.helpers import open_user_menu, sign_in
from tests.factories import make_reply, make_tag, make_thread, make_user
from tests.moderation.conftest import RULE_SETTINGS, rules_relaxed

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 800}}


@pytest.fixture
def rules_on(app, monkeypatch):
    for key in RULE_SETTINGS:
        monkeypatch.setitem(app.config, key, getattr(Config, key))
    return app.config


def open_menu_link(page: Page, name: str) -> None:
    open_user_menu(page)
    page.locator("details.user-menu").get_by_role("link", name=name).click()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_customer_pages_held_question_solution_and_reopened_request(
    live_server: str, browser: Browser, db, rules_on, viewport
):
    s = db.session
    wifi, billing = make_tag(s, "Wi-Fi"), make_tag(s, "Billing")
    jordan = make_user(s, "jordan", display_name="Jordan Lee")
    sam = make_user(s, "sam", role=Role.AGENT, display_name="Sam Varga")
    with rules_relaxed(rules_on):
        earlier = make_thread(s, jordan, "Hub restarts every night at 3 am", tags=[wifi])
        answer = make_reply(s, earlier, make_user(s, "priya", role=Role.SUPERUSER))
    s.commit()

    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    base = live_server
    try:
        sign_in(page, base, "jordan")
        header = page.locator(".site-header").bounding_box()["height"]
        assert header < VIEWPORTS[viewport]["height"] * 0.2, header

        # A new member's question is held: one notice says why and how long; nothing says
        # both "share it below" and "no new replies". The topic is typed by its name.
        page.goto(f"{base}/community/ask")
        page.get_by_label("Your question in one line").fill("Mesh extender blinks red and white")
        page.get_by_label("Details").fill("Since the update, call me on 06 12 34 56 78 please.")
        topics = page.get_by_label("Topics", exact=True)
        expect(topics).to_have_attribute("list", "tag-names")
        topics.fill("wifi")
        page.get_by_role("button", name="Post your question").click()
        held = page.get_by_role("note").filter(has_text="waiting for a moderator's review")
        expect(held).to_have_count(1)
        expect(held).to_contain_text("less than 24 hours")
        expect(page.get_by_text("Replies open once a moderator has approved")).to_be_visible()
        expect(page.get_by_text("takes no new replies")).to_have_count(0)
        expect(page.get_by_text("Know the answer?")).to_have_count(0)
        expect(page.locator(".tag-list").first).to_contain_text("Wi-Fi")

        # My activity, one menu away, lists it as waiting; Following has the earlier one.
        open_menu_link(page, "My activity")
        expect(page.get_by_role("heading", name="My activity")).to_be_visible()
        row = page.locator(".thread-row").filter(has_text="Mesh extender blinks")
        expect(row).to_contain_text("Waiting for review")
        open_menu_link(page, "Following")
        expect(page.get_by_role("link", name="Hub restarts every night at 3 am")).to_be_visible()

        # Accepting a solution: the asker is not offered "I still need help" any more;
        # withdrawing it is asked first.
        page.get_by_role("link", name="Hub restarts every night at 3 am").click()
        expect(page.get_by_role("button", name="I still need help")).to_be_visible()
        page.get_by_role(
            "button", name=f"Accept as solution: the reply by {answer.author.name}"
        ).click()
        expect(page.get_by_role("status")).to_contain_text("Marked as the solution")
        expect(page.get_by_role("button", name="I still need help")).to_have_count(0)
        page.get_by_role("button", name="Withdraw the solution").click()
        expect(page.get_by_role("heading", name="Withdraw the solution?")).to_be_visible()
        page.get_by_role("link", name="Cancel, go back").click()
        expect(page.get_by_role("heading", name="✓ Solved")).to_be_visible()
        page.get_by_role("button", name="Withdraw the solution").click()
        page.get_by_role("button", name="Withdraw the solution").click()
        expect(page.get_by_role("status")).to_contain_text("The solution is withdrawn")

        # Contact support: topics are checkboxes; the acknowledgement is the portal's.
        page.goto(f"{base}/support/contact")
        page.get_by_label("What is it about?").fill("Charged twice in May")
        page.get_by_label("Tell us more").fill("Two identical invoices this month.")
        page.get_by_role("checkbox", name="Billing").check()
        page.get_by_role("button", name="Send to an agent").click()
        first = page.locator(".timeline li").first
        expect(first).to_contain_text("We received your request.")
        expect(first.locator("strong")).not_to_have_text("You")
        case = s.query(Case).filter_by(customer_id=jordan.id).one()
        assert [tag.slug for tag in case.tags] == [billing.slug]

        # The agent solves it; the customer says it is not solved and it opens again.
        case_service.reply_privately(s, sam, case, "The second charge is refunded.")
        surveys.solve_case(s, sam, case, disposition="known gap")
        s.commit()
        open_menu_link(page, "Your requests")
        page.get_by_role("link", name="Charged twice in May").click()
        expect(page.get_by_role("heading", name="Not solved after all?")).to_be_visible()
        page.get_by_role("textbox", name="Your message").fill("I still see both charges today.")
        page.get_by_role("button", name="Reopen and send").click()
        expect(page.get_by_role("status")).to_contain_text("Your request is open again")
        s.refresh(case)
        assert case.status == "open"
    finally:
        context.close()


def test_header_menus_work_without_javascript_on_a_phone(live_server: str, browser: Browser, db):
    make_user(db.session, "morgan", role=Role.MODERATOR)
    db.session.commit()
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORTS["phone"])
    page = context.new_page()
    try:
        sign_in(page, live_server, "morgan")
        moderation = page.get_by_role("link", name="Moderation")
        expect(moderation).to_be_hidden()
        page.get_by_text("Menu", exact=True).click()
        expect(moderation).to_be_visible()
        page.get_by_text("Menu", exact=True).click()
        expect(moderation).to_be_hidden()
        open_user_menu(page)
        page.get_by_role("link", name="My activity").click()
        expect(page.get_by_role("heading", name="My activity")).to_be_visible()
    finally:
        context.close()


def test_staff_header_is_one_row_at_1366(live_server: str, browser: Browser, db):
    make_user(db.session, "ada", role=Role.ADMIN)
    db.session.commit()
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        sign_in(page, live_server, "ada")
        tops = page.evaluate(
            "[...document.querySelectorAll('.brand, .header-search, .site-nav li, .user-menu')]"
            ".map(e => Math.round(e.getBoundingClientRect().top / 20))"
        )
        assert len(set(tops)) == 1, tops  # every piece of the header on one row
        expect(page.get_by_role("link", name="Admin")).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_super_user_reaches_unanswered_questions_in_their_topics(
    live_server: str, browser: Browser, db, viewport
):
    from community import subscriptions

    s = db.session
    wifi, billing = make_tag(s, "Wi-Fi"), make_tag(s, "Billing")
    priya = make_user(s, "priya", role=Role.SUPERUSER, display_name="Priya Raman")
    subscriptions.follow_tag(s, priya, wifi)
    make_thread(s, title="Mesh node drops every evening", tags=[wifi])
    make_thread(s, title="Invoice shows the wrong amount", tags=[billing])
    s.commit()
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    try:
        sign_in(page, live_server, "priya")
        # Two clicks from any page to an unanswered question of hers.
        open_menu_link(page, "Unanswered in my topics")
        expect(page.get_by_role("link", name="Invoice shows the wrong amount")).to_have_count(0)
        page.get_by_role("link", name="Mesh node drops every evening").click()
        expect(page.get_by_role("heading", name="Know the answer?")).to_be_visible()
        # Topic links keep the Unanswered filter.
        page.goto(f"{live_server}/community/?filter=unanswered")
        page.locator(".community-aside").get_by_role("link", name="Billing").click()
        expect(page).to_have_url(f"{live_server}/community/tags/billing?filter=unanswered")
        expect(page.get_by_role("link", name="Unanswered", exact=False).first).to_have_attribute(
            "aria-current", "page"
        )
    finally:
        context.close()
