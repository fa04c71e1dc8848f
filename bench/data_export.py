""" "Download my data" and "Delete my account" for a very active member, timed.

    PYTHONPATH=. .venv/bin/python bench/data_export.py
    PYTHONPATH=. .venv/bin/python bench/data_export.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

A fresh database (a SQLite file in a temporary folder, or a new database on the
PostgreSQL server, dropped after) gets one member with years of activity, written with
Core inserts (``--posts`` sets the scale, default 10,000): as many posts (a tenth of them
questions, each with an earlier version), votes and reputation events, a fifth as many
notifications, followed threads, searches and sign-in attempts, and a hundredth as many
support requests with ten timeline lines each. Timed: ``portal.privacy.export_json``, what
the settings page serves (median of 5, wall and CPU of this process), its size; then
``portal.privacy.delete_account`` once, committed.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, make_url, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))


def populate(session, posts: int) -> int:
    """One very active member; returns their id."""
    from community.models import (
        Post,
        PostRevision,
        ReputationEvent,
        Thread,
        ThreadFollow,
        Vote,
    )
    from moderation.cases.models import Case, CaseEvent
    from portal.database import utcnow
    from portal.models import LoginAttempt, User
    from portal.notifications import Notification
    from search.models import SearchQuery

    now = utcnow()
    member = User(username="busy", email="busy@example.com", password_hash="-", bio="Hi")
    member.set_password("correct-horse-battery")
    session.add(member)
    session.flush()
    uid, threads = member.id, posts // 10
    at = [now - timedelta(minutes=i) for i in range(posts)]
    session.execute(
        insert(Thread),
        [{"title": f"Question {i} about my router", "author_id": uid} for i in range(threads)],
    )
    thread_ids = list(session.scalars(select(Thread.id).order_by(Thread.id)))
    session.execute(
        insert(Post),
        [
            {
                "thread_id": thread_ids[i % threads],
                "author_id": uid,
                "is_question": i < threads,
                "body": f"Post {i}: restart the hub, then hold the button for ten seconds. " * 4,
                "created_at": at[i],
            }
            for i in range(posts)
        ],
    )
    post_ids = list(session.scalars(select(Post.id).order_by(Post.id)))
    session.execute(
        insert(PostRevision),
        [{"post_id": p, "previous_body": "First draft " * 20, "editor_id": uid} for p in post_ids],
    )
    session.execute(insert(Vote), [{"post_id": p, "user_id": uid, "value": 1} for p in post_ids])
    session.execute(
        insert(ReputationEvent),
        [{"user_id": uid, "points": 10, "reason": "upvote", "post_id": p} for p in post_ids],
    )
    fifth = posts // 5
    session.execute(
        insert(Notification),
        [{"user_id": uid, "kind": "reply", "message": f"Reply {i} to you"} for i in range(fifth)],
    )
    session.execute(
        insert(ThreadFollow), [{"user_id": uid, "thread_id": t} for t in thread_ids[:fifth]]
    )
    session.execute(
        insert(SearchQuery),
        [
            {"text": f"router {i}", "results_count": 3, "session_id": "s", "user_id": uid}
            for i in range(fifth)
        ],
    )
    session.execute(
        insert(LoginAttempt),
        [
            {"identifier": "busy", "user_id": uid, "ip_address": "203.0.113.9", "succeeded": True}
            for _ in range(fifth)
        ],
    )
    requests = max(1, posts // 100)
    session.execute(
        insert(Case),
        [
            {
                "subject": f"Request {i}",
                "body": "My line drops every evening. " * 10,
                "customer_id": uid,
                "channel": "contact form",
                "status": "closed",
                "first_response_due": now,
                "resolution_due": now,
            }
            for i in range(requests)
        ],
    )
    case_ids = list(session.scalars(select(Case.id)))
    session.execute(
        insert(CaseEvent),
        [
            {"case_id": c, "kind": "private reply", "actor_id": uid, "body": "We are on it. " * 5}
            for c in case_ids
            for _ in range(10)
        ],
    )
    session.commit()
    return uid


def timed(function, runs: int) -> tuple[float, float, object]:
    """Median wall and CPU seconds of ``runs`` calls, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def run(database_url: str, posts: int) -> None:
    from benchsupport import throwaway_app

    from portal import privacy
    from portal.extensions import db
    from portal.models import User

    with tempfile.TemporaryDirectory() as folder:
        app = throwaway_app(
            Path(folder),
            SQLALCHEMY_DATABASE_URI=database_url or f"sqlite:///{Path(folder) / 'bench.db'}",
            SEARCH_SEMANTIC_ENABLED=False,
            JOBS_INLINE=True,
        )
        with app.app_context():
            started = time.perf_counter()
            uid = populate(db.session, posts)
            print(f"populated {posts:,} posts in {time.perf_counter() - started:.1f} s")
            member = db.session.get(User, uid)
            wall, cpu, body = timed(lambda: privacy.export_json(db.session, member), 5)
            print(f"export_json: wall {wall:.2f} s, CPU {cpu:.2f} s, {len(body) / 1e6:.1f} MB")
            wall, cpu, _ = timed(
                lambda: privacy.delete_account(
                    db.session, member, member, password="correct-horse-battery"
                ),
                1,
            )
            db.session.commit()
            print(f"delete_account (committed): wall {wall:.2f} s, CPU {cpu:.2f} s")
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL server to make a database on")
    parser.add_argument("--posts", type=int, default=10_000)
    arguments = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}")
    if not arguments.database_url:
        run("", arguments.posts)
        return
    server = make_url(arguments.database_url)
    name = f"careportal_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        run(server.set(database=name).render_as_string(hide_password=False), arguments.posts)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
