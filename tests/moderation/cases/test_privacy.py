"""A deleted account at the desk: a customer's requests lose their texts, an agent's cases
go back to the queue; a customer downloads their requests without the internal notes."""

from sqlalchemy import select

from moderation.cases import routing, service, surveys
from moderation.cases.models import AgentProfile, CaseEvent, CustomerFlag, Disposition
from portal import privacy
from portal.models import DELETED_NAME
from portal.permissions import Role
from tests.factories import PASSWORD, make_tag, make_user
from tests.moderation.cases.helpers import event_text, make_agent, make_case


def bodies(session, case) -> list[tuple[str, str]]:
    rows = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id))
    return [(event.kind, event_text(session, event)) for event in rows]


def test_a_deleted_customers_requests_keep_their_numbers_not_their_words(db):
    s = db.session
    customer, agent = make_user(s, "jordan"), make_agent(s, "alex", display_name="Alex Agent")
    solved = make_case(s, customer, subject="Refund for order 1234", body="I live at 1 Main St.")
    service.take_case(s, agent, solved)
    service.reply_privately(s, agent, solved, "Hello Jordan, refund sent to your card.")
    surveys.solve_case(s, agent, solved, disposition=Disposition.KNOWN_GAP)
    surveys.answer_survey(s, solved.survey.token, csat=5, nps=9, comment="Thanks, Jordan here")
    still_open = make_case(s, customer, subject="My phone is 555-0100")
    service.add_note(s, agent, still_open, "Jordan sounds upset")
    routing.set_vip(s, make_user(s, role=Role.ADMIN), customer, True)

    privacy.delete_account(s, customer, customer, password=PASSWORD)

    for case in (solved, still_open):
        assert case.subject == case.body == "" and case.title == "Request of a deleted member"
        assert "Jordan" not in str(bodies(s, case)) and "555" not in str(bodies(s, case))
    assert (solved.status, solved.survey.csat, solved.survey.nps) == ("solved", 5, 9)
    assert solved.survey.comment == "" and solved.first_response_at is not None
    assert still_open.status == "closed" and still_open.closed_at is not None
    assert ("status", "Closed: the account was deleted") in bodies(s, still_open)
    assert s.get(CustomerFlag, customer.id) is None


def test_a_deleted_agents_cases_go_back_to_the_queue_and_their_name_leaves_timelines(db):
    s = db.session
    tag = make_tag(s)
    agent = make_agent(s, "alex", skills=[tag], display_name="Ro")  # as in "Routed"
    routed = make_case(s, tags=[tag], subject="Router resets")  # routed to Ro
    assert routed.assignee_id == agent.id
    taken = make_case(s, subject="Roaming lost")
    service.take_case(s, agent, taken)
    admin = make_user(s, role=Role.ADMIN)

    privacy.delete_account(s, admin, agent)

    assert routed.assignee_id is None and taken.assignee_id is None
    assert ("assigned", f"Routed by skills: assigned to {DELETED_NAME}") in bodies(s, routed)
    assert ("assigned", f"{DELETED_NAME} took the case") in bodies(s, taken)
    assert ("assigned", "Back to the unassigned queue") in bodies(s, taken)
    assert s.get(AgentProfile, agent.id) is None
    assert agent.id not in [load.agent_id for load in routing.agent_loads(s)]


def test_download_lists_requests_with_what_the_customer_saw(db):
    s = db.session
    customer, agent = make_user(s), make_agent(s)
    case = make_case(s, customer, subject="Line drops", body="Every evening.")
    service.reply_privately(s, agent, case, "Try another cable.")
    service.add_note(s, agent, case, "Probably the cable")
    service.customer_message(s, customer, case, "Still drops.")

    data = privacy.collect_data(s, customer)["support"]

    request = data["requests"][0]
    assert (request["subject"], request["message"]) == ("Line drops", "Every evening.")
    messages = [(m["from"], m["body"]) for m in request["messages"] if m["kind"] != "created"]
    assert messages == [("support", "Try another cable."), ("you", "Still drops.")]
    assert "Probably the cable" not in str(data) and "Internal notes" in data["not_included"]
    assert data["vip"] is False and data["agent_profile"] is None
