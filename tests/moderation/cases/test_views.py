"""Desk and support pages over HTTP: permissions, note privacy, double clicks, survey."""

from datetime import timedelta

from sqlalchemy import func, select

from moderation.cases import macros, routing, service, surveys
from moderation.cases.models import Case
from moderation.models import AuditEntry
from portal.database import utcnow
from portal.permissions import Role
from tests.factories import make_article, make_tag, make_thread, make_user
from tests.moderation.cases.helpers import make_agent, make_case

SECRET = "Customer sounds like a chargeback risk"


def test_customer_never_sees_internal_notes(client, db, auth):
    s = db.session
    customer = make_user(s, "cust")
    thread = make_thread(s, customer)
    case = make_case(s, thread=thread)
    agent = make_agent(s, "agent1")
    service.add_note(s, agent, case, SECRET)
    service.reply_privately(s, agent, case, "We are checking your line.")
    s.commit()
    auth.login("cust")
    page = client.get(f"/support/cases/{case.id}").get_data(as_text=True)
    assert "We are checking your line." in page and SECRET not in page
    assert SECRET not in client.get(f"/community/threads/{thread.id}").get_data(as_text=True)
    assert client.get(f"/desk/cases/{case.id}").status_code == 403
    auth.logout()
    auth.login("agent1")
    assert SECRET in client.get(f"/desk/cases/{case.id}").get_data(as_text=True)


def test_other_customers_case_is_404(client, db, auth):
    case = make_case(db.session, make_user(db.session, "owner"))
    make_user(db.session, "stranger")
    db.session.commit()
    auth.login("stranger")
    assert client.get(f"/support/cases/{case.id}").status_code == 404
    assert client.post(f"/support/cases/{case.id}", data={"body": "hi"}).status_code == 404
    assert client.get("/support/cases/9999").status_code == 404


def test_need_help_double_click_makes_one_case(client, db, auth):
    thread = make_thread(db.session, make_user(db.session, "asker"))
    db.session.commit()
    auth.login("asker")
    page = client.get(f"/community/threads/{thread.id}").get_data(as_text=True)
    assert "I still need help" in page
    first = client.post(f"/support/threads/{thread.id}/need-help")
    second = client.post(f"/support/threads/{thread.id}/need-help")
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count(Case.id))) == 1


def test_need_help_on_a_deleted_thread_says_so(client, db, auth):
    from community import service as community_service

    thread = make_thread(db.session, make_user(db.session, "asker"))
    community_service.delete_post(db.session, thread.author, thread.question)
    db.session.commit()
    auth.login("asker")
    response = client.post(f"/support/threads/{thread.id}/need-help")
    assert response.status_code == 422
    assert "removed" in response.get_data(as_text=True)


def test_contact_form_creates_a_case_and_keeps_text_on_error(client, db, auth):
    make_user(db.session, "writer")
    tag = make_tag(db.session, "Billing")
    db.session.commit()
    auth.login("writer")
    page = client.get("/support/contact").get_data(as_text=True)
    assert "Send to an agent" in page
    bad = client.post("/support/contact", data={"subject": "Hi", "body": "Kept text"})
    assert bad.status_code == 422 and "Kept text" in bad.get_data(as_text=True)
    response = client.post(
        "/support/contact",
        data={"subject": "Refund for May", "body": "Charged twice", "topics": [tag.slug]},
    )
    case = db.session.scalars(select(Case)).one()
    assert response.headers["Location"].endswith(f"/support/cases/{case.id}")
    assert case.channel == "contact form" and case.tags[0].slug == tag.slug


def test_assigning_to_anyone_but_an_agent_gives_the_form_back(client, db, auth):
    s = db.session
    agent = make_agent(s, "agent1")
    customer = make_user(s, "asker")
    case = make_case(s, customer)
    s.commit()
    auth.login("agent1")
    url = f"/desk/cases/{case.id}/assign"
    for assignee in ["abc", "²", str(2**31), str(2**63), str(customer.id)]:
        response = client.post(url, data={"assignee": assignee})
        assert response.status_code == 422, assignee
        assert "Not a valid choice" in response.get_data(as_text=True)
    assert client.post(url, data={"assignee": str(agent.id)}).status_code == 302
    s.refresh(case)
    assert case.assignee_id == agent.id


