"""Each dashboard KPI and table against numbers worked out by hand on tests/dashboard/dataset.

Period: 5–19 March 2025; the period before: 19 February – 5 March; NOW: 20 March noon.
"""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from community import solutions
from dashboard import metrics_satisfaction
from dashboard.metrics import build_dashboard
from dashboard.metrics_content import HOLDOUT_EMPTY, HOLDOUT_NEEDED
from dashboard.results import ChartKind, Period, Unit, preset_period
from moderation.cases import service, surveys
from moderation.cases.models import CaseEvent, Disposition, EventKind
from moderation.cases.surveys import nps_group
from portal.database import utcnow
from tests.dashboard.dataset import NOW, PERIOD, at, build
from tests.factories import make_reply, make_thread, make_user
from tests.moderation.cases.helpers import make_agent, make_case

approx = pytest.approx


@pytest.fixture
def dashboard(db):
    build(db.session)
    return build_dashboard(PERIOD, now=NOW)


def values(board, key):
    kpi = next(k for k in board.kpis if k.key == key)
    return kpi.value, kpi.previous


def test_questions_asked_answered_and_solved(dashboard):
    # Asked in the period: T1, T2, T3, T5 (T4's question was deleted) = 4.
    # Before: T0a, T0b, T0c = 3 (the thread of 10 February is older than both periods).
    assert values(dashboard, "questions_asked") == (4, 3)
    # Answered by someone else: T1 (bob), T2 (dan; bob's own reply does not count), T5
    # (alice) = 3 of 4; T3's only reply is hidden. Before: T0a, T0b = 2 of 3.
    assert values(dashboard, "answered_pct") == (approx(75.0), approx(200 / 3))
    # Solved: T1 and T2 = 2 of 4 = 50 %; before: none of 3 = 0 %.
    assert values(dashboard, "solved_pct") == (approx(50.0), approx(0.0))


def test_community_and_agent_solved_shares(dashboard):
    # T1's solution is carol's (a super-user: community), T2's is dan's public reply
    # (an agent: agent-solved) → 1 of 2 each, none by the asker. Nothing solved before.
    assert values(dashboard, "community_solved_pct") == (approx(50.0), None)
    assert values(dashboard, "agent_solved_pct") == (approx(50.0), None)
    assert values(dashboard, "asker_solved_pct") == (approx(0.0), None)


def test_median_hours_to_first_reply_and_to_solution(dashboard):
    # First reply by someone else: T1 10:00→12:00 = 2 h, T2 08:00→14:00 = 6 h,
    # T5 00:00→03:00 = 3 h → median 3. Before: T0a 1 h, T0b 24 Feb 00:00→25 Feb 06:00 =
    # 30 h → median (1 + 30) / 2 = 15.5.
    assert values(dashboard, "median_first_reply_hours") == (approx(3.0), approx(15.5))
    # Accepted: T1 5 Mar 10:00→6 Mar 10:00 = 24 h, T2 6 Mar 08:00→7 Mar 02:00 = 18 h →
    # median 21. Before: nothing solved.
    assert values(dashboard, "median_solution_hours") == (approx(21.0), None)


def test_escalation_rate(dashboard):
    # Asked threads with a case: T1 (C1), T2 (C2), T3 (C3) = 3 of 4; before: T0b (C6) of 3.
    assert values(dashboard, "escalation_rate_pct") == (approx(75.0), approx(100 / 3))


def test_cases_opened_and_solved_count_a_reopened_case_once(dashboard):
    # Opened in the period: C1, C2, C3, C4 (reopened, still one case), C5 = 5;
    # before: C6, C7 = 2 (C8 is older).
    assert values(dashboard, "cases_opened") == (5, 2)
    # Last solve in the period: C1 (6th), C2 (7th), C4 (10th, its second solve), C6 (6th,
    # opened before) = 4; before: C7 = 1.
    assert values(dashboard, "cases_solved") == (4, 1)


