"""Migration 0027 fills the threads' listing columns and the tab counts of an existing
community with set-based statements: the same values community.listing keeps afterwards."""

import pytest
from sqlalchemy import select, text

from community import listing, queries
from community.models import ListCount, Thread
from portal.extensions import db as _db
from tests.moderation.cases.helpers import database_at

USER = (
    "INSERT INTO users (id, username, email, password_hash, display_name, bio, role, "
    "created_at, suspension_reason, session_token) VALUES (:id, :name, :email, 'x', :name, "
    "'', 'customer', '2025-01-01 00:00:00', '', :name)"
)
THREAD = (
    "INSERT INTO community_threads (id, title, author_id, created_at, last_activity_at, "
    "reply_count) VALUES (:id, :title, 1, :at, :at, :replies)"
)
POST = (
    "INSERT INTO community_posts (id, thread_id, author_id, is_question, body, language, "
    "status, score, created_at) VALUES (:id, :thread, 1, :question, 'Text', :language, "
    ":status, :score, '2025-01-01 00:00:00')"
)
# (thread, question status, language, score, visible replies, solved, tags)
THREADS = [
    (1, "visible", "en", 3, 0, False, [1]),
    (2, "visible", "fr", 0, 2, True, [1, 2]),
    (3, "hidden", "en", 5, 1, False, [2]),
    (4, "visible", "en", 1, 1, False, [2]),
    (5, "deleted", "fr", 0, 0, False, [1]),
    (6, "held", "en", 0, 0, False, [1]),
    (7, "visible", "fr", 2, 0, False, [2]),
]


@pytest.fixture
def migrated_to_0026(database_url, tmp_path):
    with database_at("0026", database_url, tmp_path) as app:
        yield app


def test_migration_0027_fills_the_listing_columns_and_the_counts(migrated_to_0026):
    from flask_migrate import upgrade

    with _db.engine.begin() as connection:
        connection.execute(text(USER), {"id": 1, "name": "asker", "email": "a@example.com"})
        for tag in (1, 2):
            connection.execute(
                text("INSERT INTO tags (id, slug, name, description) VALUES (:id, :s, :s, '')"),
                {"id": tag, "s": f"topic-{tag}"},
            )
        post_id = 0
        for thread, status, language, score, replies, solved, tags in THREADS:
            at = f"2025-01-0{thread} 00:00:00"
            connection.execute(
                text(THREAD),
                {"id": thread, "title": f"Question {thread}", "at": at, "replies": replies},
            )
            for tag in tags:
                connection.execute(
                    text("INSERT INTO community_thread_tags VALUES (:thread, :tag)"),
                    {"thread": thread, "tag": tag},
                )
            for number in range(replies + 1):
                post_id += 1
                connection.execute(
                    text(POST),
                    {"id": post_id, "thread": thread, "question": number == 0,
                     "language": language, "status": status if number == 0 else "visible",
                     "score": score if number == 0 else 0},
                )  # fmt: skip
            if solved:
                connection.execute(
                    text(
                        "INSERT INTO community_solutions (thread_id, post_id, accepted_by_id, "
                        "accepted_at) VALUES (:thread, :post, 1, '2025-02-01 00:00:00')"
                    ),
                    {"thread": thread, "post": post_id},
                )
    upgrade(revision="0027")

    session = _db.session

    def state():
        threads = session.execute(
            select(Thread.id, Thread.is_listed, Thread.question_language,
                   Thread.question_score, Thread.is_solved).order_by(Thread.id)
        ).all()  # fmt: skip
        counts = session.execute(select(ListCount.__table__)).all()
        return [tuple(row) for row in threads], {tuple(row) for row in counts if any(row[2:])}

    migrated = state()
    assert migrated[0][:3] == [(1, True, "en", 3, False), (2, True, "fr", 0, True),
                               (3, False, "en", 5, False)]  # fmt: skip
    assert queries.thread_counts(session, None, None) == {
        "all": 4, "unanswered": 2, "unsolved": 3, "solved": 1
    }  # fmt: skip
    topic_2 = session.get(ListCount, (2, "fr"))
    assert (topic_2.unanswered, topic_2.answered, topic_2.solved) == (1, 0, 1)
    listing.refresh_everything(session)
    assert state() == migrated  # what the application itself computes
    session.rollback()
    session.remove()
