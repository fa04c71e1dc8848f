"""Migration 0018: the English timeline texts of existing cases become codes each reader
sees in their language; what does not parse, or names an ambiguous account, stays text."""

import json

import pytest
from flask_babel import force_locale
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from moderation.cases.models import Case
from portal.extensions import db as _db
from tests.moderation.cases.helpers import database_at, event_text

NBSP = "\u00a0"
USER = (
    "INSERT INTO users (id, username, email, password_hash, display_name, bio, role, "
    "created_at, suspension_reason, session_token) VALUES (:id, :username, :email, 'x', "
    ":name, '', 'agent', '2025-01-01 00:00:00', '', :token)"
)
EVENTS = [
    ("created", "Escalated by moderator Morgan: rude replies\nPriority High: Angry tone"),
    ("created", "Escalated by the sweep: No reply after 24 h"),
    ("assigned", "Routed by skills: assigned to Nina Laurent"),
    ("assigned", "Sam took the case"),  # two accounts go by "Sam": stays text
    ("status", "Status: open → pending customer"),
    ("solved", "Solved: known gap"),
    ("status", "Reopened"),
    ("created", "Demo case"),  # not a text the desk wrote: stays
    ("internal note", "Checked the account history: nothing unusual."),
]


@pytest.fixture
def migrated_to_0017(database_url, tmp_path):
    with database_at("0017", database_url, tmp_path) as app:
        yield app


def test_migration_0018_turns_the_desks_english_texts_into_codes(migrated_to_0017):
    with _db.engine.begin() as connection:
        for id, username, name in ((1, "nina", "Nina Laurent"), (2, "morgan", "Morgan"),
                                   (3, "sam", "Sam"), (4, "sam2", "Sam")):  # fmt: skip
            connection.execute(
                text(USER),
                {"id": id, "username": username, "email": f"{username}@example.com",
                 "name": name, "token": username},
            )  # fmt: skip
        connection.execute(
            text(
                "INSERT INTO cases (id, subject, body, customer_id, channel, status, priority, "
                "opened_at, first_response_due, resolution_due) VALUES (1, "
                "'Request of a deleted member', '', 1, 'contact form', 'open', 'high', "
                "'2025-01-01 00:00:00', '2025-01-01 04:00:00', '2025-01-02 00:00:00')"
            )
        )
        for kind, body in EVENTS:
            connection.execute(
                text(
                    "INSERT INTO case_events (case_id, kind, body, created_at) "
                    "VALUES (1, :kind, :body, '2025-01-01 00:00:00')"
                ),
                {"kind": kind, "body": body},
            )
    upgrade(revision="0018")

    with _db.engine.connect() as connection:
        rows = connection.execute(text("SELECT body, lines FROM case_events ORDER BY id")).all()
    # SQLite hands the JSON column back as text here, PostgreSQL as values.
    stored = [(body, json.loads(v) if isinstance(v, str) else v) for body, v in rows]
    assert stored[0] == (
        "rude replies",
        [["escalated", {"moderator": 2}], ["priority_angry", {"priority": "high"}]],
    )
    assert stored[1] == ("", [["sweep_unanswered", {"hours": 24}]])
    assert stored[2] == ("", [["routed", {"agent": 1}]])
    assert stored[3] == ("Sam took the case", None)
    assert stored[4] == ("", [["status", {"old": "open", "new": "pending customer"}]])
    assert stored[7:] == [("Demo case", None), (EVENTS[8][1], None)]

    upgrade()  # the models below are those of the latest revision (later columns included)
    session = _db.session
    case = session.get(Case, 1)
    assert case.subject == ""
    with force_locale("fr"):
        french = [event_text(session, event) for event in case.events]
        assert case.title == "Demande d’un membre supprimé"
    assert french[2] == f"Routage par compétences{NBSP}: attribué à Nina Laurent"
    assert french[5] == f"Résolu{NBSP}: Lacune connue"
    assert [event_text(session, event) for event in case.events][0] == (
        "Escalated by moderator Morgan\nPriority High: angry tone\nrude replies"
    )
    session.remove()

    downgrade(revision="0017")
    with _db.engine.connect() as connection:
        bodies = connection.execute(text("SELECT body FROM case_events ORDER BY id")).scalars()
        subject = connection.execute(text("SELECT subject FROM cases")).scalar()
    assert list(bodies)[:3] == [
        "Escalated by moderator Morgan\nPriority High: Angry tone\nrude replies",
        "Escalated by the sweep: No reply after 24 h",
        "Routed by skills: assigned to Nina Laurent",
    ]
    assert subject == "Request of a deleted member"
