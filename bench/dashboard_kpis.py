"""Dashboard speed: build_dashboard on 100k generated threads and 20k cases, or the demo.

    PYTHONPATH=. .venv/bin/python bench/dashboard_kpis.py
    PYTHONPATH=. .venv/bin/python bench/dashboard_kpis.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres
    PYTHONPATH=. .venv/bin/python bench/dashboard_kpis.py --demo

A fresh database (a SQLite file in a temporary folder, or a new database on the
PostgreSQL server named by ``--database-url``, dropped afterwards) gets a year of support
history written row by row with Core inserts: threads with replies, votes, reputation and
accepted solutions; cases from threads and the contact form with SLA due times, first
responses, solves, reopenings, closes and surveys; KB articles and feedback; searches;
deflection flows (a tenth in a holdout); role changes. Then ``build_dashboard`` runs for
the last 30 and the last 90 days, a few times each, and the median is reported with the
number of SQL statements, CPU time, the share of search.deflection's rate, and the
load of the machine (several helpers share 2 cores: CPU time is the steadier number).
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, event, insert, make_url, text

HOUR = timedelta(hours=1)
# Per generated thread: flows shown suggestions, searches; per 20 threads, one member.
FLOWS_PER_THREAD = 1.5
SEARCHES_PER_THREAD = 2
THREADS_PER_MEMBER = 20
AGENTS, ADMINS, MODERATORS, TAGS, ARTICLES = 20, 2, 4, 12, 600
SLA_HOURS = {"low": (72, 168), "normal": (24, 72), "high": (4, 24), "urgent": (1, 8)}
GAP_QUERIES = [f"unknown error e{n}" for n in range(300)]
QUERIES = [f"how to fix the {n}" for n in ("router", "wifi", "invoice", "bulb", "camera", "tv")]


class Writer:
    """Buffers rows per table and inserts them in batches, parents before children.

    Rows must be added parent first (a thread before its posts); every flush writes all
    buffered tables in the metadata's dependency order, so foreign keys always hold.
    """

    def __init__(self, connection, metadata, batch: int = 20_000):
        self.connection, self.batch, self.counts = connection, batch, {}
        self.rows = {table: [] for table in metadata.sorted_tables}
        self.buffered = 0

    def add(self, model_or_table, **row) -> None:
        self.rows[getattr(model_or_table, "__table__", model_or_table)].append(row)
        self.buffered += 1
        if self.buffered >= self.batch:
            self.flush()

    def flush(self) -> None:
        for table, rows in self.rows.items():
            if rows:
                self.connection.execute(insert(table), rows)
                self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)
                rows.clear()
        self.buffered = 0


def generate(connection, threads: int, cases: int, days: int, now: datetime, seed: int = 8):
    """A year (``days``) of support history ending at ``now``; returns row counts."""
    from community.models import (
        AcceptedSolution,
        Post,
        ReputationEvent,
        Thread,
        Vote,
        thread_tags,
    )
    from kb.models import Article, Feedback
    from moderation.cases.models import Case, CaseEvent, SlaBreach, Survey
    from moderation.models import AuditEntry
    from portal.models import Tag, User
    from search.models import DeflectionEvent, SearchQuery

    rng = random.Random(seed)
    from portal.extensions import db

    out = Writer(connection, db.metadata)
    start = now - timedelta(days=days)

    def moment() -> datetime:
        return start + timedelta(seconds=rng.random() * days * 86400)

    def later(after: datetime, mean_hours: float) -> datetime | None:
        when = after + timedelta(hours=rng.expovariate(1 / mean_hours))
        return when if when < now else None

    members = max(100, threads // THREADS_PER_MEMBER)
    roles = (
        ["customer"] * members
        + ["superuser"] * (members // 80)
        + ["agent"] * AGENTS
        + ["admin"] * ADMINS
        + ["moderator"] * MODERATORS
    )
    for user_id, role in enumerate(roles, 1):
        out.add(User, id=user_id, username=f"u{user_id}", email=f"u{user_id}@bench.example",
                password_hash="-", display_name="", bio="", role=role, created_at=start,
                suspension_reason="", email_notifications=True)  # fmt: skip
    community = [i for i, r in enumerate(roles, 1) if r in ("customer", "superuser")]
    agents = [i for i, r in enumerate(roles, 1) if r == "agent"]
    for tag_id in range(1, TAGS + 1):
        out.add(Tag, id=tag_id, slug=f"tag-{tag_id}", name=f"Tag {tag_id}", description="")

    post_id = vote_id = 0
    solved_threads, thread_times = [], {}
    for thread_id in range(1, threads + 1):
        asked, asker = moment(), rng.choice(community)
        thread_times[thread_id] = (asked, asker)
        replies, replied = [], asked  # (author, time, visible)
        for _ in range(rng.choices(range(6), (10, 20, 25, 20, 15, 10))[0]):
            replied = later(replied, 8)
            if replied is None:
                break
            author = rng.choice(agents) if rng.random() < 0.15 else rng.choice(community)
            replies.append((author, replied, rng.random() < 0.97))
        out.add(Thread, id=thread_id, title=f"Question {thread_id}", author_id=asker,
                created_at=asked, last_activity_at=replies[-1][1] if replies else asked,
                reply_count=sum(visible for _, _, visible in replies))  # fmt: skip
        for tag_id in rng.sample(range(1, TAGS + 1), rng.choice((1, 1, 2, 3))):
            out.add(thread_tags, thread_id=thread_id, tag_id=tag_id)
        post_id += 1
        status = rng.choices(("visible", "hidden", "deleted"), (98, 1, 1))[0]
        out.add(Post, id=post_id, thread_id=thread_id, author_id=asker, is_question=True,
                body="question", status=status, score=0, created_at=asked)  # fmt: skip
        answers = []
        for author, when, visible in replies:
            post_id += 1
            out.add(Post, id=post_id, thread_id=thread_id, author_id=author, is_question=False,
                    body="reply", status="visible" if visible else "deleted", score=0,
                    created_at=when)  # fmt: skip
            for voter in rng.sample(community, rng.choice((0, 0, 1, 2))):
                vote_id += 1
                out.add(Vote, id=vote_id, post_id=post_id, user_id=voter, value=1,
                        created_at=min(when + HOUR, now))  # fmt: skip
                out.add(ReputationEvent, user_id=author, points=10, reason="upvote",
                        post_id=post_id, created_at=min(when + HOUR, now))  # fmt: skip
            if visible and author != asker:
                answers.append((post_id, author, when))
        accepted = later(answers[0][2], 12) if answers and rng.random() < 0.55 else None
        if accepted is not None:
            answer_id, solver, _ = rng.choice([a for a in answers if a[2] <= accepted])
            out.add(AcceptedSolution, thread_id=thread_id, post_id=answer_id,
                    accepted_by_id=asker, accepted_at=accepted)  # fmt: skip
            out.add(ReputationEvent, user_id=solver, points=15, reason="solution_accepted",
                    post_id=answer_id, created_at=accepted)  # fmt: skip
            solved_threads.append(thread_id)
    escalated = rng.sample(range(1, threads + 1), min(threads, cases * 6 // 10))
    event_id = 0
    for case_id in range(1, cases + 1):
        thread_id = escalated[case_id - 1] if case_id <= len(escalated) else None
        if thread_id:
            asked, customer = thread_times[thread_id]
            opened = asked + timedelta(hours=24 + rng.random() * 48)
            if opened >= now:
                thread_id, opened = None, moment()
        else:
            customer, opened = rng.choice(community), moment()
        priority = rng.choices(list(SLA_HOURS), (20, 60, 15, 5))[0]
        first_hours, resolution_hours = SLA_HOURS[priority]
        first = later(opened, first_hours * 0.6) if rng.random() < 0.9 else None
        solved = later(first, resolution_hours * 0.6) if first and rng.random() < 0.85 else None
        reopened = solved is not None and rng.random() < 0.05
        events = [("created", opened), ("assigned", opened)]
        if first:
            events.append(("public reply" if thread_id else "private reply", first))
        if reopened:
            events += [("solved", solved), ("status", solved + 24 * HOUR)]
            solved = later(solved + 24 * HOUR, resolution_hours)
        if solved:
            events.append(("solved", solved))
        closed = None
        if solved is None and first is None and rng.random() < 0.05:
            closed = later(opened, 48)
        elif solved is not None and rng.random() < 0.3:
            closed = later(solved, 48)
        if closed or solved:
            status = "closed" if closed else "solved"
        else:
            status = rng.choice(("open", "pending customer")) if first else "new"
        out.add(Case, id=case_id, subject=f"Case {case_id}", body="", customer_id=customer,
                thread_id=thread_id, channel="community" if thread_id else "contact form",
                status=status, priority=priority,
                assignee_id=rng.choice(agents) if rng.random() < 0.95 else None,
                opened_at=opened, first_response_due=opened + first_hours * HOUR,
                resolution_due=opened + resolution_hours * HOUR, first_response_at=first,
                solved_at=solved, closed_at=closed,
                disposition="known gap" if solved else None)  # fmt: skip
        # The breaches the clock would have recorded (moderation.cases.clock).
        targets = (("first response", first_hours, first or closed or now),
                   ("resolution", resolution_hours, solved or closed or now))  # fmt: skip
        for target, target_hours, done in targets:
            if done > opened + target_hours * HOUR:
                due = opened + target_hours * HOUR
                out.add(SlaBreach, case_id=case_id, target=target, priority=priority,
                        target_hours=target_hours, due_at=due, breached_at=due,
                        recorded_at=due)  # fmt: skip
        for kind, when in events:
            event_id += 1
            out.add(CaseEvent, id=event_id, case_id=case_id, kind=kind, body="",
                    created_at=when)  # fmt: skip
        if solved:
            answered = later(solved, 6) if rng.random() < 0.35 else None
            out.add(Survey, case_id=case_id, token=f"t{case_id}", sent_at=solved,
                    answered_at=answered,
                    csat=rng.choices(range(1, 6), (5, 5, 10, 35, 45))[0] if answered else None,
                    nps=rng.choices(range(11), (2,) * 5 + (4, 6, 10, 14, 20, 28))[0]
                    if answered else None,
                    comment="")  # fmt: skip

    promoted = iter(rng.sample(solved_threads, min(len(solved_threads), ARTICLES // 10)))
    for article_id in range(1, ARTICLES + 1):
        created = moment()
        source = next(promoted, None) if article_id % 10 == 0 else None
        out.add(Article, id=article_id, slug=f"article-{article_id}", title=f"Article {article_id}",
                summary="", body="steps", language="en",
                status=rng.choices(("published", "draft", "archived"), (80, 15, 5))[0],
                author_id=agents[0], version=1, created_at=created, updated_at=created,
                view_count=int(rng.paretovariate(1.2) * 20), source_thread_id=source)  # fmt: skip
    for feedback_id in range(1, ARTICLES * 12 + 1):
        out.add(Feedback, id=feedback_id, article_id=rng.randint(1, ARTICLES), user_id=None,
                voter_key=f"v{feedback_id}", helpful=rng.random() < 0.7, comment="",
                created_at=now, updated_at=now)  # fmt: skip

    for search_id in range(1, threads * SEARCHES_PER_THREAD + 1):
        gap = rng.random() < 0.12
        out.add(SearchQuery, id=search_id,
                text=rng.choice(GAP_QUERIES) if gap else rng.choice(QUERIES),
                results_count=0 if gap else rng.randint(1, 40), session_id="s",
                created_at=moment())  # fmt: skip
    for flow in range(int(threads * FLOWS_PER_THREAD)):
        holdout, shown = rng.random() < 0.1, moment()
        steps = [("withheld" if holdout else "shown", shown)]
        if not holdout and rng.random() < 0.6:
            steps.append(("opened", shown + timedelta(minutes=1)))
            if rng.random() < 0.15:
                steps.append(("solved", shown + timedelta(minutes=3)))
        if len(steps) < 3 and rng.random() < 0.35:
            steps.append((rng.choice(("question", "request")), shown + timedelta(minutes=30)))
        for step, when in steps:
            out.add(DeflectionEvent, session_id=f"f{flow}", step=step, holdout=holdout,
                    query_text="", created_at=when)  # fmt: skip
    for _ in range(max(10, threads // 300)):
        out.add(AuditEntry, at=moment(), actor_name="system", action="user.role_changed",
                target_type="user", target_id=rng.choice(community), target_label="",
                reason="", before_text="customer", after_text="superuser")  # fmt: skip
    out.flush()
    return out.counts


@contextmanager
def fresh_database(server_url: str | None, folder: Path):
    """A SQLite file in ``folder``, or a new database on the server, dropped at the end."""
    if not server_url:
        yield f"sqlite:///{folder / 'dashboard.db'}"
        return
    name = f"careportal_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class StatementCounter:
    """Counts the SQL statements sent (the dashboard's query count must stay bounded)."""

    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args) -> None:
        self.count += 1


