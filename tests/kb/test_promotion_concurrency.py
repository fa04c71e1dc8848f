"""Two agents promote the same thread at the same moment: one draft article, both see it."""

import os
import threading

import pytest
from sqlalchemy import func, select

from community import service as community_service
from community.models import Thread
from kb import promotion
from kb.models import Article
from portal.extensions import db as _db
from portal.models import User
from portal.permissions import Role
from tests.factories import make_reply, make_thread, make_user


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="SQLite locks the whole file for a writer, so two promotions cannot overlap there; "
    "the unique source thread is exercised on PostgreSQL (TEST_DATABASE_URL)",
)
def test_two_simultaneous_promotions_make_one_article(app, db, monkeypatch):
    thread = make_thread(db.session)
    community_service.accept_solution(
        db.session, thread.author, thread, make_reply(db.session, thread)
    )
    agents = [make_user(db.session, role=Role.AGENT).id for _ in range(2)]
    db.session.commit()
    thread_id = thread.id

    # Both requests have seen "no article yet" before either one writes.
    both_looked = threading.Barrier(2, timeout=20)
    original_lookup = promotion.article_from_thread
    waited = threading.local()

    def lookup_then_wait(session, thread):
        found = original_lookup(session, thread)
        if not getattr(waited, "done", False):
            waited.done = True
            both_looked.wait()
        return found

    monkeypatch.setattr(promotion, "article_from_thread", lookup_then_wait)
    outcomes = {}

    def promote(agent_id: int) -> None:
        with app.app_context():  # its own app context: its own session and connection
            session = _db.session
            try:
                article, created = promotion.promote_thread(
                    session, session.get(User, agent_id), session.get(Thread, thread_id)
                )
                session.commit()
                outcomes[agent_id] = (article.id, created)
            finally:
                session.remove()

    workers = [threading.Thread(target=promote, args=(agent_id,)) for agent_id in agents]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)

    assert sorted(created for _, created in outcomes.values()) == [False, True]
    assert len({article_id for article_id, _ in outcomes.values()}) == 1
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Article.id))) == 1
