"""The deflection rate on hand-computed flows, the holdout split, and contacts recorded."""

from datetime import UTC, datetime, timedelta

from search import deflection
from search.deflection import deflection_rate, in_holdout
from search.models import DeflectionEvent

DAY0 = datetime(2025, 3, 1, tzinfo=UTC)
H = timedelta(hours=1)


def flow(db, sid, *steps):
    """steps: (step, offset from DAY0)."""
    for step, offset in steps:
        holdout = step == "withheld"
        db.session.add(
            DeflectionEvent(session_id=sid, step=step, holdout=holdout, created_at=DAY0 + offset)
        )
    db.session.flush()


def test_deflection_rate_by_hand(db):
    day = timedelta(days=1)
    end = DAY0 + 10 * day
    flow(db, "A", ("shown", day), ("opened", day + H))  # opened, nothing after: deflected
    flow(db, "B", ("shown", day), ("opened", day + H), ("question", day + 3 * H))  # contacted
    flow(db, "C", ("shown", day), ("opened", day + H), ("question", day + 31 * H))  # too late
    flow(db, "D", ("shown", day))  # never opened
    flow(db, "E", ("shown", day), ("opened", day + H), ("question", day + 2 * H),
         ("solved", day + 3 * H))  # confirmed wins  # fmt: skip
    flow(db, "F", ("shown", 10 * day - 2 * H), ("opened", 10 * day - H))  # window still open
    flow(db, "G", ("withheld", day), ("question", day + H))
    flow(db, "H", ("withheld", 2 * day))
    flow(db, "I", ("shown", -day), ("opened", -day + H))  # before the period

    report = deflection_rate(db.session, DAY0, end, window_hours=24, now=end)
    assert (report.flows, report.opened, report.confirmed) == (6, 5, 1)
    assert (report.deflected, report.pending) == (3, 1)  # A, C, E; F pending
    assert report.rate == 3 / 5
    assert report.contact_rate == 3 / 6  # B, C, E posted anyway
    assert (report.holdout_flows, report.holdout_contact_rate) == (2, 0.5)


def test_a_shorter_window_and_no_flows(db):
    flow(db, "C", ("shown", H), ("opened", 2 * H), ("question", 8 * H))
    end = DAY0 + timedelta(days=5)
    assert deflection_rate(db.session, DAY0, end, window_hours=24, now=end).rate == 0
    assert deflection_rate(db.session, DAY0, end, window_hours=4, now=end).rate == 1
    assert deflection_rate(db.session, end, end + H, 24).rate is None


def test_holdout_is_stable_and_near_its_percentage():
    ids = [f"{n:032x}" for n in range(2000)]
    share = sum(in_holdout(i, 10) for i in ids) / len(ids)
    assert 0.07 < share < 0.13
    assert all(in_holdout(i, 10) == in_holdout(i, 10) for i in ids[:50])
    assert not any(in_holdout(i, 0) for i in ids) and all(in_holdout(i, 100) for i in ids)


class FakePost:
    def __init__(self, session, is_question=True):
        self.is_question, self._session = is_question, session


def test_questions_and_requests_posted_anyway_are_recorded(app, db, monkeypatch):
    monkeypatch.setattr(deflection, "object_session", lambda post: post._session)
    with app.test_request_context("/"):
        deflection.on_post_submitted(None, post=FakePost(db.session))  # no flow yet
        assert db.session.query(DeflectionEvent).count() == 0
        deflection.flow_id()
        deflection.on_post_submitted(None, post=FakePost(db.session))
        deflection.on_post_submitted(None, post=FakePost(db.session, is_question=False))
        deflection.on_contact_submitted(None, session=db.session, case=None)
        recorded = [e.step for e in db.session.query(DeflectionEvent).order_by(DeflectionEvent.id)]
    assert recorded == ["question", "request"]
