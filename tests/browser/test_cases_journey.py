"""An unanswered thread is swept into a case, routed by skill, answered with a macro and a
suggested article, solved with the staff answer accepted, and the customer rates it."""

import re
from datetime import timedelta

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from moderation.cases import macros, routing
from moderation.cases.models import Case
from moderation.cases.sweep import SweepSettings, escalate_overdue_threads
from portal.database import utcnow
from portal.permissions import Role
from tests.browser.helpers import sign_in
from tests.factories import make_article, make_tag, make_thread, make_user


def test_swept_thread_answered_by_agent_and_rated(
    live_server: str, page: Page, browser: Browser, db
):
    s = db.session
    router, billing = make_tag(s, "Router"), make_tag(s, "Billing")
    sam = make_user(s, "sam", role=Role.AGENT, display_name="Sam Varga")
    nina = make_user(s, "nina", role=Role.AGENT, display_name="Nina Laurent")
    routing.update_profile(s, sam, available=True, skill_slugs=["router"])
    routing.update_profile(s, nina, available=True, skill_slugs=["billing"])
    admin = make_user(s, "ada", role=Role.ADMIN)
    macros.save_macro(
        s, admin, None, title="Greeting", body="Hello {customer_name}, {agent_name} here."
    )
    article = make_article(s, sam, "Hub lights: what each colour means", tags=[router])
    customer = make_user(s, "jordan", display_name="Jordan Lee")
    thread = make_thread(s, customer, "Hub light blinks orange since yesterday", tags=[router])
    thread.created_at = utcnow() - timedelta(hours=30)
    s.commit()
    del billing

    # The sweep finds the thread nobody answered and routes it to the router specialist.
    escalate_overdue_threads(s, SweepSettings(invite_hours=0))
    s.commit()
    case = s.scalars(select(Case)).one()
    assert case.thread_id == thread.id and case.assignee_id == sam.id

    sign_in(page, live_server, "sam")
    page.get_by_role("link", name="Agent desk").click()
    page.get_by_role("link", name=f"#{case.id} Hub light blinks orange since yesterday").click()
    expect(page.get_by_role("heading", name="Suggested articles")).to_be_visible()
    # The timeline comes before the forms; "Move to" starts at the current status.
    timeline_y = page.get_by_role("heading", name="Timeline").bounding_box()["y"]
    assert timeline_y < page.get_by_role("heading", name="Reply", exact=True).bounding_box()["y"]
    expect(page.get_by_label("Move to")).to_have_value(case.status)
    # Insert a macro and a link, add a note: no reload, the reply keeps what was typed.
    reply = page.get_by_role("textbox", name="Reply")
    reply.fill("Thanks for the photo.")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Macro").select_option(label="Greeting")
    page.get_by_role("button", name="Insert macro").click()
    page.get_by_role("button", name=f"Insert link: {article.title}").click()
    link = f"{live_server}/kb/{article.slug}"
    expect(reply).to_have_value(
        "Thanks for the photo.\n\nHello Jordan Lee, Sam Varga here.\n\n"
        f"This article explains it: [{article.title}]({link})"
    )
    page.get_by_role("textbox", name="Internal note").fill("Firmware 4.2 rollout in his area.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("#case-timeline")).to_contain_text("Firmware 4.2 rollout in his area.")
    expect(page.get_by_role("textbox", name="Internal note")).to_have_value("")
    assert page.evaluate("window.notReloaded") is True
    expect(reply).to_have_value(re.compile(re.escape("Thanks for the photo.")))
    # fill, not key presses: under load a keystroke-by-keystroke type() lost its tail once.
    reply.fill(
        reply.input_value() + "\n\nOrange means the firmware is updating: leave it 10 minutes."
    )
    page.get_by_label("Public answer in the thread").check()
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("status")).to_contain_text("Reply sent.")

    page.get_by_label("Answered by an existing article").check()
    page.get_by_label("The article that answers it").select_option(label=article.title)
    page.get_by_label("Accept our public answer as the thread's solution").check()
    page.get_by_role("button", name="Solve and send the survey").click()
    expect(page.get_by_role("status")).to_contain_text("Solved")
    expect(page.get_by_role("link", name=article.title).first).to_be_visible()

    # The customer sees the official answer as the solution, then rates the help.
    context = browser.new_context()
    customer_page = context.new_page()
    try:
        sign_in(customer_page, live_server, "jordan")
        customer_page.goto(f"{live_server}/community/threads/{thread.id}")
        expect(customer_page.get_by_role("heading", name="✓ Solved")).to_be_visible()
        expect(customer_page.get_by_text("Official answer from Brightwave support")).to_be_visible()
        expect(customer_page.locator(".solution-box")).to_contain_text("firmware is updating")
        customer_page.goto(f"{live_server}/notifications/")
        customer_page.get_by_role("button", name="is solved. How did we do?").first.click()
        customer_page.get_by_label("5 — Very satisfied").check()
        customer_page.get_by_label("10", exact=True).check()
        customer_page.get_by_label("Anything to add? (optional)").fill("Clear and quick.")
        customer_page.get_by_role("button", name="Send my answer").click()
        expect(customer_page.get_by_role("status").first).to_contain_text("Thank you")
    finally:
        context.close()
    s.expire_all()
    survey = s.scalars(select(Case)).one().survey
    assert (survey.csat, survey.nps, survey.comment) == (5, 10, "Clear and quick.")


def test_without_javascript_the_reply_survives_macro_link_and_note(
    live_server: str, browser: Browser, db
):
    s = db.session
    router = make_tag(s, "Router")
    sam = make_user(s, "sam", role=Role.AGENT, display_name="Sam Varga")
    admin = make_user(s, "ada", role=Role.ADMIN)
    macros.save_macro(s, admin, None, title="Greeting", body="Hello {customer_name}!")
    article = make_article(s, sam, "Hub lights: what each colour means", tags=[router])
    customer = make_user(s, "jordan", display_name="Jordan Lee")
    thread = make_thread(s, customer, "Hub light blinks orange since yesterday", tags=[router])
    s.commit()
    from moderation.cases import sources

    case, _ = sources.need_help(s, customer, thread)
    s.commit()
    for viewport in ({"width": 1366, "height": 900}, {"width": 390, "height": 800}):
        context = browser.new_context(java_script_enabled=False, viewport=viewport)
        page = context.new_page()
        try:
            sign_in(page, live_server, "sam")
            page.goto(f"{live_server}/desk/cases/{case.id}")
            reply = page.get_by_role("textbox", name="Reply")
            reply.fill("First line I typed.")
            page.get_by_role("button", name="Insert macro").click()
            expect(reply).to_have_value("First line I typed.\n\nHello Jordan Lee!")
            expect(page.locator(".draft-status")).to_contain_text("Your unsent reply was kept.")
            page.get_by_role("button", name=f"Insert link: {article.title}").click()
            expect(reply).to_have_value(re.compile(re.escape("This article explains it:")))
            page.get_by_role("textbox", name="Internal note").fill(
                f"Note at {viewport['width']} px"
            )
            page.get_by_role("button", name="Add note").click()
            expect(page.locator("#case-timeline")).to_contain_text(
                f"Note at {viewport['width']} px"
            )
            expect(reply).to_have_value(re.compile(re.escape("First line I typed.")))
            page.get_by_label("Private reply").check()
            page.get_by_role("button", name="Send reply").click()
            expect(page.get_by_role("status").first).to_contain_text("Reply sent.")
            expect(page.get_by_role("textbox", name="Reply")).to_have_value("")
        finally:
            context.close()
