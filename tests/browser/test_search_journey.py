"""A customer types a question, opens a suggested article, and says it solved the problem."""

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from search.models import DeflectionEvent
from tests.browser import axe
from tests.browser.helpers import sign_in
from tests.factories import make_article, make_user
from tests.search.conftest import (  # noqa: F401  (the real model, a fresh index)
    encoder_dir,
    model,
    search_app,
)


@pytest.mark.usefixtures("search_app")
def test_customer_is_deflected_by_a_suggested_article(
    db, live_server: str, page: Page, axe_findings
):
    agent = make_user(db.session, "sam", role="agent")
    make_user(db.session, "jordan")
    make_article(
        db.session, agent, "Resetting your router", body="Hold the reset button for ten seconds."
    )
    make_article(
        db.session, agent, "Paying your invoice by card", body="Open Billing, choose Pay now."
    )
    db.session.commit()

    sign_in(page, live_server, "jordan")

    page.goto(live_server + "/community/ask")
    question = page.get_by_role("textbox", name="Your question in one line")
    question.press_sequentially("my internet box needs restarting", delay=20)
    suggestions = page.get_by_role("list", name="Answers that may already solve it")
    suggestion = suggestions.get_by_role("link", name="Resetting your router")
    expect(suggestion).to_be_visible()
    expect(page.locator("#suggest-title-body-status")).to_contain_text("suggested answer")
    axe.check(page, axe_findings)  # the suggestions as shown: no link inside an option

    question.press("ArrowDown")
    first = suggestions.get_by_role("link").first
    expect(first).to_be_focused()
    first.press("ArrowUp")
    expect(question).to_be_focused()
    question.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/kb/resetting-your-router$"))

    page.get_by_role("button", name="This solved my problem").click()
    expect(page.get_by_role("status").first).to_contain_text("glad it helped")
    steps = [
        e.step for e in db.session.scalars(select(DeflectionEvent).order_by(DeflectionEvent.id))
    ]
    assert steps[0] == "shown" and steps[-2:] == ["opened", "solved"]


@pytest.mark.usefixtures("search_app")
def test_on_a_phone_the_suggestions_stay_above_the_keyboard(db, live_server: str, browser):
    agent = make_user(db.session, "sam", role="agent")
    make_user(db.session, "jordan")
    make_article(
        db.session, agent, "Resetting your router", body="Hold the reset button for ten seconds."
    )
    db.session.commit()
    # A phone with its keyboard open: only the top 360 px of the page are visible.
    context = browser.new_context(viewport={"width": 390, "height": 360})
    page = context.new_page()
    try:
        sign_in(page, live_server, "jordan")
        page.goto(live_server + "/community/ask")
        question = page.get_by_role("textbox", name="Your question in one line")
        question.press_sequentially("my internet box needs restarting", delay=20)
        suggestion = page.locator("#suggest-title-body").get_by_role(
            "link", name="Resetting your router"
        )
        expect(suggestion).to_be_in_viewport()
        # Right under the field typed in, before the details box.
        order = page.evaluate(
            "document.getElementById('suggest-title-body').compareDocumentPosition("
            "document.getElementById('body'))"
        )
        assert order & 4  # the details field follows the suggestions
    finally:
        context.close()


@pytest.mark.usefixtures("search_app")
def test_a_visitor_gets_answers_while_typing_in_the_search_boxes_even_misspelt(
    db, live_server: str, page: Page
):
    agent = make_user(db.session, "sam", role="agent")
    make_article(
        db.session, agent, "Change your Wi-Fi password", body="Open the app, then Wi-Fi settings."
    )
    db.session.commit()

    # The home page's box, as a visitor (no account), with a slip in the key word.
    page.goto(live_server + "/")
    hero = page.get_by_role("searchbox", name="Describe your problem")
    hero.press_sequentially("wifi pasword", delay=20)
    answer = page.locator("#suggest-hero-q").get_by_role("link", name="Change your Wi-Fi password")
    expect(answer).to_be_visible()
    # Focus elsewhere closes the floating list; the typed text stays.
    page.get_by_role("heading", name="How can we help?").click()
    expect(answer).to_be_hidden()
    expect(hero).to_have_value("wifi pasword")

    # The header's box on any page, chosen with the keyboard.
    page.goto(live_server + "/community")
    header = page.get_by_role("searchbox", name="Search articles and questions")
    header.press_sequentially("chnage wifi password", delay=20)
    answers = page.locator("#suggest-header-q")
    expect(answers.get_by_role("link", name="Change your Wi-Fi password")).to_be_visible()
    header.press("ArrowDown")
    expect(answers.get_by_role("link").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/kb/change-your-wi-fi-password$"))
