"""The Content-Security-Policy blocks nothing the portal itself does: a visitor, a customer
and an admin walk the main pages in Chromium and the browser reports no violation, while
the pages' scripts (times, suggestions while typing) still work."""

import pytest
from playwright.sync_api import Page, expect

from portal.permissions import Role
from tests.browser.helpers import sign_in, sign_out
from tests.factories import make_article, make_reply, make_tag, make_thread, make_user
from tests.moderation.cases.helpers import make_case

# Runs before any script of each page: the page's own code cannot miss or hide an event.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


@pytest.fixture
def console_reports(page: Page) -> list[str]:
    """CSP reports Chromium writes to the console, gathered while the test runs; the page
    also records the violation events (RECORD_VIOLATIONS)."""
    page.add_init_script(RECORD_VIOLATIONS)
    reports = []

    def record(message) -> None:
        if "Content Security Policy" in message.text:
            reports.append(message.text)

    page.on("console", record)
    return reports


def visit(page: Page, reports: list[str], url: str, status: int = 200) -> None:
    """Open a page served with the CSP and assert the browser blocked nothing on it."""
    response = page.goto(url)
    assert response.status == status, url
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    violations = page.evaluate("window.cspViolations")
    assert violations == [] and reports == [], (url, violations, reports)


@pytest.fixture
def content(db, app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "SEARCH_INDEX_DIR", str(tmp_path / "index"))
    s = db.session
    make_user(s, "ada", role=Role.ADMIN)
    jordan = make_user(s, "jordan")
    agent = make_user(s, "sam", role=Role.AGENT)
    router = make_tag(s, "Router")
    article = make_article(
        s, agent, "Resetting your router", tags=[router], body="## Steps\n\nHold reset."
    )
    thread = make_thread(s, jordan, "My router keeps restarting", tags=[router])
    make_reply(s, thread, agent, "Try a factory reset from the app.")
    case = make_case(s, customer=jordan, subject="Router restarts", tags=[router])
    s.commit()
    return {"article": article, "thread": thread, "case": case, "tag": router}


def test_main_pages_report_no_csp_violation(
    live_server: str, page: Page, console_reports: list[str], content
):
    base, reports = live_server, console_reports
    article, thread, case = content["article"], content["thread"], content["case"]

    for path in (
        "/",
        "/kb/",
        f"/kb/topics/{content['tag'].slug}",
        f"/kb/{article.slug}",  # its JSON-LD is data, which script-src does not block
        "/community/",
        f"/community/threads/{thread.id}",
        "/search?q=router",
        "/login",
        "/register",
    ):
        visit(page, reports, base + path)
    visit(page, reports, base + "/no-such-page", status=404)
    visit(page, reports, base + f"/kb/{article.slug}")
    assert page.locator('script[type="application/ld+json"]').count() == 1

    sign_in(page, base, "jordan")
    for path in ("/settings", "/notifications/", "/support/contact", f"/support/cases/{case.id}"):
        visit(page, reports, base + path)
    expect(page.locator("time[data-localize]")).to_have_count(0)  # localtime.js ran
    visit(page, reports, base + "/community/ask")
    question = page.get_by_role("textbox", name="Your question in one line")
    question.press_sequentially("router restarting", delay=20)  # suggest.js fetches
    expect(page.get_by_role("link", name="Resetting your router")).to_be_visible()
    assert page.evaluate("window.cspViolations") == []
    sign_out(page)

    sign_in(page, base, "ada")
    for path in (
        "/dashboard/",
        "/desk/",
        f"/desk/cases/{case.id}",
        "/moderation/",
        "/moderation/audit",
        "/admin/users",
        "/admin/users/jordan",
        "/admin/jobs",
        "/kb/manage",
        "/search/gaps",
    ):
        visit(page, reports, base + path)

    # The check itself works: an inline script is refused and reported.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.append(s); }"
    )
    page.wait_for_function("window.cspViolations.length > 0")
    assert page.evaluate("window.ran") is None
    assert page.evaluate("window.cspViolations")[0].startswith("script-src")
