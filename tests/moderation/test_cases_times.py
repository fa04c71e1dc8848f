"""Case times: due times in the agent's zone."""

from datetime import UTC, datetime
from email import message_from_string, policy

import pytest

from tests.factories import make_tag
from tests.moderation.case_helpers import make_agent, make_case


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
    return f"{message['Subject']}\n{message.get_body().get_content()}"


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
