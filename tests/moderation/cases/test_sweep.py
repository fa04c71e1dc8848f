"""The escalation sweep: windows, super-user round, idempotence, concurrent runs."""

import os
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from community import service as community_service
from community.models import AcceptedSolution, ReputationEvent
from moderation.cases.models import Case, SuperuserInvite
from moderation.cases.sweep import SweepSettings, escalate_overdue_threads, run_sweep
from portal.database import utcnow
from portal.notifications import Notification
from portal.permissions import Role
from tests.factories import make_reply, make_tag, make_user
from tests.moderation.cases.helpers import event_text, make_agent, make_old_thread

DIRECT = SweepSettings(unanswered_hours=24, unsolved_hours=72, invite_hours=0)


def sweep(session, settings=DIRECT, now=None):
    return escalate_overdue_threads(session, settings, now)


def test_unanswered_after_window_only(db):
    s = db.session
    young = make_old_thread(s, 23)
    old = make_old_thread(s, 25)
    result = sweep(s)
    cases = s.scalars(select(Case)).all()
    assert [case.thread_id for case in cases] == [old.id] and result.cases == [cases[0].id]
    assert young.id not in {case.thread_id for case in cases}
    assert cases[0].channel == "community" and cases[0].customer_id == old.author_id
    assert "no reply after 24 h" in event_text(s, cases[0].events[0])


def test_reply_by_the_asker_does_not_count_but_others_do(db):
    s = db.session
    self_replied = make_old_thread(s, 30)
    make_reply(s, self_replied, author=self_replied.author, body="Any idea? Still stuck.")
    answered = make_old_thread(s, 30)
    make_reply(s, answered)
    sweep(s)
    assert s.scalars(select(Case.thread_id)).all() == [self_replied.id]


def test_unsolved_after_longer_window(db):
    s = db.session
    answered = make_old_thread(s, 73)
    make_reply(s, answered)
    answered_young = make_old_thread(s, 50)
    make_reply(s, answered_young)
    solved = make_old_thread(s, 100)
    reply = make_reply(s, solved)
    community_service.accept_solution(s, solved.author, solved, reply)
    sweep(s)
    assert s.scalars(select(Case.thread_id)).all() == [answered.id]
    assert "not solved after 72 h" in event_text(s, s.scalars(select(Case)).one().events[0])


def test_deleted_locked_and_duplicate_threads_are_skipped(db):
    s = db.session
    deleted = make_old_thread(s, 30)
    community_service.delete_post(s, deleted.author, deleted.question)
    locked = make_old_thread(s, 30)
    community_service.lock_thread(s, make_user(s, role=Role.MODERATOR), locked)
    sweep(s)
    assert s.scalar(select(func.count(Case.id))) == 0


def test_sweep_is_idempotent_and_routes_by_skill(db):
    s = db.session
    router = make_tag(s, "Router")
    sam = make_agent(s, "sam", skills=[router])
    make_agent(s, "nina", skills=[make_tag(s, "Billing")])
    make_old_thread(s, 30, tags=[router])
    first = sweep(s)
    second = sweep(s)
    assert len(first.cases) == 1 and second.cases == []
    case = s.scalars(select(Case)).one()
    assert case.assignee_id == sam.id and case.tags == [router]


def test_superusers_invited_first_then_escalated_after_their_window(db):
    s = db.session
    wifi = make_tag(s, "Wi-Fi")
    helper = make_user(s, "helper", role=Role.SUPERUSER)
    earlier = make_old_thread(s, 200, tags=[wifi])
    reply = make_reply(s, earlier, author=helper)
    community_service.accept_solution(s, earlier.author, earlier, reply)
    s.add(ReputationEvent(user_id=helper.id, points=300, reason="test"))
    waiting = make_old_thread(s, 25, tags=[wifi])
    settings = SweepSettings(unanswered_hours=24, unsolved_hours=72, invite_hours=4)
    result = sweep(s, settings)
    assert result.invited == [waiting.id] and result.cases == []
    assert s.get(SuperuserInvite, waiting.id) is not None
    assert s.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == helper.id, Notification.kind == "superuser_invite"
        )
    )
    assert sweep(s, settings).cases == []  # still inside the super-users' window
    later = sweep(s, settings, now=utcnow() + timedelta(hours=5))
    assert len(later.cases) == 1
    assert "super-users invited 4 h ago" in event_text(s, s.scalars(select(Case)).one().events[0])
    assert s.scalar(select(func.count(AcceptedSolution.id))) == 1


