"""Known issues found by meaning (the real model): on the search page, among suggestions
while typing, on a rejected form; threads and cases suggested for linking."""

from proactive import issues, matching
from tests.factories import make_tag, make_thread, make_user
from tests.moderation.cases.helpers import make_agent, make_case

OUTAGE = "Internet down in the Lyon area"
EXPLANATION = "A fibre cable was cut. No internet connection for customers around Lyon."


def test_text_about_the_issue_matches_and_unrelated_text_does_not(db, semantic):
    s = db.session
    issues.declare_issue(s, make_agent(s, "sam"), title=OUTAGE, explanation=EXPLANATION)
    assert matching.matching_issues(s, "my internet connection is not working in Lyon")
    assert not matching.matching_issues(s, "how do I change the billing address on my invoice")


def test_search_page_and_suggestions_show_the_matching_issue(db, semantic, client):
    s = db.session
    issue = issues.declare_issue(s, make_agent(s, "sam"), title=OUTAGE, explanation=EXPLANATION)
    # An index with a document: search cannot build an empty one with vectors (search's
    # vector_store reshapes a 0-row matrix), a limit of search's, not of the banners.
    make_thread(s, title="Where do I find my invoices?", body="In the account page.")
    s.commit()
    page = client.get("/search?q=no+internet+connection+since+this+morning").get_data(True)
    assert OUTAGE in page and f"/known-issues/{issue.id}?via=banner" in page
    data = client.get("/search/suggest?q=no internet connection in Lyon").get_json()
    assert [n["title"] for n in data["notices"]] == [OUTAGE]
    assert client.get("/search/suggest?q=refund my invoice").get_json()["notices"] == []


def test_similar_threads_and_cases_are_suggested_for_linking(db, semantic):
    s = db.session
    router = make_tag(s, "Router")
    agent = make_agent(s, "sam")
    issue = issues.declare_issue(s, agent, title=OUTAGE, explanation=EXPLANATION)
    near = make_case(s, subject="No internet in Lyon", body="My connection is down since 8am")
    make_case(s, subject="Wrong invoice amount", body="I was billed twice for March")
    make_thread(s, make_user(s), "Internet connection down around Lyon", tags=[router])
    s.commit()
    found = matching.suggested_links(s, issue)
    assert [c.id for c in found.cases] == [near.id]
    issues.link(s, agent, issue, case=near)
    assert matching.suggested_links(s, issue).cases == []
