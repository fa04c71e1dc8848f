"""The dashboard's proactive numbers: alerts raised and how fast, contacts the banners
deflected, cases solved through a known issue; each in its period."""

from datetime import date, timedelta

from sqlalchemy import select

from dashboard.metrics import build_dashboard
from dashboard.results import preset_period
from portal.database import utcnow
from proactive import issues, resolving
from proactive.models import SurgeAlert
from search.models import DeflectionEvent
from tests.conftest import AuthActions
from tests.factories import make_user
from tests.moderation.cases.helpers import make_agent, make_case


def alert(s, raised_at, minutes):
    s.add(
        SurgeAlert(title="No internet", raised_at=raised_at,
                   first_item_at=raised_at - timedelta(minutes=minutes),
                   last_item_at=raised_at, window_count=9, baseline_per_window=1.0, growth=9.0)
    )  # fmt: skip


def kpis(period):
    board = build_dashboard(period, now=utcnow() + timedelta(days=2))
    return {k.key: (k.value, k.previous) for k in board.kpis if k.section == "proactive"}


def test_proactive_numbers(app, db, client, auth):
    s = db.session
    now = utcnow()
    alert(s, now - timedelta(hours=1), 12)
    alert(s, now - timedelta(days=2), 30)
    alert(s, now - timedelta(days=40), 20)  # the previous period
    agent = make_agent(s, "sam")
    issue = issues.declare_issue(s, agent, title="Internet down", explanation="A cable was cut.")
    case = make_case(s, subject="No internet", body="Down since this morning")
    issues.link(s, agent, issue, case=case)
    make_user(s, "carla")
    make_user(s, "dora")
    s.commit()
    # Carla reads the status from the contact form and writes nothing: deflected.
    auth.login("carla")
    client.get(f"/known-issues/{issue.id}?via=banner")
    # Dora reads it in her own browser, then sends a request anyway: not deflected.
    other = app.test_client()
    AuthActions(other).login("dora")
    other.get(f"/known-issues/{issue.id}?via=banner")
    other.post("/support/contact", data={"subject": "Still down", "body": "Is it me?"})
    assert s.scalar(select(DeflectionEvent).where(DeflectionEvent.step == "request"))
    resolving.resolve_issue(s, agent, issue, message="Repaired.", solve_cases=True)
    s.commit()

    found = kpis(preset_period(30, date.today()))
    assert found["surge_alerts_raised"] == (2, 1)
    assert found["median_surge_alert_hours"][0] == 21 / 60
    assert found["median_surge_alert_hours"][1] == 20 / 60
    assert found["known_issue_deflected"] == (1, 0)
    assert found["cases_solved_via_known_issue"] == (1, 0)


def test_dashboard_page_shows_the_section(db, client, auth):
    make_agent(db.session, "sam")
    db.session.commit()
    auth.login("sam")
    page = client.get("/dashboard/").get_data(as_text=True)
    assert "Proactive care" in page and "Surge alerts raised" in page