def test_agent_desk_queues_and_case_actions(client, db, auth):
    s = db.session
    make_agent(s, "agent1")
    thread = make_thread(s, make_user(s, "asker"))
    case = make_case(s, thread=thread)
    admin = make_user(s, "boss", role=Role.ADMIN)
    macros.save_macro(s, admin, None, title="Hello", body="Hello {customer_name}!")
    s.commit()
    auth.login("agent1")
    assert f"#{case.id}" in client.get("/desk/?queue=unassigned").get_data(as_text=True)
    client.post(f"/desk/cases/{case.id}/take")
    assert f"#{case.id}" in client.get("/desk/?queue=mine").get_data(as_text=True)
    macro_id = s.scalar(select(macros.Macro.id))
    page = client.get(f"/desk/cases/{case.id}?macro={macro_id}").get_data(as_text=True)
    assert "Hello asker!" in page
    empty = client.post(f"/desk/cases/{case.id}/reply", data={"body": "", "visibility": "public"})
    assert empty.status_code == 422
    client.post(
        f"/desk/cases/{case.id}/reply",
        data={"body": "Restart the Hub.", "visibility": "public", "then": "pending customer"},
    )
    thread_page = client.get(f"/community/threads/{thread.id}").get_data(as_text=True)
    assert "Restart the Hub." in thread_page and "Official answer" in thread_page
    bad = client.post(f"/desk/cases/{case.id}/solve", data={})
    assert bad.status_code == 422
    client.post(
        f"/desk/cases/{case.id}/solve", data={"disposition": "known gap", "accept_answer": "y"}
    )
    s.expire_all()
    case = s.get(Case, case.id)
    assert case.status == "solved" and thread.solution is not None


def test_survey_page_once(client, db):
    s = db.session
    case = make_case(s)
    survey = surveys.solve_case(s, make_agent(s), case, disposition="known gap")
    s.commit()
    url = f"/support/survey/{survey.token}"
    assert "Very satisfied" in client.get(url).get_data(as_text=True)
    out_of_range = client.post(url, data={"csat": "9", "nps": "3"})
    assert out_of_range.status_code == 422
    assert "from 1 to 5" in out_of_range.get_data(as_text=True)
    assert client.post(url, data={"csat": "4", "nps": "10"}).status_code == 302
    again = client.post(url, data={"csat": "1", "nps": "0"})
    assert again.status_code == 409 and "already answered" in again.get_data(as_text=True)
    assert client.get("/support/survey/nope").status_code == 404


def test_moderator_escalates_a_post(client, db, auth):
    thread = make_thread(db.session)
    make_user(db.session, "mod", role=Role.MODERATOR)
    db.session.commit()
    auth.login("mod")
    assert "Escalate to agents" in client.get(f"/community/threads/{thread.id}").get_data(
        as_text=True
    )
    client.post(f"/desk/posts/{thread.question.id}/escalate", data={"reason": "Complaint"})
    assert db.session.scalars(select(Case)).one().channel == "moderator"


def test_supervisor_rules_and_profile_pages(client, db, auth):
    s = db.session
    make_user(s, "boss", role=Role.ADMIN)
    make_case(s, tags=[make_tag(s, "Router")])
    make_article(s, title="Router lights explained")
    s.commit()
    auth.login("boss")
    assert "Open cases per agent" in client.get("/desk/supervisor").get_data(as_text=True)
    assert "Churn risk" in client.get("/desk/rules").get_data(as_text=True)
    response = client.post("/desk/macros/new", data={"title": "Bad", "body": "Hi {nom}"})
    assert response.status_code == 422 and "Unknown placeholder" in response.get_data(as_text=True)
    client.post("/desk/profile", data={"available": "y", "skills": ["router"]})
    from moderation.cases.routing import agent_profile

    boss = s.scalar(select(macros.User).where(macros.User.username == "boss"))
    assert [t.slug for t in agent_profile(s, boss).skills] == ["router"]


