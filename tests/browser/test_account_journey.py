"""A visitor registers, sees their profile, signs out and back in, and signs out."""

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import open_user_menu, sign_out

PASSWORD = "a-long-enough-password"


def test_visitor_registers_signs_in_and_out(live_server: str, page: Page):
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", name="How can we help?")).to_be_visible()

    page.get_by_role("link", name="Join").click()
    page.get_by_label("Username").fill("jordan")
    page.get_by_label("E-mail address").fill("jordan@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill("not the same")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("The passwords differ.")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("jordan")  # nothing typed is lost

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/u/jordan$"))
    expect(page.get_by_role("heading", name="jordan")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Welcome, jordan")

    sign_out(page)
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()

    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username or e-mail address").fill("jordan@example.com")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Wrong username/e-mail or password.")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Keep me signed in on this device").check()
    page.get_by_role("button", name="Sign in").click()
    open_user_menu(page)
    page.get_by_role("link", name="Your profile").click()
    expect(page).to_have_url(re.compile(r"/u/jordan$"))
    expect(page.get_by_text("@jordan · member since")).to_be_visible()

    sign_out(page)
    expect(page.get_by_role("status")).to_contain_text("You are signed out.")
