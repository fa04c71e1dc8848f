"""Background work measured: what a reply costs its request, and searches during a rebuild.

    PYTHONPATH=. .venv/bin/python bench/background.py replies
    PYTHONPATH=. .venv/bin/python bench/background.py rebuild --instance DIR

``replies``: a thread with 0, 100 and 1,000 followers gets 30 replies, each a real request
(signed in, POST /community/threads/<id>/reply, redirect) on a throwaway SQLite portal.
Measured twice in the same run: with the jobs handed to the queue (production: the
request records the fan-out and returns) and inline (``JOBS_INLINE``: the fan-out and the
e-mails inside the request, as main did before the jobs). Then the worker's side: how long
the fan-out job and the e-mail jobs take for 1,000 followers.

``rebuild``: on a portal built by ``bench/latency.py --instance DIR`` (100k threads), a
second process rebuilds the index into a new generation (``search.indexing.rebuild``,
what the keeper and `flask search reindex` run; documents get random unit vectors, as in
latency.py, so the rebuild takes minutes, not the 20 of real embedding) while this process
answers distinct fresh searches without pause. Reported: search p50/p95 before, during
and after the rebuild, whether any search had to fall back to the database, and the
rebuild's duration.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

FOLLOWERS = (0, 100, 1000)
REPLIES = 30


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return f"p50 {p(0.50):7.1f} ms  p95 {p(0.95):7.1f} ms  (n={len(ordered)})"


# ---------------------------------------------------------------------- replies
def portal_with_followers(instance: Path, followers: int, inline: bool):
    """A portal, a thread with ``followers`` followers, a signed-in test client."""
    from benchsupport import throwaway_app
    from sqlalchemy import insert

    from community import service as community_service
    from community.models import ThreadFollow
    from portal import service
    from portal.extensions import db
    from portal.models import User

    app = throwaway_app(
        instance,
        WTF_CSRF_ENABLED=False,
        JOBS_INLINE=inline,
        SEARCH_SEMANTIC_ENABLED=False,
        MODERATION_NEW_ACCOUNT_HELD_POSTS=0,
        MODERATION_RATE_LIMIT_POSTS=0,
        MODERATION_DUPLICATE_THRESHOLD=0,
        NOTIFICATION_EMAIL_DELAY_SECONDS=0,
        PASSWORD_HASH_METHOD="scrypt:1024:8:1",
    )
    with app.app_context():
        asker = service.register_user(
            db.session, username="asker", email="asker@example.com", password="long enough"
        )
        service.register_user(
            db.session, username="replier", email="replier@example.com", password="long enough"
        )
        tag = service.create_tag(db.session, None, name="Bench", description="")
        db.session.flush()
        thread = community_service.ask_question(
            db.session, asker, title="Router reboots every night", body="Since Monday.",
            tags=[tag.slug],
        )  # fmt: skip
        db.session.flush()
        rows = [
            {"username": f"fan{n}", "email": f"fan{n}@example.com", "password_hash": "-"}
            for n in range(followers)
        ]
        if rows:
            db.session.execute(insert(User), rows)
            ids = db.session.query(User.id).filter(User.username.like("fan%")).all()
            db.session.execute(
                insert(ThreadFollow), [{"user_id": i, "thread_id": thread.id} for (i,) in ids]
            )
        db.session.commit()
        thread_id = thread.id
    client = app.test_client()
    client.post("/login", data={"identifier": "replier", "password": "long enough"})
    return app, client, thread_id


def time_replies(followers: int, inline: bool) -> list[float]:
    with tempfile.TemporaryDirectory(prefix="careportal-replies-") as tmp:
        app, client, thread_id = portal_with_followers(Path(tmp), followers, inline)
        timings = []
        for n in range(REPLIES):
            started = time.perf_counter()
            response = client.post(
                f"/community/threads/{thread_id}/reply",
                data={"body": f"Did you try restarting it, number {n}? It helped me twice."},
            )
            timings.append(1000 * (time.perf_counter() - started))
            assert response.status_code == 302, response.status_code
        return timings


def time_worker_side(followers: int) -> dict[str, float]:
    """The fan-out job and the e-mail jobs one reply causes, run by the job runner."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.jobs import Job, outbox

    with tempfile.TemporaryDirectory(prefix="careportal-fanout-") as tmp:
        app, client, thread_id = portal_with_followers(Path(tmp), followers, inline=False)
        app.extensions["jobs"].__dict__["queue"] = type("NoQueue", (), {"push": lambda *a: None})()
        client.post(f"/community/threads/{thread_id}/reply", data={"body": "It helped me twice."})
        times = {}
        with app.app_context():
            for name in ("community.notify", "notifications.email", "mail.send"):
                ids = list(db.session.scalars(select(Job.id).where(Job.name == name)))
                started = time.perf_counter()
                for job_id in ids:
                    outbox.run_job(job_id)
                times[f"{name} ×{len(ids)}"] = time.perf_counter() - started
                db.session.rollback()
        return times


