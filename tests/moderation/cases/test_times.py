"""Case times: a reopened case's fresh resolution window, due times in the agent's zone."""

from datetime import UTC, datetime, timedelta
from email import message_from_string, policy

import pytest

from moderation.cases import queries, service, surveys
from moderation.cases.models import Disposition, SlaTarget
from moderation.cases.sla import DEFAULT_SLA_POLICY, SlaState
from portal.database import utcnow
from tests.factories import make_tag
from tests.moderation.cases.helpers import make_agent, make_case


@pytest.fixture
def policy_hours(app, monkeypatch):
    """An SLA policy of the settings whose normal resolution window is 10 hours."""
    custom = {**DEFAULT_SLA_POLICY, "normal": {"first_response": 2, "resolution": 10}}
    monkeypatch.setitem(app.config, "SLA_POLICY", custom)
    return custom


def test_reopening_recomputes_the_resolution_due_time_from_the_policy(db, policy_hours):
    s = db.session
    agent = make_agent(s)
    case = make_case(s, now=utcnow() - timedelta(days=5))
    assert case.priority == "normal"
    first_response_due = case.first_response_due
    service.reply_privately(s, agent, case, "Which router model do you have?")
    surveys.solve_case(s, agent, case, disposition=Disposition.KNOWN_GAP.value)
    inherited = case.resolution_due
    assert inherited < utcnow()  # its first life ended long after the 10 hours

    before = utcnow()
    service.change_status(s, agent, case, "open")
    after = utcnow()
    assert before + timedelta(hours=10) <= case.resolution_due <= after + timedelta(hours=10)
    assert case.first_response_due == first_response_due
    view = queries.sla_view(case, after)
    assert (view.target, view.state) == (SlaTarget.RESOLUTION, SlaState.ON_TRACK)

    # At risk in the last quarter of the new window, breached after it.
    assert queries.sla_view(case, after + timedelta(hours=8)).state == SlaState.AT_RISK
    assert queries.sla_view(case, after + timedelta(hours=11)).state == SlaState.BREACHED
    # A new priority counts its resolution window from the reopening too.
    service.set_priority(s, agent, case, "urgent")
    assert case.resolution_due == case.reopened_at + timedelta(hours=8)
    assert case.first_response_due == case.opened_at + timedelta(hours=1)

    # Reopened again later from "closed": the window starts again from that moment.
    service.change_status(s, agent, case, "closed")
    later = utcnow()
    service.change_status(s, agent, case, "open")
    assert case.resolution_due >= later + timedelta(hours=8)


@pytest.fixture
def outbox(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path / "outbox"))
    return tmp_path / "outbox"


def mail_to(outbox, address: str) -> str:
    """The body of the one message sent to this address."""
    [message] = [
        parsed
        for parsed in (
            message_from_string(path.read_text(), policy=policy.default)
            for path in outbox.glob("*.eml")
        )
        if parsed["To"] == address
    ]
    return f"{message['Subject']}\n{message.get_body(('plain',)).get_content()}"


def test_assignment_mail_gives_the_due_time_in_the_agents_zone(db, outbox):
    s = db.session
    router, billing = make_tag(s, "Router"), make_tag(s, "Billing")
    make_agent(s, "paris", skills=[router], time_zone="Europe/Paris")
    make_agent(s, "anywhere", skills=[billing])
    opened = datetime(2025, 7, 15, 12, 0, tzinfo=UTC)  # normal priority: 24 h to answer
    make_case(s, tags=[router], now=opened)
    make_case(s, tags=[billing], now=opened)
    s.commit()
    assert "first response due 16 Jul 2025, 14:00 CEST" in mail_to(outbox, "paris@example.com")
    assert "first response due 16 Jul 2025, 12:00 UTC" in mail_to(outbox, "anywhere@example.com")
