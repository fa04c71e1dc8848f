"""Issue #21: the edge cases real sites produce, each from the exact history the audit found.

Each test failed before its fix; the comments give the number the dashboard showed then.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from community.models import PostStatus
from dashboard.metrics import build_dashboard
from dashboard.results import Period, preset_period
from moderation.cases import service, surveys
from moderation.cases.models import CaseStatus, Disposition
from moderation.models import AuditEntry
from portal import demo
from portal.database import utcnow
from search.models import DeflectionEvent
from tests.dashboard.dataset import _accept, _case, _reply, _thread
from tests.factories import make_tag, make_user
from tests.moderation.cases.helpers import make_agent, make_case

approx = pytest.approx


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def values(board, key):
    kpi = next(k for k in board.kpis if k.key == key)
    return kpi.value, kpi.previous


def test_a_row_in_the_last_half_millisecond_of_sunday_stays_in_its_week(db):
    s = db.session
    asker = make_user(s)
    sunday_night = utc(2025, 3, 9, 23, 59, 59, 999500)
    thread = _thread(s, asker, sunday_night, [make_tag(s)])
    _case(s, asker, sunday_night, sunday_night, sunday_night, thread=thread, status="new")
    board = build_dashboard(Period(utc(2025, 3, 3), utc(2025, 3, 17)))
    # Before: SQLite's date() rounded to the millisecond and put both in the week of the 10th.
    assert board.table("weekly_community").rows == (
        (date(2025, 3, 3), 1, 0, 1),
        (date(2025, 3, 10), 0, 0, 0),
    )
    assert [row[:2] for row in board.table("weekly_cases").rows] == [
        (date(2025, 3, 3), 1),
        (date(2025, 3, 10), 0),
    ]


OCTOBER = Period(utc(2025, 10, 1), utc(2025, 11, 1))
NOVEMBER = Period(utc(2025, 11, 1), utc(2025, 12, 1))
NINETY_DAYS = Period(utc(2025, 9, 2), utc(2025, 12, 1))  # October and November inside it
DECEMBER_5 = utc(2025, 12, 5)


def add_flows(session, flows: dict[str, list[tuple[str, datetime]]]) -> None:
    for session_id, steps in flows.items():
        for step, when in steps:
            session.add(DeflectionEvent(session_id=session_id, step=step, created_at=when))
    session.flush()


def test_a_flow_shown_again_after_a_period_boundary_counts_once(db):
    add_flows(db.session, {
        "a": [("shown", utc(2025, 10, 30, 10)), ("opened", utc(2025, 10, 30, 10, 5)),
              ("shown", utc(2025, 11, 3, 9)), ("opened", utc(2025, 11, 3, 9, 2))],
        "b": [("shown", utc(2025, 10, 31, 20)), ("opened", utc(2025, 10, 31, 20, 1)),
              ("shown", utc(2025, 11, 10, 8)), ("opened", utc(2025, 11, 10, 8, 1))],
        "c": [("shown", utc(2025, 11, 20, 12)), ("opened", utc(2025, 11, 20, 12, 1)),
              ("solved", utc(2025, 11, 20, 12, 3))],
    })  # fmt: skip
    deflected = {
        name: values(build_dashboard(period, now=DECEMBER_5), "deflected_flows")[0]
        for name, period in (("october", OCTOBER), ("november", NOVEMBER), ("90", NINETY_DAYS))
    }
    # Before: October 2 + November 3 = 5 (a and b counted again when shown again), 90 days 3.
    assert deflected == {"october": 2, "november": 1, "90": 3}


def test_a_question_after_the_period_but_inside_the_flows_window_is_seen(db):
    add_flows(db.session, {
        # Opened again on 1 November 08:00: its window runs to 2 November 08:00, and the
        # question of 2 November 01:00 is inside it (after the period's end + 24 h).
        "d": [("shown", utc(2025, 10, 31, 10)), ("opened", utc(2025, 10, 31, 10, 5)),
              ("opened", utc(2025, 11, 1, 8)), ("question", utc(2025, 11, 2, 1))],
        "e": [("shown", utc(2025, 10, 10, 9)), ("opened", utc(2025, 10, 10, 9, 1))],
    })  # fmt: skip
    board = build_dashboard(OCTOBER, now=DECEMBER_5)
    # Before: 100 % (d's question was never read, so d counted as deflected).
    assert values(board, "deflection_rate_pct")[0] == approx(50.0)
    assert values(board, "deflected_flows")[0] == 1


def test_an_agents_reply_on_a_solved_case_makes_it_active_again(db):
    s = db.session
    agent = make_agent(s)
    case = make_case(s)
    service.reply_privately(s, agent, case, "Could you send the invoice number?")
    surveys.solve_case(s, agent, case, disposition=Disposition.KNOWN_GAP)
    # The reply form is offered on a solved case; its default status is "pending customer".
    service.reply_privately(s, agent, case, "One more thing: the refund takes 5 days.")
    assert case.status == CaseStatus.PENDING
    assert case.solved_at is None and case.reopened_at is not None
    board = build_dashboard(preset_period(7, utcnow().date()))
    # Before: solved (1) and in today's queue at once, with a resolution time.
    assert values(board, "cases_solved")[0] == 0
    assert values(board, "median_case_resolution_hours")[0] is None
    assert board.table("cases_by_agent_open").rows == ((agent.name, 1),)


def test_a_breach_stays_on_the_dashboard_after_a_downgrade(db):
    s = db.session
    agent = make_agent(s)
    opened = utcnow() - timedelta(hours=5)
    case = make_case(s, subject="Outage: no internet at all", now=opened)  # urgent: 1 h
    service.reply_privately(s, agent, case, "We are on it.", now=opened + timedelta(hours=3))
    service.set_priority(s, agent, case, "normal", now=opened + timedelta(hours=4))
    board = build_dashboard(preset_period(7, utcnow().date()))
    # Before: 0 % (the due times were recomputed from the opening with 24 h).
    assert values(board, "sla_breached_pct")[0] == approx(100.0)
    assert [row[3] for row in board.table("weekly_cases").rows if row[1]] == [1]


def test_solved_cases_are_credited_to_the_agent_who_solved_them(db):
    s = db.session
    dan, eve = make_agent(s, "dan"), make_agent(s, "eve")
    case = make_case(s)
    service.take_case(s, dan, case)
    surveys.solve_case(s, eve, case, disposition=Disposition.KNOWN_GAP)
    board = build_dashboard(preset_period(7, utcnow().date()))
    # Before: dan's, the assignee's.
    assert board.table("cases_by_agent").rows == (("eve", 1),)


def test_demo_promotions_are_audited_like_real_ones(db):
    demo.seed(db.session)
    promoted = db.session.scalars(
        select(AuditEntry.target_label).where(
            AuditEntry.action == "user.role_changed", AuditEntry.after_text == "superuser"
        )
    ).all()
    assert len(promoted) >= 3
    board = build_dashboard(preset_period(7, utcnow().date()))
    # Before: 0, the demo set the role without the audited event.
    assert values(board, "new_superusers")[0] == len(promoted)


def test_the_askers_own_answer_is_its_own_bucket(db):
    s = db.session
    asker, member, agent = make_user(s), make_user(s), make_agent(s)
    now = utcnow()
    for author in (asker, member, agent, asker):
        thread = _thread(s, asker, now, [make_tag(s)])
        _accept(s, thread, _reply(s, thread, author, now), asker, now)
    board = build_dashboard(preset_period(7, now.date()))
    # Before: the asker's own answers counted as the community's (75 %).
    assert values(board, "community_solved_pct")[0] == approx(25.0)
    assert values(board, "agent_solved_pct")[0] == approx(25.0)
    assert values(board, "asker_solved_pct")[0] == approx(50.0)


def test_active_members_count_published_contributions_only(db):
    s = db.session
    now = utcnow()
    member, spammer, held = make_user(s), make_user(s), make_user(s)
    thread = _thread(s, member, now, [make_tag(s)])
    _reply(s, thread, spammer, now, PostStatus.HIDDEN)
    _thread(s, spammer, now, [make_tag(s)], PostStatus.DELETED)
    _reply(s, thread, held, now, PostStatus.HELD)
    board = build_dashboard(preset_period(7, now.date()))
    # Before: 3 (the spam account and the post waiting for moderation counted).
    assert values(board, "active_members")[0] == 1
