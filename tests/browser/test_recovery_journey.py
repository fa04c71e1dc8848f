"""A member who forgot their password gets back in through the e-mailed link; a visitor
without an account writes to support and answers through the link in our reply."""

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from moderation.cases.models import Case
from moderation.cases.service import reply_privately
from portal.models import User
from portal.permissions import Role
from tests.browser.helpers import sign_out
from tests.factories import PASSWORD, make_user
from tests.mailbox import mailbox  # noqa: F401 (fixture)

NEW_PASSWORD = "my-new-secret-passphrase"


def test_forgotten_password_journey(live_server: str, page: Page, browser, db, mailbox):  # noqa: F811
    make_user(db.session, "jordan", email="jordan@example.com")
    db.session.commit()
    # Another device signed in with the old password: the reset must end it.
    other = browser.new_context().new_page()
    other.goto(live_server + "/login")
    other.get_by_label("Username or e-mail address").fill("jordan")
    other.get_by_label("Password").fill(PASSWORD)
    other.get_by_role("button", name="Sign in").click()
    expect(other.get_by_role("status")).to_contain_text("Signed in as")

    page.goto(live_server + "/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("E-mail address").fill("jordan@example.com")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("status")).to_contain_text("If an account uses jordan@example.com")

    link = mailbox.link(mailbox.last_to("jordan@example.com"), "/reset-password/")
    assert link.startswith(live_server)  # built from SITE_URL
    page.goto(link)
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Repeat the new password").fill("short")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_text("Use at least 8 characters.")).to_be_visible()
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password is changed")
    expect(page.locator("details.user-menu > summary")).to_contain_text("jordan")

    other.reload()
    expect(other.get_by_role("link", name="Sign in")).to_be_visible()

    page.goto(link)  # used: it works once
    expect(page.get_by_role("alert")).to_contain_text("used already")
    sign_out(page)
    page.goto(live_server + "/login")
    page.get_by_label("Username or e-mail address").fill("jordan@example.com")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("status")).to_contain_text("Signed in as jordan")


def test_visitor_contacts_support_and_answers_by_link(live_server: str, page: Page, db, mailbox):  # noqa: F811
    agent = make_user(db.session, "sam", role=Role.AGENT, display_name="Sam Varga")
    db.session.commit()

    page.goto(live_server + "/")
    page.get_by_role("link", name="Contact support").first.click()
    page.get_by_label("Your name (optional)").fill("Vera")
    page.get_by_label("Your e-mail address").fill("vera@example.com")
    page.get_by_label("What is it about?").fill("Invoice shows a double charge")
    page.get_by_label("Tell us more").fill("I was charged twice in November.")
    page.get_by_role("button", name="Send to an agent").click()
    expect(page.get_by_role("status")).to_contain_text("vera@example.com")

    case = db.session.scalar(select(Case).where(Case.requester_email == "vera@example.com"))
    assert f"#{case.id}" in mailbox.last_to("vera@example.com")["Subject"]
    reply_privately(db.session, db.session.get(User, agent.id), case, "We refunded one charge.")
    db.session.commit()

    answer = mailbox.last_to("vera@example.com")
    assert "We refunded one charge." in mailbox.text(answer)
    page.goto(mailbox.link(answer, "/support/requests/"))
    expect(
        page.get_by_role("heading", name=re.compile("Invoice shows a double charge"))
    ).to_be_visible()
    expect(page.get_by_text("We refunded one charge.")).to_be_visible()
    page.get_by_role("textbox", name="Your message").fill("Thank you, I see it.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_contain_text("Message sent")
    expect(page.get_by_text("Thank you, I see it.")).to_be_visible()
