"""An admin opens the dashboard, switches the period, mistypes dates, downloads a CSV."""

import csv
from datetime import timedelta

from playwright.sync_api import Download, Page, expect

from portal.database import utcnow
from portal.permissions import Role
from tests.browser.helpers import sign_in
from tests.factories import make_tag, make_thread, make_user


def csv_rows(download: Download) -> list[list[str]]:
    with open(download.path(), encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_admin_switches_the_period_and_downloads_a_csv(live_server: str, page: Page, db):
    s = db.session
    make_user(s, "ada", role=Role.ADMIN)
    router, billing = make_tag(s, "Router"), make_tag(s, "Billing")
    customer = make_user(s, "jordan")
    for number in range(3):
        make_thread(s, customer, f"Router question {number} this week", tags=[router])
    make_thread(s, customer, "Billing question this week", tags=[billing])
    older = make_thread(s, customer, "Billing question three weeks ago", tags=[billing])
    older.created_at = older.question.created_at = utcnow() - timedelta(days=20)
    s.commit()

    sign_in(page, live_server, "ada")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Support dashboard")).to_be_visible()
    expect(page.get_by_role("link", name="Last 30 days")).to_have_attribute("aria-current", "page")
    asked = page.locator("#kpi-questions_asked .kpi-value")
    expect(asked).to_have_text("5")

    page.get_by_role("link", name="Last 7 days").click()
    expect(page.get_by_role("link", name="Last 7 days")).to_have_attribute("aria-current", "page")
    expect(asked).to_have_text("4")
    expect(page.locator("#kpi-questions_asked .kpi-change")).to_contain_text("Up from 0")
    by_tag = page.get_by_role("article").filter(
        has=page.get_by_role("heading", name="Questions by tag")
    )
    expect(by_tag.get_by_role("img", name="Questions by tag")).to_be_visible()
    by_tag.get_by_text("Show the numbers").click()
    numbers = by_tag.get_by_role("table")
    expect(numbers.get_by_role("row")).to_have_count(3)
    expect(numbers.get_by_role("row", name="Router 3")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV of Questions by tag").click()
    download = download_info.value
    today = utcnow().date()
    first_day = today - timedelta(days=6)
    assert download.suggested_filename == f"questions_by_tag_{first_day}_to_{today}.csv"
    assert csv_rows(download) == [["Tag", "Questions"], ["Router", "3"], ["Billing", "1"]]

    # A custom range typed the wrong way round: the message, and the dates kept.
    page.get_by_label("From", exact=True).fill(str(today))
    page.get_by_label("To (included)", exact=True).fill(str(first_day))
    page.get_by_role("button", name="Show period").click()
    expect(page.get_by_role("alert")).to_have_text("The end date is before the start date.")
    expect(page.get_by_label("From", exact=True)).to_have_value(str(today))
    expect(page.get_by_label("To (included)", exact=True)).to_have_value(str(first_day))
    expect(page.get_by_label("To (included)", exact=True)).to_have_attribute("aria-invalid", "true")

    # Put right: three weeks back takes in the older question too.
    page.get_by_label("From", exact=True).fill(str(today - timedelta(days=21)))
    page.get_by_label("To (included)", exact=True).fill(str(today))
    page.get_by_role("button", name="Show period").click()
    expect(asked).to_have_text("5")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV of Questions by tag").click()
    assert csv_rows(download_info.value)[1:] == [["Router", "3"], ["Billing", "2"]]

    page.get_by_role("link", name="Questions asked").click()
    expect(page.get_by_role("heading", name="What the dashboard numbers mean")).to_be_visible()
    expect(page.locator("dt:target")).to_have_text("Questions asked")
