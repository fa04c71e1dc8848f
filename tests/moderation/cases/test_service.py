"""Case rules without HTTP: opening, routing, SLA persistence, replies, notes, statuses."""

from datetime import timedelta

import pytest

from community.models import PostStatus
from moderation.cases import queries, routing, service, sources
from moderation.cases.models import Case, CaseStatus, EventKind, SlaTarget
from moderation.cases.sla import SlaState
from portal.database import utcnow
from portal.errors import PermissionDenied, ValidationFailed
from portal.notifications import Notification
from portal.permissions import Role
from tests.factories import make_tag, make_thread, make_user
from tests.moderation.cases.helpers import event_text, make_agent, make_case


def test_routing_picks_available_agent_with_matching_skill_fewest_open_first(db):
    s = db.session
    internet, billing = make_tag(s, "Internet"), make_tag(s, "Billing")
    busy = make_agent(s, "busy", skills=[internet])
    free = make_agent(s, "free", skills=[internet])
    make_agent(s, "away", skills=[internet], available=False)
    make_agent(s, "money", skills=[billing])
    make_case(s, tags=[internet])  # goes to busy or free; then the other is less loaded
    first = s.query(Case).one().assignee_id
    second = make_case(s, tags=[internet])
    assert {first, second.assignee_id} == {busy.id, free.id}
    assert second.events[-1].kind == EventKind.ASSIGNED
    notes = s.query(Notification).filter_by(kind="case_assigned").all()
    assert {n.user_id for n in notes} == {busy.id, free.id}


def test_no_matching_agent_leaves_case_unassigned(db):
    s = db.session
    make_agent(s, skills=[make_tag(s, "Billing")])
    case = make_case(s, tags=[make_tag(s, "Cameras")])
    assert case.assignee_id is None
    assert case in s.scalars(queries.queue("unassigned", make_user(s))).all()


def test_priority_from_rules_vip_and_sla_due_times(db):
    s = db.session
    customer = make_user(s)
    case = make_case(s, customer, subject="Total outage since this morning")
    assert case.priority == "urgent"
    assert case.first_response_due - case.opened_at == timedelta(hours=1)
    assert "Outage" in event_text(s, case.events[0])
    routing.set_vip(s, make_user(s, role=Role.ADMIN), customer, True)
    vip_case = make_case(s, customer, subject="Question about my modem")
    assert vip_case.priority == "high"
    assert vip_case.first_response_due - vip_case.opened_at == timedelta(hours=4)


def test_admin_rules_replace_the_defaults(db, app):
    s = db.session
    admin = make_user(s, role=Role.ADMIN)
    routing.seed_default_rules(s)
    routing.save_rule(s, admin, None, name="Fire", keywords="smoke\nfumée", priority="urgent")
    assert make_case(s, subject="Il y a de la fumée sur la box").priority == "urgent"
    with pytest.raises(ValidationFailed):
        routing.save_rule(s, admin, None, name="Empty", keywords="  ", priority="high")
    with pytest.raises(PermissionDenied):
        routing.save_rule(
            s, make_user(s, role=Role.AGENT), None, name="x", keywords="y", priority="low"
        )


def test_sla_policy_setting_is_used(db, app):
    app.config["SLA_POLICY"] = {
        p: {"first_response": 2, "resolution": 5} for p in ("low", "normal", "high", "urgent")
    }
    try:
        case = make_case(db.session)
        assert case.first_response_due - case.opened_at == timedelta(hours=2)
    finally:
        app.config["SLA_POLICY"] = {}


def test_sla_view_breach_and_attention_queue(db):
    s = db.session
    case = make_case(s)
    case.opened_at = utcnow() - timedelta(hours=30)
    case.first_response_due = utcnow() - timedelta(hours=6)
    s.flush()
    now = utcnow()
    view = queries.sla_view(case, now)
    assert view.state == SlaState.BREACHED and view.left.startswith("overdue by 6 hr")
    assert queries.attention_cases(s, now) == [case]
    service.reply_privately(s, make_agent(s), case, "Here is what to do.")
    assert case.first_response_at is not None
    assert queries.sla_view(case, utcnow()).target == SlaTarget.RESOLUTION


