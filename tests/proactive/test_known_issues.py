"""Known issues: declared, shown to visitors and before customers write, linked, resolved
for everyone at once (threads, cases, followers), every step audited."""

from sqlalchemy import select

from community.models import Post
from moderation.cases.models import CaseStatus
from moderation.models import AuditEntry
from portal.notifications import Notification
from portal.permissions import Role
from proactive import issues
from proactive.models import KnownIssueLink
from search.models import DeflectionEvent
from tests.factories import make_tag, make_thread, make_user
from tests.moderation.cases.helpers import make_agent, make_case

OUTAGE = "Internet down in the Lyon area since this morning"
EXPLANATION = "A fibre cable was cut near Lyon. Technicians are on site; we expect a fix by noon."


def declare(s, agent=None, tags=()):
    agent = agent or make_agent(s, "sam")
    return issues.declare_issue(
        s, agent, title=OUTAGE, explanation=EXPLANATION, tag_slugs=[t.slug for t in tags]
    )


def test_declared_issue_shows_on_home_topic_and_contact_form(db, client, auth):
    s = db.session
    internet = make_tag(s, "Internet")
    make_user(s, "carla")
    issue = declare(s, tags=[internet])
    s.commit()

    home = client.get("/").get_data(as_text=True)
    assert OUTAGE in home and f"/known-issues/{issue.id}" in home
    assert OUTAGE in client.get(f"/kb/topics/{internet.slug}").get_data(as_text=True)
    page = client.get(f"/known-issues/{issue.id}").get_data(as_text=True)
    assert EXPLANATION in page

    auth.login("carla")
    contact = client.get("/support/contact").get_data(as_text=True)
    assert "We know about this problem" in contact and OUTAGE in contact
    ask = client.get("/community/ask").get_data(as_text=True)
    assert OUTAGE in ask
    entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "known_issue.declared"))
    assert entry.target_id == issue.id and entry.actor_name == "sam"


def test_other_topic_page_shows_no_banner(db, client):
    s = db.session
    internet, billing = make_tag(s, "Internet"), make_tag(s, "Billing")
    declare(s, tags=[internet])
    s.commit()
    assert OUTAGE not in client.get(f"/kb/topics/{billing.slug}").get_data(as_text=True)


def test_opening_the_status_from_the_form_is_a_deflection_step(db, client, auth):
    s = db.session
    make_user(s, "carla")
    issue = declare(s)
    s.commit()
    auth.login("carla")
    client.get(f"/known-issues/{issue.id}?via=banner&q=no+internet")
    client.post(f"/known-issues/{issue.id}/answered")
    steps = [(e.step, e.doc_key) for e in s.scalars(select(DeflectionEvent).order_by("id"))]
    key = f"issue:{issue.id}"
    assert steps == [("shown", None), ("opened", key), ("solved", key)]


def test_resolving_notifies_followers_answers_threads_and_solves_linked_cases(db, client, auth):
    s = db.session
    agent = make_agent(s, "sam")
    issue = declare(s, agent)
    follower = make_user(s, "fiona")
    issues.follow(s, follower, issue)
    thread = make_thread(s, title="No internet at all since 7am in Lyon")
    case_a = make_case(s, subject="Internet down", body="Nothing works since this morning")
    case_b = make_case(s, subject="Connection lost", body="Lyon, no connection")
    for target in ({"thread": thread}, {"case": case_a}, {"case": case_b}):
        issues.link(s, agent, issue, **target)
    s.commit()

    auth.login("sam")
    response = client.post(
        f"/desk/known-issues/{issue.id}/resolve",
        data={"message": "The cable is repaired: the connection is back.", "solve_cases": "y"},
    )
    assert response.status_code == 302
    s.expire_all()
    assert issue.status == "resolved"
    replies = s.scalars(select(Post).where(Post.thread_id == thread.id, Post.author_id == agent.id))
    assert [p.body for p in replies] == ["The cable is repaired: the connection is back."]
    for case in (case_a, case_b):
        assert case.status == CaseStatus.SOLVED.value
    assert s.scalar(select(KnownIssueLink).where(KnownIssueLink.case_id == case_a.id)).solved_at
    note = s.scalar(select(Notification).where(Notification.user_id == follower.id))
    assert OUTAGE in note.message and note.link == f"/known-issues/{issue.id}"
    customers = {case_a.customer_id, case_b.customer_id}
    solved_notes = s.scalars(
        select(Notification).where(
            Notification.user_id.in_(customers), Notification.kind == "case_solved"
        )
    ).all()
    assert len(solved_notes) == 2
    actions = set(s.scalars(select(AuditEntry.action)))
    assert {"known_issue.declared", "known_issue.linked", "known_issue.resolved"} <= actions
    assert OUTAGE not in client.get("/").get_data(as_text=True)  # the banner is gone


def test_declare_form_keeps_text_on_error_and_is_for_agents_only(db, client, auth):
    s = db.session
    make_agent(s, "sam")
    make_user(s, "carla")
    s.commit()
    auth.login("carla")
    assert client.get("/desk/known-issues/new").status_code == 403
    auth.logout()
    auth.login("sam")
    response = client.post(
        "/desk/known-issues/new", data={"title": OUTAGE, "status": "identified", "explanation": ""}
    )
    assert response.status_code == 422 and OUTAGE in response.get_data(as_text=True)
    response = client.post(
        "/desk/known-issues/new",
        data={"title": OUTAGE, "status": "identified", "explanation": EXPLANATION},
    )
    assert response.status_code == 302
    assert client.get("/desk/known-issues").status_code == 200
    manage = client.get(response.headers["Location"])
    assert manage.status_code == 200 and EXPLANATION in manage.get_data(as_text=True)


def test_customer_cannot_resolve_or_link(db, client, auth):
    s = db.session
    issue = declare(s)
    make_user(s, "carla", role=Role.CUSTOMER)
    s.commit()
    auth.login("carla")
    assert (
        client.post(f"/desk/known-issues/{issue.id}/resolve", data={"message": "x"}).status_code
        == 403
    )
    assert (
        client.post(f"/desk/known-issues/{issue.id}/link", data={"thread_id": 1}).status_code == 403
    )
