"""Steps several browser journeys share."""

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD


def sign_in(page: Page, base: str, username: str) -> None:
    """Sign a factory user in through the login form and wait for the greeting."""
    page.goto(base + "/login")
    page.get_by_label("Username or e-mail address").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("status")).to_contain_text("Signed in as")


def open_user_menu(page: Page) -> None:
    """Open the header's user menu (a <details>: a click on its summary)."""
    menu = page.locator("details.user-menu")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()


def sign_out(page: Page) -> None:
    """Sign out through the user menu in the header."""
    open_user_menu(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