def test_one_case_per_thread(db):
    s = db.session
    thread = make_thread(s)
    first = make_case(s, thread=thread)
    again, created = sources.need_help(s, thread.author, thread)
    assert again.id == first.id and not created
    assert s.query(Case).count() == 1


def test_need_help_only_for_asker_and_not_for_removed_thread(db):
    s = db.session
    thread = make_thread(s)
    with pytest.raises(PermissionDenied):
        sources.need_help(s, make_user(s), thread)
    thread.question.status = PostStatus.DELETED.value
    with pytest.raises(ValidationFailed, match="removed"):
        sources.need_help(s, thread.author, thread)


def test_escalate_post_by_moderator_and_deleted_post_refused(db):
    s = db.session
    thread = make_thread(s)
    moderator = make_user(s, role=Role.MODERATOR)
    case = sources.escalate_post(s, moderator, thread.question, "Complaint about billing")
    assert case.channel == "moderator" and "Complaint" in case.events[0].body
    with pytest.raises(PermissionDenied):
        sources.escalate_post(s, make_user(s), thread.question, "")
    other = make_thread(s)
    other.question.status = PostStatus.DELETED.value
    with pytest.raises(ValidationFailed, match="removed"):
        sources.escalate_post(s, moderator, other.question, "")


def test_public_reply_goes_into_the_thread_and_sets_first_response(db):
    s = db.session
    thread = make_thread(s)
    case = make_case(s, thread=thread)
    agent = make_agent(s)
    post = service.reply_publicly(s, agent, case, "Restart the Hub, then run a line test.")
    assert post.thread_id == thread.id and post.author_id == agent.id
    assert case.first_response_at is not None and case.status == CaseStatus.PENDING
    s.commit()  # the asker hears of the reply through the community's notification job
    assert s.query(Notification).filter_by(user_id=thread.author_id, kind="reply").count() == 1


def test_contact_form_case_has_no_thread_and_refuses_public_reply(db):
    s = db.session
    case = sources.contact_support(
        s, make_user(s), subject="Refund for May", body="Charged twice.", tag_slugs=[]
    )
    assert case.channel == "contact form" and case.priority == "high"
    with pytest.raises(ValidationFailed, match="reply privately"):
        service.reply_publicly(s, make_agent(s), case, "Hello")


def test_status_transitions_and_reopen(db):
    s = db.session
    agent, case = make_agent(s), make_case(s)
    service.take_case(s, agent, case)
    assert case.status == "open" and case.assignee_id == agent.id
    service.change_status(s, agent, case, "pending customer")
    with pytest.raises(ValidationFailed):
        service.change_status(s, agent, case, "solved")
    service.change_status(s, agent, case, "closed")
    assert case.closed_at is not None
    with pytest.raises(ValidationFailed):
        service.change_status(s, agent, case, "pending customer")
    service.change_status(s, agent, case, "open")
    assert case.closed_at is None and event_text(s, case.events[-1]) == "Reopened"


def test_customer_message_reopens_pending_case_and_notifies_assignee(db):
    s = db.session
    agent, case = make_agent(s), make_case(s)
    service.reply_privately(s, agent, case, "Which router model?")
    assert case.status == "pending customer"
    service.customer_message(s, case.customer, case, "The Hub 3.")
    assert case.status == "open"
    assert s.query(Notification).filter_by(user_id=agent.id, kind="case_customer_message").count()
    with pytest.raises(PermissionDenied):
        service.customer_message(s, make_user(s), case, "Not mine")


def test_priority_change_recomputes_due_times(db):
    s = db.session
    agent, case = make_agent(s), make_case(s)
    service.set_priority(s, agent, case, "urgent")
    assert case.first_response_due - case.opened_at == timedelta(hours=1)
    with pytest.raises(ValidationFailed):
        service.set_priority(s, agent, case, "critical")
    with pytest.raises(PermissionDenied):
        service.set_priority(s, make_user(s), case, "low")