def test_contact_form_asks_to_slow_down_past_the_hourly_limit(app, client, db, auth, monkeypatch):
    monkeypatch.setitem(app.config, "CASES_CONTACT_RATE_LIMIT", 2)
    writer = make_user(db.session, "writer")
    db.session.commit()
    auth.login("writer")
    for number in (1, 2):
        sent = client.post("/support/contact", data={"subject": f"Request {number}", "body": "x"})
        assert sent.status_code == 302
    third = client.post(
        "/support/contact", data={"subject": "Router still down", "body": "Kept third text"}
    )
    page = third.get_data(as_text=True)
    assert third.status_code == 429
    assert "Slow down: you sent 2 requests in the last hour" in page
    assert "Router still down" in page and "Kept third text" in page
    assert db.session.scalar(select(func.count(Case.id))) == 2
    # The window slides: requests older than an hour no longer count.
    for case in db.session.scalars(select(Case)):
        case.opened_at -= timedelta(minutes=61)
    db.session.commit()
    again = client.post("/support/contact", data={"subject": "Router still down", "body": "x"})
    assert again.status_code == 302
    # 0 turns the limit off.
    monkeypatch.setitem(app.config, "CASES_CONTACT_RATE_LIMIT", 0)
    for number in range(3):
        contact_support_as(db, writer, number)
    assert db.session.scalar(select(func.count(Case.id))) == 6


def contact_support_as(db, customer, number: int) -> None:
    from moderation.cases import sources

    sources.contact_support(
        db.session, customer, subject=f"More help {number}", body="Please", tag_slugs=[]
    )


def test_the_vip_button_goes_back_to_the_case_page_and_nowhere_else(client, db, auth):
    s = db.session
    make_user(s, "boss", role=Role.ADMIN)
    case = make_case(s, make_user(s, "karim"))
    s.commit()
    auth.login("boss")
    page = client.get(f"/desk/cases/{case.id}").get_data(as_text=True)
    assert f'name="next" value="/desk/cases/{case.id}"' in page
    case_page = f"/desk/cases/{case.id}"
    back = client.post("/desk/customers/karim/vip", data={"vip": "1", "next": case_page})
    assert back.headers["Location"] == case_page
    for away in ["https://evil.example/", "//evil.example", "/\t/evil.example"]:
        response = client.post("/desk/customers/karim/vip", data={"vip": "1", "next": away})
        assert response.headers["Location"] == "/desk/", away
    # The Referer is not a way back any more: it was an open redirect.
    response = client.post(
        "/desk/customers/karim/vip", data={"vip": "0"}, headers={"Referer": "https://evil.example/"}
    )
    assert response.headers["Location"] == "/desk/"


def test_admin_marks_a_vip_from_the_user_page_and_it_is_audited(client, db, auth):
    s = db.session
    make_user(s, "boss", role=Role.ADMIN)
    customer = make_user(s, "karim", display_name="Karim")
    make_user(s, "sam", role=Role.AGENT)
    s.commit()
    auth.login("boss")
    page = client.get("/admin/users/karim").get_data(as_text=True)
    assert "Support priority" in page and "Mark as VIP" in page
    response = client.post("/desk/customers/karim/vip", data={"vip": "1", "back": "admin"})
    assert response.headers["Location"].endswith("/admin/users/karim")
    page = client.get("/admin/users/karim").get_data(as_text=True)
    assert "is now a VIP customer" in page and "Remove VIP" in page
    assert routing.is_vip(s, customer)
    # Saving the same value again changes nothing and logs nothing more.
    client.post("/desk/customers/karim/vip", data={"vip": "1", "back": "admin"})
    client.post("/desk/customers/karim/vip", data={"vip": "0", "back": "admin"})
    s.expire_all()
    entries = s.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.actor_name, e.target_label) for e in entries] == [
        ("customer.vip_set", "boss", "@karim"),
        ("customer.vip_removed", "boss", "@karim"),
    ]
    assert not routing.is_vip(s, customer)
    # A VIP's new case starts at High at least.
    client.post("/desk/customers/karim/vip", data={"vip": "1", "back": "admin"})
    s.expire_all()
    assert make_case(s, customer, subject="A small question").priority == "high"
    s.commit()
    auth.logout()
    auth.login("sam")
    assert client.get("/admin/users/karim").status_code == 403
    assert client.post("/desk/customers/karim/vip", data={"vip": "0"}).status_code == 403
    assert routing.is_vip(s, customer)