def replies() -> None:
    print(f"load average: {' / '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores")  # fmt: skip
    for followers in FOLLOWERS:
        queued = time_replies(followers, inline=False)
        inline = time_replies(followers, inline=True)
        print(f"{followers:>5} followers  jobs queued: {percentiles(queued)}   "
              f"inline (before): {percentiles(inline)}")  # fmt: skip
    for name, seconds in time_worker_side(1000).items():
        print(f"worker, 1,000 followers: {name} in {seconds:.2f} s")


# ---------------------------------------------------------------------- rebuild
def rebuild_worker(instance: Path) -> None:
    """The second process: rebuild the index with random unit vectors, print its duration."""
    import numpy as np
    from benchsupport import throwaway_app

    from search import indexing, vectors

    rng = np.random.default_rng(1)

    def random_unit_vectors(texts, batch_size=32):
        matrix = rng.standard_normal((len(texts), 384)).astype(np.float32)
        return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)

    vectors.encode_documents = random_unit_vectors
    app = throwaway_app(instance)
    with app.app_context():
        started = time.perf_counter()
        count = indexing.rebuild(threads=1)
        print(json.dumps({"documents": count, "seconds": time.perf_counter() - started}))


def rebuild(instance: Path) -> None:
    from benchsupport import throwaway_app
    from latency import queries

    from search import indexing, service

    # This process encodes its queries itself (no encoder service runs beside a benchmark).
    app = throwaway_app(instance, SEARCH_ENCODER_SERVICE=False)
    phases = {"before": [], "during": [], "after": []}
    fell_back = 0
    texts = iter(queries(100_000))
    with app.test_request_context():
        session = app.extensions["sqlalchemy"].session
        old = indexing.current_generation()
        if old is None:
            sys.exit(f"no index in {instance}: run bench/latency.py --instance {instance} first")
        service.search(session, None, "warm up the model")

        def one(phase: str) -> None:
            nonlocal fell_back
            started = time.perf_counter()
            page = service.search(session, None, next(texts))
            phases[phase].append(1000 * (time.perf_counter() - started))
            fell_back += page.from_database
            session.remove()

        for _ in range(100):
            one("before")
        worker = subprocess.Popen(
            [sys.executable, __file__, "rebuild-worker", "--instance", str(instance)],
            stdout=subprocess.PIPE,
            text=True,
        )
        started = time.perf_counter()
        while worker.poll() is None:
            one("during")
        rebuilt = json.loads(worker.stdout.read().strip().splitlines()[-1])
        for _ in range(100):
            one("after")
        new = indexing.current_generation()
    print(f"load average: {' / '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores")  # fmt: skip
    print(f"rebuild: {rebuilt['documents']} documents in {rebuilt['seconds']:.0f} s "
          f"(wall seen here {time.perf_counter() - started:.0f} s); "
          f"generation {old.name} → {new.name}")  # fmt: skip
    for phase, samples in phases.items():
        print(f"search {phase:<7} {percentiles(samples)}")
    print(f"searches answered from the database (no index): {fell_back}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=("replies", "rebuild", "rebuild-worker"))
    parser.add_argument("--instance", type=Path, help="a portal built by bench/latency.py")
    args = parser.parse_args()
    if args.what == "replies":
        replies()
    elif args.instance is None:
        parser.error("rebuild needs --instance DIR (built by bench/latency.py --instance DIR)")
    elif args.what == "rebuild":
        rebuild(args.instance)
    else:
        rebuild_worker(args.instance)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
