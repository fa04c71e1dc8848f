"""A reference check that cannot drift (issue #21): random histories of threads, replies,
solutions and their withdrawals, cases with reopenings, priority changes and surveys,
deflection sessions, votes and promotions, across the periods' boundaries; every KPI of
``build_dashboard`` (and the weekly, per-agent and satisfaction tables) must equal the
independent computation of tests/dashboard/reference.py, on SQLite and on PostgreSQL.

Cases go through the desk's services with explicit times, so their SLA breaches are the
ones recorded live (and by the periodic check, run at NOW); the rest is written as rows.
Each example runs in one transaction rolled back at its end.

Profiles (tests/dashboard/conftest.py): ``ci`` by default — 40 examples, derandomized so
every run checks the same histories; HYPOTHESIS_PROFILE=thorough for 1,000 random ones.
"""

from datetime import timedelta

import pytest
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings

from community.models import AcceptedSolution, Post, Thread, Vote
from dashboard.metrics import build_dashboard
from dashboard.results import Period
from moderation.cases import clock, service, surveys
from moderation.cases.models import Channel, Disposition
from moderation.cases.service import open_case
from moderation.models import AuditEntry
from portal.permissions import Role
from search.models import DeflectionEvent
from tests.dashboard import reference as ref
from tests.dashboard.histories import NOW, PERIOD, ROLES, TAGS, histories
from tests.factories import make_tag, make_user

SUBJECTS = {"normal": "My line drops", "high": "I want a refund", "urgent": "Outage at home"}
TOLERANCE = {"abs": 1e-5, "rel": 1e-9}  # SQLite's julianday() keeps milliseconds


def same(found, expected) -> bool:
    """Equal numbers (within TOLERANCE), or both "no data"."""
    if found is None or expected is None:
        return found is expected
    return found == pytest.approx(expected, **TOLERANCE)


def write(session, history: ref.History) -> dict:
    """The history as rows and service calls; returns the users by name."""
    users = {name: make_user(session, name, role=Role(role)) for name, role in ROLES.items()}
    tags = {name: make_tag(session, name) for name in TAGS}
    posts = {}
    for index, spec in enumerate(history.threads):
        thread = Thread(title=f"Question {index} asked", author=users[spec.asker],
                        created_at=spec.asked_at, last_activity_at=spec.asked_at,
                        tags=[tags[name] for name in spec.tags])  # fmt: skip
        question = Post(author=users[spec.asker], is_question=True, body="Why?",
                        status=spec.status, created_at=spec.asked_at)  # fmt: skip
        thread.posts.append(question)
        posts[index, None] = question
        for number, reply in enumerate(spec.replies):
            post = Post(author=users[reply.author], body="Try this.", status=reply.status,
                        created_at=reply.at)  # fmt: skip
            thread.posts.append(post)
            posts[index, number] = post
        session.add(thread)
        session.flush()
        if spec.solution:
            number, accepted_at = spec.solution
            session.add(AcceptedSolution(thread_id=thread.id, post_id=posts[index, number].id,
                                         accepted_by_id=thread.author_id,
                                         accepted_at=accepted_at))  # fmt: skip
        if spec.case:
            run_case(session, users, spec.case, thread)
    for spec in history.cases:
        if spec.thread is None:
            run_case(session, users, spec, None)
    for session_id, holdout, steps in history.sessions:
        for step, at in steps:
            session.add(DeflectionEvent(session_id=session_id, step=step, holdout=holdout,
                                        created_at=at))  # fmt: skip
    for voter, index, number, at in history.votes:
        session.add(Vote(post_id=posts[index, number].id, user_id=users[voter].id, value=1,
                         created_at=at))  # fmt: skip
    for name, before, after, at in history.role_changes:
        session.add(AuditEntry(action="user.role_changed", target_type="user",
                               target_id=users[name].id, before_text=before, after_text=after,
                               at=at))  # fmt: skip
    session.flush()
    clock.record_overdue_breaches(session, NOW)  # the periodic check, as it runs at NOW
    return users


def run_case(session, users: dict, spec: ref.CaseHistory, thread) -> None:
    case, _ = open_case(
        session,
        customer=users[spec.customer],
        subject=SUBJECTS[spec.priority],
        channel=Channel.COMMUNITY if thread else Channel.CONTACT_FORM,
        thread=thread,
        body="" if thread else "Please help.",
        now=spec.opened_at,
    )
    assert case.priority == spec.priority
    for kind, at, *args in spec.ops:
        if kind == "reply":
            service.reply_privately(session, users[args[0]], case, "Hello", then=args[1], now=at)
        elif kind == "message":
            service.customer_message(session, users[spec.customer], case, "Still down", now=at)
        elif kind == "status":
            service.change_status(session, users["agent1"], case, args[0], now=at)
        elif kind == "priority":
            service.set_priority(session, users["agent1"], case, args[0], now=at)
        elif kind == "solve":
            surveys.solve_case(session, users[args[0]], case,
                               disposition=Disposition.KNOWN_GAP.value, now=at)  # fmt: skip
        else:
            surveys.answer_survey(session, case.survey.token, csat=args[0], nps=args[1], now=at)