def test_case_response_and_resolution_medians(dashboard):
    # First response, cases opened in the period: C1 5 Mar 18:00→6 Mar 11:00 = 17 h,
    # C2 10:00→14:00 = 4 h, C4 09:00→10:00 = 1 h (C3, C5 none yet) → median 4.
    # Before: C6 6 h, C7 1 h → 3.5.
    assert values(dashboard, "median_case_first_response_hours") == (approx(4.0), approx(3.5))
    # Opening → last solve, cases solved in the period: C1 17 h, C2 6 Mar 10:00→7 Mar 02:00
    # = 16 h, C4 7 Mar 09:00→10 Mar 09:00 = 72 h (from the first opening to the last solve),
    # C6 25 Feb→6 Mar = 9 days = 216 h → median (17 + 72) / 2 = 44.5. Before: C7 24 h.
    assert values(dashboard, "median_case_resolution_hours") == (approx(44.5), approx(24.0))


def test_sla_breached(dashboard):
    # Of the 5 opened: C3 has no response, due 12 Mar 10:00 < NOW; C4's last solve (10th
    # 09:00) is after its resolution due (9th 09:00), though its first solve was in time.
    # C5 is due on the 21st, after NOW: not breached yet. 2 of 5 = 40 %.
    # Before: C6 solved 6 Mar > due 28 Feb; C7 solved exactly at its due time (met) → 1 of 2.
    assert values(dashboard, "sla_breached_pct") == (approx(40.0), approx(50.0))


def test_deflection_savings_and_holdout_contact_rates(dashboard):
    # Flows shown in the period: s1 (opened, no contact: deflected), s2 (solved: deflected),
    # s3 (contacted), s4 (never opened), s5 (opened on the 19th, window open until the
    # 20th 20:00 > NOW: pending) → 2 / (5 − 1) = 50 %. Before: p1 deflected, p2 not → 50 %.
    assert values(dashboard, "deflection_rate_pct") == (approx(50.0), approx(50.0))
    assert values(dashboard, "deflected_flows") == (2, 1)
    # 2 × (8.01 − 0.10) = 15.82; before 1 × 7.91.
    assert values(dashboard, "estimated_savings") == (approx(15.82), approx(7.91))
    # Contacted: s3 of 5 shown flows = 20 %; holdout h1 of h1, h2 = 50 %. Before: p2 of 2,
    # no holdout flow (no data).
    assert values(dashboard, "contact_rate_shown_pct") == (approx(20.0), approx(50.0))
    assert values(dashboard, "contact_rate_holdout_pct") == (approx(50.0), None)
    assert dashboard.notes == ()


def test_satisfaction(dashboard):
    # Answered in the period: C1 (CSAT 4, NPS 9), C2 (5, 10), C4 (2, 3); C6 never answered.
    # Satisfied (4–5): 2 of 3; average (4 + 5 + 2) / 3; NPS: promoters 9, 10 = 2,
    # detractor 3 = 1 → (2 − 1) / 3 × 100. Before: C7 (5, 9) → 100 %, 5, 100.
    assert values(dashboard, "csat_satisfied_pct") == (approx(200 / 3), approx(100.0))
    assert values(dashboard, "csat_average") == (approx(11 / 3), approx(5.0))
    assert values(dashboard, "nps") == (approx(100 / 3), approx(100.0))


def test_satisfaction_by_who_solved_it(dashboard):
    table = dashboard.table("satisfaction_by_channel")
    assert table.rows == (
        # C1: T1's accepted answer is carol's → CSAT 4 (satisfied), NPS 9 (promoter).
        ("Thread solved by the community", 1, approx(100.0), approx(4.0), approx(100.0)),
        ("Thread solved by the asker", 0, None, None, None),
        # C2: T2's accepted answer is dan's → 5, 10. (C6's survey is unanswered.)
        ("Thread solved by an agent", 1, approx(100.0), approx(5.0), approx(100.0)),
        # C4: a contact-form case → CSAT 2, NPS 3 (detractor).
        ("Contact form (agent)", 1, approx(0.0), approx(2.0), approx(-100.0)),
    )