def test_the_desk_shows_a_recorded_breach_and_a_paused_clock(client, db, auth):
    s = db.session
    agent = make_agent(s, "agent1")
    opened = utcnow() - timedelta(hours=5)
    case = make_case(s, subject="Outage: no internet at all", now=opened)  # urgent: 1 h
    service.reply_privately(s, agent, case, "Which router?", now=opened + timedelta(hours=3))
    service.set_priority(s, agent, case, "low", now=opened + timedelta(hours=4))
    s.commit()
    auth.login("agent1")
    page = client.get(f"/desk/cases/{case.id}").get_data(as_text=True)
    assert "Paused" in page and "First response breached" in page
    assert "First response breached" in client.get("/desk/?queue=all").get_data(as_text=True)


def test_customer_reopens_a_solved_request_by_replying(client, db, auth):
    s = db.session
    customer, agent = make_user(s, "cust"), make_agent(s, "agent1")
    case = make_case(s, customer)
    service.reply_privately(s, agent, case, "Restart the Hub, please.")
    surveys.solve_case(s, agent, case, disposition="known gap")
    s.commit()
    auth.login("cust")
    page = client.get(f"/support/cases/{case.id}").get_data(as_text=True)
    # The acknowledgement is the portal's, not the customer's own words.
    first = page.split('class="timeline"')[1].split("</li>")[0]
    assert "We received your request." in first and "<strong>You</strong>" not in first
    assert "Not solved after all?" in page and "Reopen and send" in page

    response = client.post(f"/support/cases/{case.id}", data={"body": "Still drops at 9 pm."})
    assert response.status_code == 302
    s.refresh(case)
    assert case.status == "open" and case.solved_at is None
    page = client.get(f"/support/cases/{case.id}").get_data(as_text=True)
    assert "Your request is open again" in page and "Still drops at 9 pm." in page

    service.change_status(s, agent, case, "closed")
    s.commit()
    page = client.get(f"/support/cases/{case.id}").get_data(as_text=True)
    assert "This request is closed" in page and "Reopen and send" not in page
    refused = client.post(f"/support/cases/{case.id}", data={"body": "Hello again, anyone?"})
    assert refused.status_code == 422 and b"Hello again, anyone?" in refused.data


def test_after_accepting_a_solution_the_asker_is_not_offered_i_still_need_help(client, db, auth):
    from community import service as community_service
    from tests.factories import make_reply

    thread = make_thread(db.session, make_user(db.session, "asker"))
    reply = make_reply(db.session, thread)
    db.session.commit()
    auth.login("asker")
    page = client.get(f"/community/threads/{thread.id}").get_data(as_text=True)
    assert "I still need help" in page and "Know the answer?" not in page
    community_service.accept_solution(db.session, thread.author, thread, reply)
    db.session.commit()
    page = client.get(f"/community/threads/{thread.id}").get_data(as_text=True)
    assert "I still need help" not in page and "Withdraw the solution" in page
    assert "Know the answer?" not in page


def test_contact_topics_are_checkboxes(client, db, auth):
    make_tag(db.session, "Billing")
    make_user(db.session, "cust")
    db.session.commit()
    auth.login("cust")
    page = client.get("/support/contact").get_data(as_text=True)
    assert 'type="checkbox"' in page and 'value="billing"' in page
    assert "<select multiple" not in page and 'multiple id="topics"' not in page
