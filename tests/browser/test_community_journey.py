"""A customer asks; a super-user answers; another customer up-votes; the asker accepts."""

import re

from playwright.sync_api import Browser, Page, expect

from portal.permissions import Role
from tests.browser.helpers import sign_in
from tests.factories import make_tag, make_user


def reputation_on_profile(page: Page, base: str, username: str):
    page.goto(f"{base}/u/{username}")
    return page.locator(".stat-grid div").filter(has_text="Reputation").locator("dd")


def test_question_answered_voted_and_solved(live_server: str, page: Page, browser: Browser, db):
    make_tag(db.session, "Wi-Fi", "Coverage and mesh.")
    make_user(db.session, "jordan", display_name="Jordan Lee")
    make_user(db.session, "priya", role=Role.SUPERUSER, display_name="Priya Raman")
    make_user(db.session, "emma", display_name="Emma Schulz")
    db.session.commit()
    expert_context, voter_context = browser.new_context(), browser.new_context()
    expert, voter = expert_context.new_page(), voter_context.new_page()
    try:
        # The customer asks; a first try without details keeps what was typed.
        sign_in(page, live_server, "jordan")
        page.get_by_role("link", name="Community").click()
        page.get_by_role("link", name="Ask a question").click()
        title = "Wi-Fi drops every evening at 8 pm"
        page.get_by_label("Your question in one line").fill(title)
        page.get_by_label("Topics").fill("wi-fi")
        page.get_by_role("button", name="Post your question").click()
        expect(page.get_by_text("This field is required.")).to_be_visible()
        expect(page.get_by_label("Your question in one line")).to_have_value(title)
        page.get_by_label("Details").fill("Laptop and phone lose Wi-Fi; the TV on a cable is fine.")
        page.get_by_role("button", name="Post your question").click()
        expect(page.get_by_role("heading", name=title)).to_be_visible()
        thread_url = page.url

        # The super-user answers (their reputation starts at zero).
        sign_in(expert, live_server, "priya")
        expect(reputation_on_profile(expert, live_server, "priya")).to_have_text("0")
        expert.goto(thread_url)
        expert.get_by_label("Your reply").fill("Set the 2.4 GHz band to channel **1, 6 or 11**.")
        expert.get_by_role("button", name="Post reply").click()
        expect(expert.get_by_role("status")).to_contain_text("Your reply is posted.")
        answer = expert.get_by_role("article", name="Reply by Priya Raman")
        expect(answer.locator("strong")).to_have_text("1, 6 or 11")
        expect(answer.get_by_text("Super-user")).to_be_visible()

        # Another customer up-votes the answer.
        sign_in(voter, live_server, "emma")
        voter.goto(thread_url)
        reply = voter.get_by_role("article", name="Reply by Priya Raman")
        reply.get_by_role("button", name="Up-vote").click()
        reply = voter.get_by_role("article", name="Reply by Priya Raman")
        expect(reply.locator(".score")).to_have_text("1")
        expect(reply.get_by_role("button", name=re.compile("Up-vote \\(yours"))).to_be_visible()

        # The asker was told about the reply, and accepts it.
        page.reload()
        page.get_by_role("link", name="Notifications, 1 unread").click()
        page.get_by_role("button", name=re.compile("Priya Raman replied to your question")).click()
        expect(page).to_have_url(re.compile(r"/community/threads/\d+#post-\d+$"))
        page.get_by_role("button", name="Accept as solution: the reply by Priya Raman").click()
        expect(page.get_by_role("status")).to_contain_text("Marked as the solution")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Solved")
        solution = page.get_by_role("region", name=re.compile("Solution — by Priya Raman"))
        expect(solution).to_contain_text("1, 6 or 11")
        solution.get_by_role("link", name="Jump to it in context").click()
        expect(page).to_have_url(re.compile(r"#post-\d+$"))
        page.get_by_role("link", name="Community").first.click()
        expect(page.locator(".thread-row", has_text=title)).to_contain_text("Solved")

        # The super-user was told, and their reputation rose (10 for the vote, 15 accepted).
        expert.reload()
        expert.get_by_role("link", name="Notifications, 1 unread").click()
        expect(expert.get_by_text(f"Your reply in “{title}” was accepted")).to_be_visible()
        expect(reputation_on_profile(expert, live_server, "priya")).to_have_text("25")
    finally:
        expert_context.close()
        voter_context.close()
