"""SLA breaches as facts (issue #21): recorded when they happen, never recomputed away."""

from datetime import UTC, datetime, timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from moderation.cases import clock, queries, service, surveys
from moderation.cases.models import Disposition, SlaBreach
from moderation.cases.sla import SlaState
from portal.extensions import db as _db
from tests.moderation.cases.helpers import database_at, make_agent, make_case

OPENED = datetime(2025, 10, 6, 9, 0, tzinfo=UTC)


def hours(n: float) -> datetime:
    return OPENED + timedelta(hours=n)


def breaches(case) -> list[tuple]:
    return [(b.target, b.priority, b.target_hours, b.due_at, b.breached_at) for b in case.breaches]


def test_an_urgent_case_answered_late_then_downgraded_stays_breached(db):
    s = db.session
    agent = make_agent(s)
    case = make_case(s, subject="Outage: no internet since this morning", now=OPENED)
    assert case.priority == "urgent"  # 1 h to first response
    service.reply_privately(s, agent, case, "We are on it.", now=hours(3))
    service.set_priority(s, agent, case, "normal", now=hours(4))
    # Before: due times recomputed from the opening (24 h): the 3 h answer looked "met".
    assert breaches(case) == [("first response", "urgent", 1.0, hours(1), hours(1))]


def test_a_late_resolution_stays_breached_after_a_reopening(db):
    s = db.session
    agent = make_agent(s)
    case = make_case(s, now=OPENED)  # normal: 24 h to answer, 72 h to solve
    service.reply_privately(s, agent, case, "Checking.", then="open", now=hours(1))
    surveys.solve_case(s, agent, case, disposition=Disposition.KNOWN_GAP, now=hours(80))
    service.change_status(s, agent, case, "open", now=hours(90))
    assert case.resolution_due == hours(90 + 72)  # a fresh window for the new life …
    surveys.solve_case(s, agent, case, disposition=Disposition.KNOWN_GAP, now=hours(91))
    # … but the first life's late solve is a fact. Before: "not breached".
    assert breaches(case) == [("resolution", "normal", 72.0, hours(72), hours(72))]


def test_an_upgrade_that_puts_the_due_time_in_the_past_breaches_at_the_change(db):
    s = db.session
    agent = make_agent(s)
    case = make_case(s, now=OPENED)
    service.set_priority(s, agent, case, "urgent", now=hours(5))  # first response due at 1 h
    assert breaches(case) == [("first response", "urgent", 1.0, hours(1), hours(5))]


def test_the_resolution_clock_pauses_while_the_case_waits_on_the_customer(db):
    s = db.session
    agent = make_agent(s)
    case = make_case(s, now=OPENED)
    service.reply_privately(s, agent, case, "Which router?", then="pending customer", now=hours(2))
    assert case.resolution_paused_at == hours(2)
    assert queries.sla_view(case, hours(100)).state == SlaState.PAUSED
    assert clock.record_overdue_breaches(s, hours(100)) == []  # waiting on the customer
    service.customer_message(s, case.customer, case, "The Hub 3.", now=hours(102))
    assert case.resolution_due == hours(72 + 100)  # 100 h paused
    surveys.solve_case(s, agent, case, disposition=Disposition.KNOWN_GAP, now=hours(150))
    assert breaches(case) == []


def test_without_the_pause_waiting_on_the_customer_counts(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "SLA_PAUSE_WHILE_PENDING", False)
    s = db.session
    agent = make_agent(s)
    case = make_case(s, now=OPENED)
    service.reply_privately(s, agent, case, "Which router?", then="pending customer", now=hours(2))
    service.customer_message(s, case.customer, case, "The Hub 3.", now=hours(102))
    assert breaches(case) == [("resolution", "normal", 72.0, hours(72), hours(72))]


