"""Surge alerts with the real model: similar questions from different customers within the
window raise one alert (notified to agents and admins, shown on the desk), a later run
extends it instead of raising another, and unrelated questions raise none."""

from datetime import timedelta

from sqlalchemy import select

from portal.database import utcnow
from portal.notifications import Notification
from portal.permissions import Role
from proactive import issues, watch
from proactive.models import SurgeAlert
from tests.factories import make_tag, make_thread, make_user
from tests.moderation.cases.helpers import make_agent, make_case

SURGE = [
    "No internet since this morning",
    "Internet connection down today",
    "My internet stopped working this morning",
    "Is the internet down? Nothing loads",
    "Lost my internet connection an hour ago",
    "Internet not working at all since 8am",
    "No connection to the internet this morning",
    "Internet is down, nothing works",
    "Can't connect to the internet today",
    "Internet outage? My connection is dead",
]
UNRELATED = [
    "How do I change my billing address?",
    "The thermostat schedule ignores weekends",
    "My outdoor camera records only at night",
    "Where can I find last year's invoices?",
    "The TV box remote does not pair",
    "How do I set up parental controls?",
    "Moving house next month: what do I do?",
    "The Home app cannot find my smart plug",
    "Technician appointment: can I reschedule?",
    "I received a suspicious e-mail asking for my password",
]


def ask_each(s, texts, tag, minutes_apart=3):
    start = utcnow() - timedelta(minutes=len(texts) * minutes_apart)
    for i, text in enumerate(texts):
        thread = make_thread(s, make_user(s), text, body=text + ". Please help.", tags=[tag])
        thread.created_at = start + timedelta(minutes=i * minutes_apart)
    s.flush()


def test_similar_questions_from_different_customers_raise_one_alert(db, semantic, client, auth):
    s = db.session
    internet = make_tag(s, "Internet")
    agent = make_agent(s, "sam")
    admin = make_user(s, "ada", role=Role.ADMIN)
    ask_each(s, SURGE, internet)
    s.commit()

    raised = watch.watch(s)
    s.commit()
    assert len(raised) == 1
    alert = s.scalar(select(SurgeAlert))
    assert alert.window_count >= 8 and alert.topics[0] == internet.slug and alert.growth >= 4
    assert len(alert.samples) == 5 and alert.first_item_at < alert.raised_at
    for person in (agent, admin):
        note = s.scalar(select(Notification).where(Notification.user_id == person.id))
        assert note.kind == "surge_alert" and note.link == f"/desk/known-issues#alert-{alert.id}"

    # Five minutes later, two more: the same alert grows, no second one.
    make_case(s, subject="Internet down", body="No internet connection since this morning")
    make_case(s, subject="No internet", body="My internet connection is dead today")
    s.commit()
    watch.watch(s, now=utcnow() + timedelta(minutes=5))
    s.commit()
    assert s.scalar(select(SurgeAlert.id).where(SurgeAlert.id != alert.id)) is None

    auth.login("sam")
    desk = client.get("/desk/").get_data(as_text=True)
    assert "Surge:" in desk and f"/desk/known-issues/new?alert={alert.id}" in desk


def test_ten_unrelated_questions_raise_nothing(db, semantic):
    s = db.session
    make_agent(s, "sam")
    ask_each(s, UNRELATED, make_tag(s, "General"))
    s.commit()
    assert watch.watch(s) == []
    assert s.scalar(select(SurgeAlert)) is None


def test_one_customer_repeating_themselves_is_no_surge(db, semantic):
    s = db.session
    internet = make_tag(s, "Internet")
    me = make_user(s, "repeat")
    for text in SURGE:
        make_thread(s, me, text, body=text + ". Please help.", tags=[internet])
    s.commit()
    assert watch.watch(s) == []


def test_a_surge_about_an_open_known_issue_raises_nothing(db, semantic):
    s = db.session
    internet = make_tag(s, "Internet")
    issues.declare_issue(
        s,
        make_agent(s, "sam"),
        title="Internet down this morning",
        explanation="No internet connection for many customers since this morning.",
    )
    ask_each(s, SURGE, internet)
    s.commit()
    assert watch.watch(s) == []


def test_usual_traffic_of_a_busy_topic_is_no_surge(app, db, semantic, monkeypatch):
    monkeypatch.setitem(app.config, "PROACTIVE_SURGE_BASELINE_DAYS", 2)
    s = db.session
    internet = make_tag(s, "Internet")
    # Four internet questions in this hour of each of the last two days: ten now is not
    # four times the usual.
    author = make_user(s)
    for day in (1, 2):
        for i in range(4):
            thread = make_thread(s, author, f"Earlier question {day}-{i}", tags=[internet])
            thread.created_at = utcnow() - timedelta(days=day, minutes=10 + 12 * i)
    ask_each(s, SURGE, internet)
    s.commit()
    assert watch.watch(s) == []
