"""The outage morning, end to end: a wave of similar questions raises one surge alert; the
agent declares a known issue from it and links a thread; a customer about to write sees
the banner on the contact form, follows the status and does not write; the agent resolves
the issue once, and the thread, the linked case and the follower all hear of it."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from community.models import Post
from moderation.cases.models import Case
from portal.database import utcnow
from portal.notifications import Notification
from proactive import watch
from search.models import DeflectionEvent
from tests.browser.helpers import sign_in
from tests.factories import make_tag, make_thread, make_user
from tests.moderation.cases.helpers import make_agent, make_case
from tests.proactive.test_surges import SURGE
from tests.search.conftest import (  # noqa: F401  (the real model, a fresh index)
    encoder_dir,
    model,
    search_app,
)


@pytest.mark.usefixtures("search_app")
def test_outage_morning(db, live_server: str, page: Page, browser: Browser):
    s = db.session
    internet = make_tag(s, "Internet")
    make_agent(s, "sam")
    make_user(s, "carla")
    start = utcnow() - timedelta(minutes=40)
    for i, text in enumerate(SURGE):
        thread = make_thread(s, make_user(s), text, body=text + ". Please help.", tags=[internet])
        thread.created_at = start + timedelta(minutes=4 * i)
    case = make_case(s, subject="No internet at home", body="Nothing loads since 7 this morning")
    s.commit()

    # 08:40 — the watcher's periodic run.
    assert len(watch.watch(s)) == 1
    s.commit()

    # The agent sees the alert on the desk and declares a known issue from it.
    sign_in(page, live_server, "sam")
    page.goto(live_server + "/desk/")
    expect(page.get_by_role("heading", name=re.compile("surge alert"))).to_be_visible()
    page.get_by_role("link", name="Declare a known issue").first.click()
    expect(page.get_by_label("Title")).not_to_have_value("")
    page.get_by_label("Title").fill("Internet down in the Lyon area")
    page.get_by_label("Status").select_option("identified")
    page.get_by_label("Public explanation").fill(
        "A fibre cable was cut near Lyon: no internet connection. Technicians are on site."
    )
    page.get_by_label("Affected topics").select_option("internet")
    page.get_by_role("button", name="Declare and show the banner").click()
    expect(page.get_by_role("status").first).to_contain_text("Known issue declared")
    # Suggested by meaning, confirmed by the agent: a thread and the case.
    page.locator(".suggested-links li").filter(has_text="Thread #").first.get_by_role(
        "button", name="Link"
    ).click()
    expect(page.get_by_role("status").first).to_contain_text("Linked")
    page.locator(".suggested-links li").filter(has_text=f"Case #{case.id}").get_by_role(
        "button", name="Link"
    ).click()
    expect(page.locator("section").filter(has_text="Linked threads and cases")).to_contain_text(
        f"Case #{case.id}"
    )

    # A customer about to write: the banner on the contact form, the status, no request.
    customer = browser.new_context().new_page()
    sign_in(customer, live_server, "carla")
    customer.goto(live_server + "/")
    expect(customer.get_by_text("Known issue: Internet down in the Lyon area")).to_be_visible()
    customer.goto(live_server + "/support/contact")
    expect(customer.get_by_text("We know about this problem")).to_be_visible()
    customer.get_by_role("link", name="Here is the status").click()
    expect(customer.get_by_role("heading", name="What we know")).to_be_visible()
    customer.get_by_role("button", name="Tell me when it is fixed").click()
    expect(customer.get_by_role("status").first).to_contain_text("We will tell you")
    customer.get_by_role("button", name="This is my problem: no need to write").click()
    expect(customer.get_by_role("status").first).to_contain_text("no need to write")

    # Noon: fixed. One update for everyone, the linked case solved with it.
    page.get_by_label("What was fixed").fill("The cable is repaired: connections are back.")
    page.get_by_label("Solve the linked cases with this answer").check()
    page.get_by_role("button", name="Resolve and tell everyone").click()
    expect(page.get_by_role("status").first).to_contain_text("Update sent to 1 threads, 1 cases")

    customer.goto(live_server + "/notifications")
    expect(customer.get_by_text(re.compile("Fixed: .Internet down"))).to_be_visible()
    customer.goto(live_server + "/")
    expect(customer.get_by_text("Known issue: Internet down in the Lyon area")).to_have_count(0)

    s.expire_all()
    assert s.get(Case, case.id).status == "solved"
    replies = s.scalars(select(Post).where(Post.body.like("The cable is repaired%"))).all()
    assert len(replies) == 1  # in the linked thread, by the agent
    assert s.scalar(select(Notification).where(Notification.kind == "known_issue_resolved"))
    steps = [e.step for e in s.scalars(select(DeflectionEvent).order_by(DeflectionEvent.id))]
    assert steps[-2:] == ["opened", "solved"]