def test_members(dashboard):
    # A visible post or a vote in the period, agents left out: alice, bob, carol (her T1
    # answer; her hidden reply and deleted question do not count), frank (a vote) = 4;
    # before: alice, bob = 2 (eve is an agent; frank's vote of 15 February is older).
    assert values(dashboard, "active_members") == (4, 2)
    # Promoted to super-user: carol, alice (twice, counted once) = 2; before: frank = 1.
    assert values(dashboard, "new_superusers") == (2, 1)


def test_top_contributors(dashboard):
    # Replies shown: bob T1 + T2 = 2, carol T1 = 1 (T3 hidden), alice T5 = 1; accepted
    # solutions: carol T1; reputation in the period: carol 15, bob 10, alice 5 − 2 = 3.
    # dan (an agent) is left out; frank only voted.
    assert dashboard.table("top_contributors").rows == (
        ("carol", 1, 1, 15),
        ("bob", 2, 0, 10),
        ("alice", 1, 0, 3),
    )


def test_weekly_series_include_empty_weeks(dashboard):
    community = dashboard.table("weekly_community")
    assert community.chart == ChartKind.LINE
    assert community.columns == ("Week", "Questions", "Solved", "Escalated")
    # Week of 3 March: T1, T2 (both solved and escalated; T0c of the 4th is in the period
    # before). Week of 10 March: T3 (escalated), T5. Week of 17 March: nothing.
    assert community.rows == (
        (date(2025, 3, 3), 2, 2, 2),
        (date(2025, 3, 10), 2, 0, 1),
        (date(2025, 3, 17), 0, 0, 0),
    )
    weekly_cases = dashboard.table("weekly_cases")
    assert weekly_cases.columns == ("Week", "Opened", "Solved", "Breached")
    # Opened: C1, C2, C4 | C3 | C5. Solved: C1, C2, C6 | C4 | –. Breached: C4 | C3 | –.
    assert weekly_cases.rows == (
        (date(2025, 3, 3), 3, 3, 1),
        (date(2025, 3, 10), 1, 1, 1),
        (date(2025, 3, 17), 1, 0, 0),
    )


def test_bar_charts_by_tag_and_agent(dashboard):
    # Wi-Fi: T1, T3, T5; Billing: T2, T3 (T4 deleted).
    assert dashboard.table("questions_by_tag").rows == (("Wi-Fi", 3), ("Billing", 2))
    # Solved in the period by assignee: dan C1, C2, C4; eve C6.
    by_agent = dashboard.table("cases_by_agent")
    assert by_agent.chart == ChartKind.BAR and by_agent.columns == ("Agent", "Solved cases")
    assert by_agent.rows == (("dan", 3), ("eve", 1))
    # Waiting now: C8 (dan), C5 (eve), C3 (nobody).
    assert dashboard.table("cases_by_agent_open").rows == (
        ("dan", 1),
        ("eve", 1),
        ("Unassigned", 1),
    )


def test_knowledge_base_tables(dashboard):
    # Published, by views: A1 50, A2 10, A5 3 (drafts A3, A4 are not listed).
    assert dashboard.table("kb_most_viewed").rows == (
        ("Restart the Hub", 50),
        ("Pay by card", 10),
        ("Slow evenings", 3),
    )
    # At least 3 votes: A2 1 of 3 helpful = 33 %, A1 3 of 4 = 75 % (A5 has 2 votes).
    assert dashboard.table("kb_least_helpful").rows == (
        ("Pay by card", 33, 3),
        ("Restart the Hub", 75, 4),
    )
    # Created in the period: A4 drafted from C4 ("new article needed"), A3 promoted from T1.
    # A2 was created in the period too, but C2 only linked it; A5 is from the period before.
    history_ids = dashboard.table("kb_created_from").rows
    assert [(title, source.split(" #")[0], day) for title, source, day, _ in history_ids] == [
        ("Refund a double charge", "case", date(2025, 3, 10)),
        ("Mesh Wi-Fi drops", "thread", date(2025, 3, 6)),
    ]


def test_content_gaps_are_the_periods_zero_result_searches(dashboard):
    # "modem blinking red" 3 times in the period (the February one is older), "fax setup"
    # once; "router" had results, the empty text is no query, "after the end" is on the 19th.
    assert dashboard.table("content_gaps").rows == (
        ("modem blinking red", 3, date(2025, 3, 12)),
        ("fax setup", 1, date(2025, 3, 9)),
    )