def expected_kpis(app, history: ref.History) -> dict[str, tuple]:
    """{kpi key: (period, previous)} by the reference."""
    pause = app.config["SLA_PAUSE_WHILE_PENDING"]
    outcomes = {id(case): ref.replay_case(case, NOW, pause) for case in history.cases}
    window = timedelta(hours=float(app.config["DEFLECTION_WINDOW_HOURS"]))
    saving = float(app.config["ASSISTED_CONTACT_COST"]) - float(app.config["SELF_SERVICE_COST"])
    parts = [
        ref.community_numbers(history, PERIOD, outcomes),
        ref.case_numbers(history, PERIOD, outcomes),
        ref.satisfaction_numbers(history, PERIOD, outcomes),
        ref.member_numbers(history, PERIOD),
    ]
    flows = ref.deflection_numbers(history, PERIOD, NOW, window)
    parts.append({
        current: {
            "deflection_rate_pct": ref.percent(f["deflected"], f["decided"]),
            "deflected_flows": f["deflected"],
            "estimated_savings": round(f["deflected"] * saving, 2),
            "contact_rate_shown_pct": ref.percent(f["contacted"], f["flows"]),
            "contact_rate_holdout_pct": ref.percent(f["holdout_contacted"], f["holdout"]),
        }
        for current, f in flows.items()
    })  # fmt: skip
    # The histories hold no surge alerts, known issues or banner openings:
    # tests/proactive/test_dashboard.py checks these four against histories of their own.
    parts.append({
        current: {
            "surge_alerts_raised": 0,
            "median_surge_alert_hours": None,
            "known_issue_deflected": 0,
            "cases_solved_via_known_issue": 0,
        }
        for current in (0, 1)
    })  # fmt: skip
    expected = {}
    for part in parts:
        for key in part[1]:
            expected[key] = (part[1][key], part[0][key])
    if not any(flows[current]["holdout"] for current in (0, 1)):  # no holdout configured
        del expected["contact_rate_shown_pct"], expected["contact_rate_holdout_pct"]
    return expected, outcomes


def expected_tables(history: ref.History, outcomes: dict, users: dict) -> dict:
    start, end = PERIOD
    weeks = {}
    for thread in history.threads:
        if start <= thread.asked_at < end and thread.status not in ("hidden", "deleted"):
            row = weeks.setdefault(ref.monday(thread.asked_at), [0, 0, 0])
            row[0] += 1
            row[1] += thread.solution is not None
            row[2] += thread.case is not None
    case_weeks, solved_by, waiting = {}, {}, {}
    for case in history.cases:
        outcome = outcomes[id(case)]
        if start <= case.opened_at < end:
            row = case_weeks.setdefault(ref.monday(case.opened_at), [0, 0, 0])
            row[0] += 1
            row[2] += outcome.breached
        if outcome.solved_at and start <= outcome.solved_at < end:
            case_weeks.setdefault(ref.monday(outcome.solved_at), [0, 0, 0])[1] += 1
            solved_by[outcome.solver] = solved_by.get(outcome.solver, 0) + 1
        if outcome.status in ref.ACTIVE:
            waiting[outcome.assignee] = waiting.get(outcome.assignee, 0) + 1
    return {
        "weekly_community": {week: tuple(row) for week, row in weeks.items()},
        "weekly_cases": {week: tuple(row) for week, row in case_weeks.items()},
        "cases_by_agent": {users[name].name: n for name, n in solved_by.items()},
        "cases_by_agent_open": {
            users[name].name if name else "Unassigned": n for name, n in waiting.items()
        },
        "satisfaction_by_channel": channel_answers(history, outcomes),
    }


def channel_answers(history: ref.History, outcomes: dict) -> dict:
    """Answered surveys of the period by who solved the problem: {label: [csat, ...]}."""
    start, end = PERIOD
    found = {}
    for case in history.cases:
        answered = outcomes[id(case)].survey_answered
        if not answered or not start <= answered[0] < end:
            continue
        if case.thread is None:
            label = "Contact form (agent)"
        elif case.thread.solution is None:
            label = "Thread solved by an agent"
        else:
            label = {"asker": "Thread solved by the asker", "agent": "Thread solved by an agent",
                     "community": "Thread solved by the community"}[
                ref.solved_by(history, case.thread)]  # fmt: skip
        found.setdefault(label, []).append(answered[1])
    return found


def weekly(table) -> dict:
    return {row[0]: tuple(row[1:]) for row in table.rows if any(row[1:])}


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(history=histories())
def test_every_kpi_matches_the_reference(app, db, history):
    try:
        users = write(db.session, history)
        # Rows are matched by their English labels; the numbers are the same in every
        # language (test_i18n.py), so the check holds whatever the site's default language.
        with force_locale("en"):
            board = build_dashboard(Period(*PERIOD), now=NOW)
        expected, outcomes = expected_kpis(app, history)
        found = {kpi.key: (kpi.value, kpi.previous) for kpi in board.kpis}
        assert found.keys() == expected.keys()
        for key, values in expected.items():
            assert all(map(same, found[key], values)), (key, found[key], values)
        tables = expected_tables(history, outcomes, users)
        assert weekly(board.table("weekly_community")) == tables["weekly_community"]
        assert weekly(board.table("weekly_cases")) == tables["weekly_cases"]
        assert dict(board.table("cases_by_agent").rows) == tables["cases_by_agent"]
        assert dict(board.table("cases_by_agent_open").rows) == tables["cases_by_agent_open"]
        by_channel = {row[0]: row[1:] for row in board.table("satisfaction_by_channel").rows}
        for label, (answers, satisfied, average, _nps) in by_channel.items():
            csats = tables["satisfaction_by_channel"].get(label, [])
            assert answers == len(csats), label
            assert same(satisfied, ref.percent(sum(c >= 4 for c in csats), len(csats))), label
            assert same(average, sum(csats) / len(csats) if csats else None), label
    finally:
        db.session.rollback()