def timed(call) -> tuple[float, float]:
    """(wall, CPU) seconds of one call; CPU is this process's only (not a database server's)."""
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return time.perf_counter() - wall, time.process_time() - cpu


def time_dashboard(app, days_list, runs: int, now: datetime) -> None:
    from dashboard.metrics import build_dashboard
    from dashboard.results import preset_period
    from portal.extensions import db
    from search.deflection import deflection_rate

    with app.app_context():
        counter = StatementCounter(db.engine)
        window = float(app.config["DEFLECTION_WINDOW_HOURS"])
        for days in days_list:
            period = preset_period(days, now.date())
            boards, whole, deflection = [], [], []

            def build(period=period, boards=boards):
                boards.append(build_dashboard(period, now=now))

            def deflection_only(period=period):
                for each in (period, period.previous()):
                    deflection_rate(db.session, each.start, each.end, window, now=now)

            for _ in range(runs):
                db.session.remove()
                counter.count = 0
                whole.append(timed(build))
                statements = counter.count
                deflection.append(timed(deflection_only))  # its share, timed apart
            wall, cpu = (statistics.median(t[i] for t in whole) for i in (0, 1))
            d_wall, d_cpu = (statistics.median(t[i] for t in deflection) for i in (0, 1))
            kpis = {kpi.key: kpi.value for kpi in boards[-1].kpis}
            print(
                f"{days:>3} days: build_dashboard median {wall:.2f} s wall, {cpu:.2f} s CPU "
                f"(runs: {', '.join(f'{w:.2f}' for w, _ in whole)} s wall); "
                f"{statements} SQL statements"
            )
            print(
                f"          of which search.deflection.deflection_rate (both periods) "
                f"{d_wall:.2f} s wall, {d_cpu:.2f} s CPU; questions {kpis['questions_asked']}, "
                f"cases opened {kpis['cases_opened']}"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--history-days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", help="a PostgreSQL server (a database is created)")
    parser.add_argument("--demo", action="store_true", help="time the demo data instead")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from benchsupport import throwaway_app

    from portal.database import utcnow
    from portal.extensions import db

    now = utcnow()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores")  # fmt: skip
    with (
        tempfile.TemporaryDirectory(prefix="careportal-dashboard-") as tmp,
        fresh_database(args.database_url, Path(tmp)) as url,
    ):
        app = throwaway_app(Path(tmp), SQLALCHEMY_DATABASE_URI=url, SEARCH_SEMANTIC_ENABLED=False)
        started = time.perf_counter()
        with app.app_context():
            if args.demo:
                from portal import demo

                print(demo.seed(db.session))
                db.session.commit()
            else:
                with db.engine.begin() as connection:
                    counts = generate(connection, args.threads, args.cases, args.history_days, now)
                print(", ".join(f"{n} {table}" for table, n in sorted(counts.items())))
                if db.engine.dialect.name == "postgresql":
                    with db.engine.connect().execution_options(
                        isolation_level="AUTOCOMMIT"
                    ) as connection:
                        connection.execute(text("VACUUM ANALYZE"))
                else:
                    with db.engine.begin() as connection:
                        connection.execute(text("ANALYZE"))
        print(f"{make_url(url).get_backend_name()}: data in {time.perf_counter() - started:.0f} s")
        time_dashboard(app, (30, 90), args.runs, now)
        with app.app_context():
            db.engine.dispose()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