def test_least_helpful_threshold_is_the_kb_setting(app, db):
    build(db.session)
    app.config["KB_LEAST_HELPFUL_MIN_VOTES"] = 4
    try:
        rows = build_dashboard(PERIOD, now=NOW).table("kb_least_helpful").rows
    finally:
        app.config["KB_LEAST_HELPFUL_MIN_VOTES"] = 3
    assert rows == (("Restart the Hub", 75, 4),)


def test_costs_are_settings(app, db):
    build(db.session)
    app.config.update(ASSISTED_CONTACT_COST=12.0, SELF_SERVICE_COST=2.0)
    try:
        board = build_dashboard(PERIOD, now=NOW)
    finally:
        app.config.update(ASSISTED_CONTACT_COST=8.01, SELF_SERVICE_COST=0.10)
    assert values(board, "estimated_savings") == (approx(20.0), approx(10.0))  # 2 × 10, 1 × 10


def test_a_period_without_data_shows_no_data_and_zero_counts(db):
    build(db.session)
    empty = Period(at(1, month=1), at(8, month=1))  # and 25–31 December before it
    board = build_dashboard(empty, now=NOW)
    counts = {"questions_asked", "cases_opened", "cases_solved", "deflected_flows",
              "active_members", "new_superusers", "estimated_savings", "surge_alerts_raised",
              "known_issue_deflected", "cases_solved_via_known_issue"}  # fmt: skip
    for kpi in board.kpis:
        expected = 0 if kpi.key in counts else None
        assert (kpi.key, kpi.value, kpi.previous) == (kpi.key, expected, expected)
    assert board.table("weekly_community").rows == (
        (date(2024, 12, 30), 0, 0, 0),
        (date(2025, 1, 6), 0, 0, 0),
    )
    for key in ("questions_by_tag", "cases_by_agent", "kb_created_from", "content_gaps",
                "top_contributors"):  # fmt: skip
        assert board.table(key).rows == ()
    assert {row[0]: row[1:] for row in board.table("satisfaction_by_channel").rows} == {
        label: (0, None, None, None) for label in metrics_satisfaction.SOLVED_BY
    }
    assert board.notes == (HOLDOUT_NEEDED,)


def test_an_empty_database_builds(db):
    board = build_dashboard(preset_period(30, date.today()))
    assert all(kpi.value in (0, None) for kpi in board.kpis)
    assert {kpi.section for kpi in board.kpis} == {
        "community", "cases", "deflection", "satisfaction", "members", "proactive"}  # fmt: skip


def test_holdout_configured_without_data_says_so(app, db):
    app.config["SEARCH_HOLDOUT_PERCENT"] = 10
    try:
        board = build_dashboard(Period(at(1, month=1), at(8, month=1)), now=NOW)
    finally:
        app.config["SEARCH_HOLDOUT_PERCENT"] = 0
    assert values(board, "contact_rate_holdout_pct") == (None, None)
    assert board.notes == (HOLDOUT_EMPTY,)


