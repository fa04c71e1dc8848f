"""Priority, tone, routing and SLA arithmetic, without a database."""

from datetime import UTC, datetime, timedelta

import pytest

from moderation.cases.sla import SlaState, due_times, sla_state, time_left
from moderation.cases.triage import (
    AgentLoad,
    Priority,
    PriorityRule,
    angry_signals,
    assess_priority,
    choose_agent,
)

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text, priority",
    [
        ("How do I change my Wi-Fi name?", Priority.NORMAL),
        ("Internet down since this morning", Priority.URGENT),
        ("Panne totale depuis hier soir", Priority.URGENT),
        ("I was charged twice, I want a refund", Priority.HIGH),
        ("Je demande le remboursement du mois", Priority.HIGH),
        ("I want to cancel my contract", Priority.HIGH),
        ("Comment RÉSILIER mon abonnement ?", Priority.HIGH),
        ("I downloaded the app", Priority.NORMAL),  # 'down' alone is not an outage
    ],
)
def test_keywords_in_english_and_french(text, priority):
    assert assess_priority(text, customer_is_vip=False).priority is priority


def test_reasons_say_which_rule_fired():
    assessment = assess_priority("Refund please", customer_is_vip=True)
    assert assessment.priority is Priority.HIGH
    assert assessment.reasons == (
        ("priority_rule", {"rule": "Money", "keyword": "refund"}),
        ("priority_vip", {}),
    )


def test_angry_tone_raises_one_level():
    calm = assess_priority("The app shows the wrong temperature", customer_is_vip=False)
    angry = assess_priority(
        "This is UNACCEPTABLE and ridiculous, the app shows the wrong temperature!!!",
        customer_is_vip=False,
    )
    assert calm.priority is Priority.NORMAL and angry.priority is Priority.HIGH
    assert ("priority_angry", {}) in angry.reasons
    assert angry_signals("C'est une honte, j'en ai marre") == 2
    assert angry_signals("nulle part ailleurs") == 0


def test_admin_rules_replace_the_defaults():
    rules = (PriorityRule(("invoice",), Priority.LOW, "Paperwork"),)
    assert (
        assess_priority("Where is my invoice?", customer_is_vip=False, rules=rules).priority
        is Priority.NORMAL
    )
    assert (
        assess_priority("Internet down", customer_is_vip=False, rules=rules).priority
        is Priority.NORMAL
    )


def test_routing_matches_skills_then_fewest_open_cases():
    agents = [
        AgentLoad(1, frozenset({"billing"}), True, 3),
        AgentLoad(2, frozenset({"billing", "account"}), True, 1),
        AgentLoad(3, frozenset({"billing"}), False, 0),  # away
        AgentLoad(4, frozenset({"wi-fi"}), True, 0),
    ]
    assert choose_agent({"billing"}, agents) == 2
    assert choose_agent({"wi-fi", "router"}, agents) == 4
    assert choose_agent({"cameras"}, agents) is None  # nobody matches: unassigned queue
    tied = [
        AgentLoad(5, frozenset({"tv"}), True, 1),
        AgentLoad(6, frozenset({"tv", "router"}), True, 1),
    ]
    assert choose_agent({"tv", "router"}, tied) == 6  # more matching skills wins a tie


def test_due_times_follow_the_policy():
    due = due_times(T0, Priority.URGENT)
    assert due.first_response == T0 + timedelta(hours=1) and due.resolution == T0 + timedelta(
        hours=8
    )
    policy = {
        name: {"first_response": 2, "resolution": 5} for name in ("urgent", "high", "normal", "low")
    }
    assert due_times(T0, Priority.LOW, policy).first_response == T0 + timedelta(hours=2)


def test_sla_states():
    due = T0 + timedelta(hours=4)
    assert sla_state(T0, due, None, T0 + timedelta(hours=1)) is SlaState.ON_TRACK
    assert sla_state(T0, due, None, T0 + timedelta(hours=3, minutes=30)) is SlaState.AT_RISK
    assert sla_state(T0, due, None, T0 + timedelta(hours=5)) is SlaState.BREACHED
    assert sla_state(T0, due, T0 + timedelta(hours=2), T0 + timedelta(hours=9)) is SlaState.MET
    assert sla_state(T0, due, T0 + timedelta(hours=6), T0 + timedelta(hours=9)) is SlaState.MISSED


def test_time_left_wording():
    assert time_left(timedelta(hours=2, minutes=5)) == "2 hr 5 min left"
    assert time_left(-timedelta(minutes=40)) == "overdue by 40 min"
    assert time_left(timedelta(days=3, hours=1)) == "3 days 1 hr left"
    assert time_left(timedelta(minutes=59, seconds=50)) == "59 min left"  # not "1 hour"
    assert time_left(timedelta(seconds=20)) == "0 min left"