def test_the_periodic_job_records_a_breach_where_nothing_happens(db):
    s = db.session
    case = make_case(s, now=OPENED)
    assert clock.record_overdue_breaches(s, hours(24)) == []  # due exactly now: not late yet
    clock.record_overdue_breaches(s, hours(30))
    assert breaches(case) == [("first response", "normal", 24.0, hours(24), hours(24))]
    clock.record_overdue_breaches(s, hours(80))
    clock.record_overdue_breaches(s, hours(81))  # once per target
    assert [b[0] for b in breaches(case)] == ["first response", "resolution"]
    assert s.query(SlaBreach).count() == 2


def test_a_solved_case_an_agent_replies_to_runs_its_clock_again(db):
    s = db.session
    agent = make_agent(s)
    case = make_case(s, now=OPENED)
    service.reply_privately(s, agent, case, "Try this.", then="open", now=hours(1))
    surveys.solve_case(s, agent, case, disposition=Disposition.KNOWN_GAP, now=hours(2))
    # The reply form's default leaves it pending: active again, no longer solved.
    service.reply_privately(s, agent, case, "And this.", now=hours(3))
    service.customer_message(s, case.customer, case, "Still broken.", now=hours(4))
    clock.record_overdue_breaches(s, hours(200))
    # Before: solved_at was kept, so the wait past its due time was never a breach.
    assert breaches(case) == [("resolution", "normal", 72.0, hours(3 + 72 + 1), hours(76))]


def test_the_job_runs_every_few_minutes(app):
    from portal.jobs import JOB_FUNCTIONS, state

    assert state(app).periodic[clock.BREACHES_JOB] == app.config["SLA_BREACH_CHECK_MINUTES"]
    assert JOB_FUNCTIONS[clock.BREACHES_JOB] is clock.breaches_job


@pytest.fixture
def migrated_to_0013(database_url, tmp_path):
    with database_at("0013", database_url, tmp_path) as app:
        yield app


def test_migration_0014_backfills_breaches_from_the_stored_times(migrated_to_0013):
    insert_case = text(
        "INSERT INTO cases (id, subject, body, customer_id, channel, status, priority, "
        "opened_at, first_response_due, resolution_due, first_response_at, solved_at) "
        "VALUES (:id, 's', '', 1, 'contact form', :status, 'normal', :opened, :first_due, "
        ":resolution_due, :responded, :solved)"
    )
    day = timedelta(days=1)
    with _db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, username, email, password_hash, display_name, bio, "
                "role, created_at, suspension_reason, session_token) VALUES (1, 'u', "
                "'u@example.com', 'x', '', '', 'agent', :now, '', 't')"
            ),
            {"now": OPENED.replace(tzinfo=None)},
        )
        for values in (
            # 1: answered late, solved in time; 2: solved late; 3: open, both past due.
            (1, "solved", OPENED, hours(24), hours(72), hours(30), hours(40)),
            (2, "solved", OPENED, hours(24), hours(72), hours(2), hours(80)),
            (3, "open", OPENED, hours(24), hours(72), None, None),
        ):
            names = ("id", "status", "opened", "first_due", "resolution_due", "responded")
            row = dict(zip((*names, "solved"), values, strict=True))
            naive = {k: v.replace(tzinfo=None) if isinstance(v, datetime) else v
                     for k, v in row.items()}  # fmt: skip
            connection.execute(insert_case, naive)
        connection.execute(
            text(
                "INSERT INTO case_events (case_id, kind, actor_id, body, created_at) "
                "VALUES (2, 'solved', 1, '', :at)"
            ),
            {"at": (OPENED + 3 * day).replace(tzinfo=None)},
        )
    upgrade()
    with _db.engine.connect() as connection:
        found = connection.execute(
            text("SELECT case_id, target, target_hours FROM case_sla_breaches ORDER BY 1, 2")
        ).all()
        events = connection.execute(text("SELECT COUNT(*) FROM case_events")).scalar()
    assert [tuple(row) for row in found] == [
        (1, "first response", 24.0),
        (2, "resolution", 72.0),
        (3, "first response", 24.0),
        (3, "resolution", 72.0),
    ]
    assert events == 1  # the cases table was altered in place, nothing cascaded