def test_a_super_user_invited_to_many_threads_gets_one_email(db, app, tmp_path, monkeypatch):
    """The first sweep of a busy site invites one expert to many threads: one e-mail lists
    them all (notifications to a person are batched), not one e-mail per thread."""
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path / "outbox"))
    s = db.session
    wifi = make_tag(s, "Wi-Fi")
    helper = make_user(s, "helper", role=Role.SUPERUSER)
    earlier = make_old_thread(s, 200, tags=[wifi])
    reply = make_reply(s, earlier, author=helper)
    community_service.accept_solution(s, earlier.author, earlier, reply)
    s.add(ReputationEvent(user_id=helper.id, points=300, reason="test"))
    waiting = [make_old_thread(s, 25, tags=[wifi]) for _ in range(6)]
    s.commit()
    mails_before = set((tmp_path / "outbox").glob("*.eml"))
    settings = SweepSettings(unanswered_hours=24, unsolved_hours=72, invite_hours=4)
    assert sorted(sweep(s, settings).invited) == sorted(thread.id for thread in waiting)
    s.commit()
    to_helper = [
        mail.read_text()
        for mail in set((tmp_path / "outbox").glob("*.eml")) - mails_before
        if "To: helper@example.com" in mail.read_text()
    ]
    assert len(to_helper) == 1 and "6 new notifications" in to_helper[0]
    assert all(thread.title in to_helper[0] for thread in waiting)


def test_no_superuser_for_the_tags_means_straight_to_agents(db):
    s = db.session
    make_old_thread(s, 30)
    result = sweep(s, SweepSettings(invite_hours=4))
    assert len(result.cases) == 1 and result.invited == []


def test_cli_sweep(app, db, runner):
    make_old_thread(db.session, 30)
    db.session.commit()
    app.config["SUPERUSER_INVITE_HOURS"] = 0
    try:
        result = runner.invoke(args=["cases", "sweep"])
    finally:
        app.config["SUPERUSER_INVITE_HOURS"] = 4
    assert "1 case opened" in result.output
    assert runner.invoke(args=["cases", "sweep"]).output.startswith("Sweep done: 0 cases opened.")


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="concurrent sweeps need PostgreSQL"
)
def test_two_sweeps_at_once_open_one_case_per_thread(app, db):
    threads = [make_old_thread(db.session, 30 + n) for n in range(5)]
    db.session.commit()
    barrier, errors, opened = threading.Barrier(2), [], []
    engine = db.engine

    def one_sweep():
        with Session(engine) as session:
            try:
                with app.app_context():
                    barrier.wait()
                    opened.extend(escalate_overdue_threads(session, DIRECT).cases)
                    session.commit()
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)

    workers = [threading.Thread(target=one_sweep) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert errors == []
    db.session.expire_all()
    rows = db.session.scalars(select(Case.thread_id)).all()
    assert sorted(rows) == sorted(t.id for t in threads)
    assert len(set(opened)) == len(threads)


def test_run_sweep_commits(app, db):
    make_old_thread(db.session, 30)
    db.session.commit()
    app.config["SUPERUSER_INVITE_HOURS"] = 0
    try:
        assert len(run_sweep(app).cases) == 1
    finally:
        app.config["SUPERUSER_INVITE_HOURS"] = 4


def test_the_sweep_is_a_periodic_job_claimed_once_per_period(app, db):
    from portal.jobs import outbox

    make_old_thread(db.session, 30)
    db.session.commit()
    app.config["SUPERUSER_INVITE_HOURS"] = 0
    try:
        slot = utcnow().replace(hour=0, minute=0)  # a minute every interval divides
        assert "cases.sweep" in outbox.tick(slot)  # the job runs at once (JOBS_INLINE)
        assert "cases.sweep" not in outbox.tick(slot)  # another worker, same period
    finally:
        app.config["SUPERUSER_INVITE_HOURS"] = 4
    assert db.session.scalar(select(func.count(Case.id))) == 1
