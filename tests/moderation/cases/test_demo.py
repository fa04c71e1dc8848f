"""The demo desk: agents with skills, macros, cases in every state, answered surveys."""

from sqlalchemy import func, select

from moderation.cases.models import AgentProfile, Case, CaseStatus, Macro, Survey
from portal.extensions import db as _db
from portal.models import User


def count(model, *where):
    return _db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_seed_demo_adds_cases_once_and_pages_render(runner, db, client, auth):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    statuses = set(_db.session.scalars(select(Case.status)))
    assert statuses == {status.value for status in CaseStatus}
    assert count(Survey, Survey.answered_at.is_not(None)) >= 3
    assert count(Macro) >= 5
    sam = _db.session.scalar(select(User).where(User.username == "sam"))
    skills = {tag.slug for tag in _db.session.get(AgentProfile, sam.id).skills}
    assert skills == {"internet", "outages", "router", "wi-fi"}
    totals = (count(Case), count(Macro), count(Survey))
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert (count(Case), count(Macro), count(Survey)) == totals
    auth.login("ada", "brightwave-demo")
    for path in ["/desk/?queue=all", "/desk/?queue=attention", "/desk/?queue=done",
                 "/desk/supervisor", "/desk/macros", "/desk/rules"]:  # fmt: skip
        assert client.get(path).status_code == 200, path
    for case_id in _db.session.scalars(select(Case.id)):
        assert client.get(f"/desk/cases/{case_id}").status_code == 200, case_id
