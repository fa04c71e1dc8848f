"""Two moderators act on the same item at the same moment: exactly one action happens."""

import os
import threading

import pytest
from sqlalchemy import select

from moderation import actions, flags, queue
from moderation.models import AuditEntry, QueueItem
from portal.errors import Conflict
from portal.extensions import db as _db
from portal.models import User
from portal.permissions import Role
from tests.factories import make_reply, make_thread, make_user


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="SQLite runs one writer at a time, so two actions cannot overlap there; "
    "the guarded UPDATE is exercised on PostgreSQL (TEST_DATABASE_URL)",
)
def test_approve_and_hide_at_once_leave_one_decision(app, db, monkeypatch):
    post = make_reply(db.session, make_thread(db.session))
    flags.flag_post(db.session, make_user(db.session), post, category="spam")
    first = make_user(db.session, "first", role=Role.MODERATOR)
    second = make_user(db.session, "second", role=Role.MODERATOR)
    item = queue.item_for(db.session, post)
    db.session.commit()
    item_id, revision = item.id, item.revision

    # Both have read the open item before either one writes.
    both_ready = threading.Barrier(2, timeout=20)
    original_claim = queue.claim

    def claim_together(*args, **kwargs):
        both_ready.wait()
        return original_claim(*args, **kwargs)

    monkeypatch.setattr(queue, "claim", claim_together)
    outcomes = {}

    def act(moderator_id: int, how: str) -> None:
        with app.app_context():
            session = _db.session
            try:
                moderator = session.get(User, moderator_id)
                target = session.get(QueueItem, item_id)
                if how == "approve":
                    actions.approve(session, moderator, target, revision)
                else:
                    actions.remove(session, moderator, target, revision, how="hide", reason="Spam")
                session.commit()
                outcomes[how] = "done"
            except Conflict as error:
                session.rollback()
                outcomes[how] = error.message
            finally:
                session.remove()

    workers = [
        threading.Thread(target=act, args=(first.id, "approve")),
        threading.Thread(target=act, args=(second.id, "hide")),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)

    results = sorted(outcomes.values(), key=lambda outcome: outcome != "done")
    assert results[0] == "done" and results[1].startswith("Already handled")
    db.session.expire_all()
    decisions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.action.in_(["post.approved", "post.hidden"]))
    ).all()
    assert len(decisions) == 1