def test_every_kpi_key_units_and_sections(dashboard):
    expected = {
        "questions_asked": ("community", Unit.COUNT),
        "answered_pct": ("community", Unit.PERCENT),
        "solved_pct": ("community", Unit.PERCENT),
        "community_solved_pct": ("community", Unit.PERCENT),
        "agent_solved_pct": ("community", Unit.PERCENT),
        "asker_solved_pct": ("community", Unit.PERCENT),
        "median_first_reply_hours": ("community", Unit.HOURS),
        "median_solution_hours": ("community", Unit.HOURS),
        "escalation_rate_pct": ("cases", Unit.PERCENT),
        "cases_opened": ("cases", Unit.COUNT),
        "cases_solved": ("cases", Unit.COUNT),
        "median_case_first_response_hours": ("cases", Unit.HOURS),
        "median_case_resolution_hours": ("cases", Unit.HOURS),
        "sla_breached_pct": ("cases", Unit.PERCENT),
        "deflection_rate_pct": ("deflection", Unit.PERCENT),
        "deflected_flows": ("deflection", Unit.COUNT),
        "estimated_savings": ("deflection", Unit.MONEY),
        "contact_rate_shown_pct": ("deflection", Unit.PERCENT),
        "contact_rate_holdout_pct": ("deflection", Unit.PERCENT),
        "csat_satisfied_pct": ("satisfaction", Unit.PERCENT),
        "csat_average": ("satisfaction", Unit.SCORE),
        "nps": ("satisfaction", Unit.SCORE),
        "active_members": ("members", Unit.COUNT),
        "new_superusers": ("members", Unit.COUNT),
        "surge_alerts_raised": ("proactive", Unit.COUNT),
        "median_surge_alert_hours": ("proactive", Unit.HOURS),
        "known_issue_deflected": ("proactive", Unit.COUNT),
        "cases_solved_via_known_issue": ("proactive", Unit.COUNT),
    }
    assert {k.key: (k.section, k.unit) for k in dashboard.kpis} == expected
    assert [k.key for k in dashboard.kpis] == list(expected)  # shown section by section
    assert dashboard.previous == Period(at(19, month=2), at(5))


def test_survey_groups_match_the_surveys_module():
    for score in range(11):
        group = nps_group(score)
        assert (group == "promoter") == (score >= metrics_satisfaction.PROMOTER_FROM)
        assert (group == "detractor") == (score <= metrics_satisfaction.DETRACTOR_UP_TO)


# --- the same rules through the real services (timestamps are now) ---------------------


def this_week() -> Period:
    return preset_period(7, utcnow().date())


def test_thread_solved_by_an_agents_reply_on_the_desk_is_agent_solved(db):
    s = db.session
    asker, agent = make_user(s), make_agent(s)
    thread = make_thread(s, asker)
    make_reply(s, thread)  # a member answered first, but that is not what was accepted
    case = make_case(s, thread=thread)
    service.reply_publicly(s, agent, case, "Reset the Hub by holding the button 10 s.")
    surveys.solve_case(s, agent, case, disposition=Disposition.KNOWN_GAP, accept_answer=True)
    board = build_dashboard(this_week())
    assert values(board, "solved_pct")[0] == approx(100.0)
    assert values(board, "agent_solved_pct")[0] == approx(100.0)
    assert values(board, "community_solved_pct")[0] == approx(0.0)
    assert values(board, "escalation_rate_pct")[0] == approx(100.0)


def test_asker_accepting_the_agents_reply_is_agent_solved_too(db):
    s = db.session
    asker, agent = make_user(s), make_agent(s)
    thread = make_thread(s, asker)
    case = make_case(s, thread=thread)
    post = service.reply_publicly(s, agent, case, "Reset the Hub by holding the button 10 s.")
    solutions.accept_solution(s, asker, thread, post)
    assert values(build_dashboard(this_week()), "agent_solved_pct")[0] == approx(100.0)


def test_a_reopened_case_through_the_desk(db):
    s = db.session
    agent = make_agent(s)
    case = make_case(s)
    service.reply_privately(s, agent, case, "Could you send the invoice number?")
    surveys.solve_case(s, agent, case, disposition=Disposition.KNOWN_GAP)
    service.change_status(s, agent, case, "open")  # reopened: solved_at cleared
    board = build_dashboard(this_week())
    assert values(board, "cases_opened")[0] == 1
    assert values(board, "cases_solved")[0] == 0  # reopened and not solved again
    surveys.solve_case(s, agent, case, disposition=Disposition.KNOWN_GAP)
    solves = s.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == EventKind.SOLVED)
    ).all()
    board = build_dashboard(this_week())
    assert len(solves) == 2
    assert values(board, "cases_opened")[0] == 1  # still one case
    assert values(board, "cases_solved")[0] == 1  # solved once: its last solve
    hours = (case.solved_at - case.opened_at) / timedelta(hours=1)
    assert values(board, "median_case_resolution_hours")[0] == approx(hours, abs=1e-3)
