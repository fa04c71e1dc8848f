"""Page speed at 100k threads, side by side with FlaskBB (issue #22).

    # once (cached in --data; the index build runs for a long while: nohup it; with
    # --random-vectors it takes minutes, see rebuild_with_random_vectors)
    PYTHONPATH=. .venv/bin/python bench/pages.py prepare --threads 100000
    # FlaskBB seeded alike, in its own venv (see bench/flaskbb_seed.py)
    # then, any time (runs `flask db upgrade` on the cached database first)
    PYTHONPATH=. .venv/bin/python bench/pages.py run --duration 10 --rounds 3

Results and commands: docs/benchmarks.md, "Pages at 100k threads vs FlaskBB".

``prepare`` makes a portal in a scratch folder outside the project (--data, default
/work/bench-data/portal-100k): a database built by the migrations (`flask db upgrade`),
members, tags, N community threads (a question and 1-5 replies each, three in ten
solved) and 1k published articles, then the search index with the default model
(`flask search reindex`). Threads are bulk-inserted as the project's own rows with every
column the community service keeps right (reply counts, last activity, the asker and the
repliers following, reputation for accepted solutions and the promotions it earns);
articles go through kb.service, as an agent would write them. The index is rebuilt from
the database afterwards, so the change feed need not hold the bulk rows.

``run`` serves the portal with gunicorn as `make run` does (2 sync workers, the machine's
encoder service beside them) on port 8001 and FlaskBB on 8002, and drives each page with
wrk (bench/pages.lua: every request a different thread, tag, article or query) in
alternating rounds: portal anonymous, portal signed in, FlaskBB, for each page. It prints
req/s, p50/p95 (wrk -c16, and p95 for one client -t1 -c1), SQL statements per request
(counted in this process with the Flask test client on the same database) and the ratio
to FlaskBB (median of the per-round ratios), with the load average before and after.
"""

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import timedelta
from http.cookiejar import CookieJar
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages_text  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = Path("/work/bench-data/portal-100k")
DEFAULT_PEERS = Path("/work/bench-data/peers")
PORTAL_PORT, FLASKBB_PORT = 8001, 8002
MEMBERS, AGENTS = 300, 12
PASSWORD = "brightwave-demo"  # the demo password; the reader below signs in with it
READER = "reader"  # a customer who asks but never answers: stays a customer
PREPARED_FILE = "prepared.json"
CHUNK = 5000


def portal_env(data: Path) -> dict[str, str]:
    """The portal's settings for the scratch folder (PORTAL_* variables, as in production)."""
    return os.environ | {
        "FLASK_APP": "wsgi",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "PYTHONPATH": str(PROJECT),
        "PORTAL_SQLALCHEMY_DATABASE_URI": f"sqlite:///{data / 'portal.db'}",
        "PORTAL_SECRET_KEY": "bench-pages",
        "PORTAL_SEARCH_INDEX_DIR": str(data / "search"),
        "PORTAL_SEARCH_ENCODER_DIR": str(data / "encoders"),
        "PORTAL_SEARCH_ENCODER_SOCKET": str(data / "encoder.sock"),
        "PORTAL_PROACTIVE_DIR": str(data / "proactive"),
        "PORTAL_ATTACHMENTS_DIR": str(data / "attachments"),
    }


def flask(data: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    """A `flask` command of the portal on the scratch database."""
    command = [str(Path(sys.executable).with_name("flask")), *args]
    return subprocess.run(command, env=portal_env(data), cwd=PROJECT, check=True, **kwargs)


def bench_app(data: Path):
    """The portal app of the scratch folder, in this process."""
    os.environ.update(portal_env(data))
    from portal import create_app

    return create_app()


# ---------------------------------------------------------------------------- prepare
def write_members(session) -> tuple[list[int], list[int], int]:
    """Members (customers), agents and the reader; returns (member ids, agent ids, reader id)."""
    from sqlalchemy import insert, select

    from portal.database import utcnow
    from portal.models import User, new_session_token
    from portal.permissions import Role

    hashed = User(username="x", email="x@x")
    hashed.set_password(PASSWORD)  # one hash for all: scrypt takes a while per call
    now = utcnow()

    def row(name: str, role: Role) -> dict:
        return {
            "username": name, "email": f"{name}@example.com", "password_hash": hashed.password_hash,
            "role": role.value, "email_verified_at": now, "session_token": new_session_token(),
            "display_name": name.replace("-", " ").title(), "created_at": now - timedelta(days=800),
        }  # fmt: skip

    rows = [row(READER, Role.CUSTOMER)]
    rows += [row(f"member-{n:03d}", Role.CUSTOMER) for n in range(1, MEMBERS + 1)]
    rows += [row(f"agent-{n:02d}", Role.AGENT) for n in range(1, AGENTS + 1)]
    session.execute(insert(User), rows)
    ids = dict(session.execute(select(User.username, User.id)).all())
    members = [ids[f"member-{n:03d}"] for n in range(1, MEMBERS + 1)]
    agents = [ids[f"agent-{n:02d}"] for n in range(1, AGENTS + 1)]
    return members, agents, ids[READER]


def write_threads(session, count: int, members, agents, reader) -> None:
    """``count`` threads as community rows, in chunks (bulk inserts: the ORM takes too long)."""
    from flask import current_app
    from sqlalchemy import insert, select

    from community.models import (
        AcceptedSolution,
        Post,
        ReputationEvent,
        Thread,
        ThreadFollow,
        thread_tags,
    )
    from portal.database import utcnow
    from portal.models import Tag

    rng = random.Random(5)
    tags = [Tag(slug=slug, name=slug.replace("-", " ").title()) for slug in pages_text.TOPICS]
    session.add_all(tags)
    session.flush()
    tag_ids = {tag.slug: tag.id for tag in tags}
    points = current_app.config["REPUTATION_ACCEPTED_SOLUTION"]
    end = utcnow() - timedelta(days=3)  # the last replies stay in the past
    step = timedelta(days=700) / count
    post_id = session.scalar(select(Post.id).order_by(Post.id.desc()).limit(1)) or 0
    rows = {name: [] for name in ("threads", "posts", "tags", "solutions", "reputation", "follows")}

    def flush_rows() -> None:
        for name, model in (
            ("threads", Thread), ("posts", Post), ("tags", thread_tags),
            ("solutions", AcceptedSolution), ("reputation", ReputationEvent),
            ("follows", ThreadFollow),
        ):  # fmt: skip
            if rows[name]:
                session.execute(insert(model), rows[name])
                rows[name].clear()

    for number, title, slugs, question, replies in pages_text.threads(count):
        thread_id, created = number + 1, end - timedelta(days=700) + number * step
        asker = reader if number % 50 == 0 else rng.choice(members)
        rows["posts"].append(
            {"id": post_id + 1, "thread_id": thread_id, "author_id": asker, "is_question": True,
             "body": question, "created_at": created}
        )  # fmt: skip
        post_id += 1
        moment, reply_posts = created, []
        for body in replies:
            moment += timedelta(minutes=rng.randint(5, 600))
            author = rng.choice(agents) if rng.random() < 0.3 else rng.choice(members)
            post_id += 1
            reply_posts.append((post_id, author))
            rows["posts"].append(
                {"id": post_id, "thread_id": thread_id, "author_id": author,
                 "is_question": False, "body": body, "created_at": moment}
            )  # fmt: skip
        last_activity = moment
        if rng.random() < 0.3:  # solved: the asker accepts one of the replies
            solution, author = rng.choice(reply_posts)
            accepted_at = moment + timedelta(minutes=rng.randint(10, 300))
            last_activity = accepted_at  # accepting counts as activity (community/solutions.py)
            rows["solutions"].append(
                {"thread_id": thread_id, "post_id": solution, "accepted_by_id": asker,
                 "accepted_at": accepted_at}
            )  # fmt: skip
            if author != asker:  # no points for answering yourself (reputation.record_solution)
                rows["reputation"].append(
                    {"user_id": author, "points": points, "reason": "solution_accepted",
                     "post_id": solution, "created_at": accepted_at}
                )  # fmt: skip
        rows["threads"].append(
            {"id": thread_id, "title": title, "author_id": asker, "created_at": created,
             "last_activity_at": last_activity, "reply_count": len(replies)}
        )  # fmt: skip
        rows["tags"].extend({"thread_id": thread_id, "tag_id": tag_ids[s]} for s in slugs)
        followers = dict.fromkeys([asker, *(author for _, author in reply_posts)])
        rows["follows"].extend({"user_id": u, "thread_id": thread_id} for u in followers)
        if len(rows["threads"]) == CHUNK:
            flush_rows()
            print(f"  {thread_id} threads", flush=True)
    flush_rows()


def promote_members(session) -> int:
    """Customers whose reputation reached the threshold are super-users, as
    reputation.promote_if_earned makes them; returns how many."""
    from flask import current_app
    from sqlalchemy import func, select, update

    from community.models import ReputationEvent
    from portal.models import User
    from portal.permissions import Role

    earned = (
        select(ReputationEvent.user_id)
        .group_by(ReputationEvent.user_id)
        .having(
            func.sum(ReputationEvent.points) >= current_app.config["SUPERUSER_REPUTATION_THRESHOLD"]
        )
    )
    promoted = session.execute(
        update(User)
        .where(User.role == Role.CUSTOMER.value, User.id.in_(earned))
        .values(role=Role.SUPERUSER.value)
    )
    return promoted.rowcount


def write_articles(session, count: int, agents) -> None:
    """Published articles, written through kb.service as an agent writes them."""
    from kb import service as kb_service
    from portal.models import User

    agent = session.get(User, agents[0])
    for number in range(count):
        title, body, slugs = pages_text.article(number)
        kb_service.create_article(
            session, agent, title=title, summary="", body=body, tag_slugs=slugs,
            language="en", publish=True,
        )  # fmt: skip
        if number % 200 == 199:
            session.commit()
    session.commit()


def prepare(data: Path, threads: int, articles: int, index: bool, random_vectors: bool) -> None:
    prepared_file = data / PREPARED_FILE
    if prepared_file.exists():
        prepared = json.loads(prepared_file.read_text())
        if prepared["threads"] != threads:
            sys.exit(f"{data} holds {prepared['threads']} threads, not {threads}")
    else:
        data.mkdir(parents=True, exist_ok=True)
        flask(data, "db", "upgrade")
        app = bench_app(data)
        started = time.perf_counter()
        with app.test_request_context():
            from community import listing
            from portal.extensions import db

            members, agents, reader = write_members(db.session)
            write_threads(db.session, threads, members, agents, reader)
            # Rows written in bulk: the lists' columns and tab counts, as the import does.
            listing.refresh_everything(db.session)
            promoted = promote_members(db.session)
            db.session.commit()
            write_articles(db.session, articles, agents)
        prepared = {
            "threads": threads, "articles": articles, "members": MEMBERS + AGENTS + 1,
            "promoted": promoted, "rows_s": round(time.perf_counter() - started, 1),
        }  # fmt: skip
        prepared_file.write_text(json.dumps(prepared))
        print(f"rows written in {prepared['rows_s']} s ({promoted} members promoted)", flush=True)
    wanted = "random" if random_vectors else "model"
    if index and prepared.get("vectors") != wanted:
        flask(data, "search", "export-encoder")
        started = time.perf_counter()
        if random_vectors:
            rebuild_with_random_vectors(data)
        else:
            flask(data, "search", "reindex")
        prepared |= {"index_s": round(time.perf_counter() - started, 1), "vectors": wanted}
        prepared_file.write_text(json.dumps(prepared))
        print(f"search index ({wanted} vectors) built in {prepared['index_s']} s", flush=True)


def rebuild_with_random_vectors(data: Path) -> None:
    """The portal's own rebuild, documents given random unit vectors instead of the model's
    (as bench/latency.py does): 100k documents take minutes, not hours on a shared 2-core
    machine. Pages cost the same: queries are still encoded by the model, and the exact
    cosine scan reads every vector whatever its values; only the rankings mean nothing."""
    import numpy as np

    from search import encoding, indexing, vectors

    app = bench_app(data)
    rng = np.random.default_rng(1)

    def random_unit_vectors(texts, batch_size=32):
        matrix = rng.standard_normal((len(texts), vectors.embedding_dim())).astype(np.float32)
        return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)

    with app.app_context():
        assert encoding.semantic_problem(writing=True) is None  # the model, to know its id
        vectors.encode_documents = random_unit_vectors
        indexing.rebuild(threads=1)


# -------------------------------------------------------------------------------- run
# page: (portal path maker, FlaskBB path maker or None); each gets a random target.
PAGES = ["thread", "list", "tag", "article", "home", "search", "suggest"]
LIST_PAGES = 10  # the list and FlaskBB's forum are driven on their first ten pages
QUERIES = 40_000  # distinct queries: no request repeats one within a run


def portal_targets(data: Path, seed: int = 1) -> dict[str, list[str]]:
    """For each page, thousands of request paths (shuffled) from the scratch database."""
    import sqlite3

    rng = random.Random(seed)
    with sqlite3.connect(data / "portal.db") as con:
        thread_ids = [row[0] for row in con.execute("SELECT id FROM community_threads")]
        slugs = [
            row[0] for row in con.execute("SELECT slug FROM kb_articles WHERE status = 'published'")
        ]
        tags = [row[0] for row in con.execute("SELECT slug FROM tags")]
    quote = urllib.parse.quote_plus
    queries = pages_text.queries(QUERIES)
    rng.shuffle(queries)
    half = len(queries) // 2  # search and suggestions get different queries
    sample, many = rng.sample(thread_ids, min(20_000, len(thread_ids))), range(5000)
    return {
        "thread": [f"/community/threads/{i}" for i in sample],
        "list": [f"/community/?page={rng.randint(1, LIST_PAGES)}" for _ in many],
        "tag": [f"/community/tags/{rng.choice(tags)}?page={rng.randint(1, 3)}" for _ in many],
        "article": [f"/kb/{rng.choice(slugs)}" for _ in many],
        "home": ["/"],
        "search": [f"/search?q={quote(q)}" for q in queries[:half]],
        "suggest": [f"/search/suggest?q={quote(q)}" for q in queries[half:]],
    }  # fmt: skip


def flaskbb_targets(portal: dict[str, list[str]], csrf_token: str) -> dict[str, list[str]]:
    """The same targets on FlaskBB: topic = thread id + 1 (topic 1 is its welcome topic)."""
    quote = urllib.parse.quote_plus

    def search_body(path: str) -> str:
        query = urllib.parse.unquote_plus(path.split("q=", 1)[1])[:50]  # its form's limit
        return (f"csrf_token={quote(csrf_token)}&search_query={quote(query)}"
                "&search_types=post&search_types=topic&submit=Search")  # fmt: skip

    return {
        "thread": [f"/topic/{int(p.rsplit('/', 1)[1]) + 1}" for p in portal["thread"]],
        "list": [f"/forum/1?page={p.rsplit('=', 1)[1]}" for p in portal["list"]],
        "home": ["/"],
        "search": [search_body(p) for p in portal["search"]],
    }


class Server:
    """A process we started (gunicorn, the encoder service), stopped by its own pid."""

    def __init__(self, command: list[str], url: str | None, **popen):
        self.process = subprocess.Popen(command, **popen)
        deadline = time.monotonic() + 180
        while url:
            try:
                urllib.request.urlopen(url, timeout=5).read()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{command[0]} did not start") from None
                time.sleep(0.5)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_encoder(data: Path) -> Server:
    """The machine's encoder service, as the jobs worker runs it (web workers ask it)."""
    from search.encoder import encoder_folder
    from search.encoder_service import EncoderClient, ServiceUnavailable

    app = bench_app(data)
    folder = encoder_folder(data / "encoders", app.config["EMBEDDING_MODEL"] or None)
    socket = portal_env(data)["PORTAL_SEARCH_ENCODER_SOCKET"]
    command = [
        sys.executable,
        "-m",
        "search.encoder_service",
        "--socket",
        socket,
        "--folder",
        str(folder),
    ]
    server = Server(command, None, env=portal_env(data), cwd=PROJECT)
    deadline = time.monotonic() + 120
    while True:
        try:
            EncoderClient(socket).check()
            return server
        except ServiceUnavailable:
            if time.monotonic() > deadline or server.process.poll() is not None:
                raise
            time.sleep(0.3)


def form_token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def http_sign_in(base: str) -> str:
    """Sign the reader in on the running portal; the Cookie header of that session."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    token = form_token(opener.open(f"{base}/login").read().decode())
    form = {"csrf_token": token, "identifier": READER, "password": PASSWORD}
    opener.open(f"{base}/login", urllib.parse.urlencode(form).encode()).read()
    cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
    assert READER in opener.open(f"{base}/").read().decode(), "signing in failed"
    return cookies


def flaskbb_search_session(base: str) -> tuple[str, str]:
    """FlaskBB's search is a POST form: its CSRF token and the session cookie it belongs to."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    token = form_token(opener.open(f"{base}/search").read().decode())
    return token, "; ".join(f"{c.name}={c.value}" for c in jar)


def count_statements(data: Path, targets: dict[str, list[str]], samples: int = 10) -> dict:
    """SQL statements per request of each page, anonymous and signed in: the Flask test
    client on the same database, a before_cursor_execute listener counting (no product change).
    Returns {page: {"anonymous": (min, max), "signed in": (min, max)}}."""
    from sqlalchemy import event

    from portal.extensions import db

    app = bench_app(data)
    counted = {}
    with app.app_context():
        engine = db.engine
        statements = [0]

        def count(*args, **kwargs):
            statements[0] += 1

        event.listen(engine, "before_cursor_execute", count)
        try:
            anonymous, member = app.test_client(), app.test_client()
            token = form_token(member.get("/login").get_data(as_text=True))
            member.post(
                "/login", data={"csrf_token": token, "identifier": READER, "password": PASSWORD}
            )
            for page in PAGES:
                counted[page] = {}
                for who, client in (("anonymous", anonymous), ("signed in", member)):
                    seen = []
                    for path in targets[page][-samples:]:  # wrk starts from the other end
                        statements[0] = 0
                        status = client.get(path).status_code
                        assert status == 200, (path, status)
                        seen.append(statements[0])
                    counted[page][who] = (min(seen), max(seen))
        finally:
            event.remove(engine, "before_cursor_execute", count)
    return counted


def wrk(base: str, targets: list[str], offset: int, seconds: float, connections=16,
        threads=2, **env) -> dict:  # fmt: skip
    """One wrk run over these targets from ``offset``; the RESULT line as numbers."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(targets) + "\n")
    try:
        command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s",
                   "-s", str(Path(__file__).with_name("pages.lua")), base]  # fmt: skip
        variables = {"PAGES_TARGETS": handle.name, "PAGES_OFFSET": str(offset),
                     "PAGES_STRIDE": str(threads), **env}  # fmt: skip
        output = subprocess.run(command, env=os.environ | variables, capture_output=True,
                                text=True, check=True).stdout  # fmt: skip
    finally:
        os.unlink(handle.name)
    # wrk leaves requests queued in the server's backlog when it stops; the next run starts
    # once they are answered (a health check waits behind them), so runs do not overlap.
    urllib.request.urlopen(base.rsplit("/search", 1)[0] + "/", timeout=120).read()
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    return {k: float(v) for k, v in (item.split("=") for item in line.split()[1:])}


def run(args) -> None:
    data, peers = args.data, args.peers
    portal_base, flaskbb_base = (
        f"http://127.0.0.1:{PORTAL_PORT}",
        f"http://127.0.0.1:{FLASKBB_PORT}",
    )
    prepared = json.loads((data / PREPARED_FILE).read_text())
    flask(data, "db", "upgrade")  # the other branches' migrations, on the cached data
    targets = portal_targets(data)
    servers = []
    try:
        servers.append(start_encoder(data))
        statements = count_statements(data, targets)
        gunicorn = [str(Path(sys.executable).with_name("gunicorn")), "--bind",
                    f"127.0.0.1:{PORTAL_PORT}", "--workers", "2", "wsgi:app"]  # fmt: skip
        servers.append(
            Server(gunicorn, f"{portal_base}/healthz", env=portal_env(data), cwd=PROJECT)
        )
        cookie = http_sign_in(portal_base)
        flaskbb = None
        if not args.no_flaskbb:
            site = args.flaskbb_site or peers / "flaskbb-site"
            command = [str(peers / "flaskbb-venv/bin/gunicorn"), "-w", "2", "-k", "sync", "-b",
                       f"127.0.0.1:{FLASKBB_PORT}", "--chdir", str(site), "--error-logfile",
                       str(site / "gunicorn.err"), "wsgi:app"]  # fmt: skip
            # Not our PYTHONPATH: FlaskBB's portal plugin would import the project's `portal`.
            clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
            servers.append(Server(command, f"{flaskbb_base}/", cwd=site, env=clean))
            token, flaskbb_cookie = flaskbb_search_session(flaskbb_base)
            flaskbb = {
                page: paths
                for page, paths in flaskbb_targets(targets, token).items()
                if page in args.flaskbb_pages
            }
        pages = [p for p in PAGES if p in args.pages]
        offsets = dict.fromkeys(PAGES, 0) | {f"flaskbb {p}": 0 for p in PAGES}
        rounds = []

        def drive(label, key, base, page_targets, seconds, **options):
            """One wrk run, on targets no earlier run of this page used; None: a warm-up."""
            page = key.split(" (")[0]
            outcome = wrk(base, page_targets, offsets[page], seconds, **options)
            offsets[page] += int(outcome["requests"]) + 64
            bad = outcome["non200"] + outcome["errors"]
            print(f"{label:<8} {key:<32} {outcome['rps']:7.1f} req/s  p50 {outcome['p50']:6.1f}"
                  f"  p95 {outcome['p95']:6.1f} ms" + (f"  {bad:.0f} bad" if bad else ""),
                  flush=True)  # fmt: skip
            return outcome

        def flaskbb_drive(label, page, seconds):
            options = {}
            if page == "search":  # a POST form with its CSRF token and session
                options = {"PAGES_METHOD": "POST", "PAGES_COOKIE": flaskbb_cookie,
                           "PAGES_REFERER": f"{flaskbb_base}/search"}  # fmt: skip
            url = f"{flaskbb_base}/search" if page == "search" else flaskbb_base
            return drive(label, f"flaskbb {page}", url, flaskbb[page], seconds, **options)

        # Workers compile templates and fill caches on their first requests: not measured.
        for page in pages:
            drive("warm-up", page, portal_base, targets[page], args.warmup, connections=4)
            if flaskbb and page in flaskbb:
                flaskbb_drive("warm-up", page, args.warmup)
        load_before = os.getloadavg()
        for number in range(1, args.rounds + 1):
            result, label = {}, f"round {number}"
            for page in pages:  # the portal's round
                result[page] = drive(label, page, portal_base, targets[page], args.duration)
                key = f"{page} (signed in)"
                result[key] = drive(label, key, portal_base, targets[page], args.duration,
                                    PAGES_COOKIE=cookie)  # fmt: skip
                key = f"{page} (one client)"
                result[key] = drive(label, key, portal_base, targets[page], args.single_duration,
                                    connections=1, threads=1)  # fmt: skip
            for page in pages if flaskbb else []:  # FlaskBB's round
                if page in flaskbb:
                    result[f"flaskbb {page}"] = flaskbb_drive(label, page, args.duration)
            rounds.append(result)
        load_after = os.getloadavg()
    finally:
        for server in reversed(servers):
            server.stop()
    report(prepared, pages, rounds, statements, load_before, load_after, args)


def report(prepared, pages, rounds, statements, load_before, load_after, args) -> None:
    def median(key, field):
        values = [r[key][field] for r in rounds if key in r]
        return statistics.median(values) if values else None

    def ratio(page):
        values = [
            r[page]["rps"] / r[f"flaskbb {page}"]["rps"] for r in rounds if f"flaskbb {page}" in r
        ]
        return statistics.median(values) if values else None

    def show(value, form="{:.0f}"):
        return "—" if value is None else form.format(value)

    def counted(page):
        anonymous, member = statements[page]["anonymous"], statements[page]["signed in"]
        span = lambda low, high: f"{low}" if low == high else f"{low}–{high}"  # noqa: E731
        return f"{span(*anonymous)} / {span(*member)}"

    print()
    print(f"{prepared['threads']:,} threads, {prepared['articles']:,} articles, "
          f"{prepared.get('vectors', 'no')} document vectors; {args.rounds} rounds of "
          f"{args.duration:g} s a page a side (one client: {args.single_duration:g} s); "
          "medians of the rounds")  # fmt: skip
    print(f"load average before: {' / '.join(f'{x:.2f}' for x in load_before)}; "
          f"after: {' / '.join(f'{x:.2f}' for x in load_after)} "
          f"(1 / 5 / 15 min, {os.cpu_count()} cores)")  # fmt: skip
    print()
    print(
        "| page | anonymous req/s | signed-in req/s | p50 ms | p95 ms (-c16) | p95 ms (one client) "
        "| statements (anon / signed in) | FlaskBB req/s | ratio (median of rounds) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for page in pages:
        ratio_value = ratio(page)
        print(
            f"| {page} | {show(median(page, 'rps'))} "
            f"| {show(median(f'{page} (signed in)', 'rps'))} "
            f"| {show(median(page, 'p50'), '{:.1f}')} | {show(median(page, 'p95'), '{:.1f}')} "
            f"| {show(median(f'{page} (one client)', 'p95'), '{:.1f}')} | {counted(page)} "
            f"| {show(median(f'flaskbb {page}', 'rps'))} | {show(ratio_value, '×{:.2f}')} |"
        )
    (args.data / "last-run.json").write_text(json.dumps(
        {"rounds": rounds, "statements": statements, "load_before": load_before,
         "load_after": load_after, "prepared": prepared}, indent=1))  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="the portal's scratch folder"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    making = commands.add_parser("prepare", help="write the rows and build the index (cached)")
    making.add_argument("--threads", type=int, default=100_000)
    making.add_argument("--articles", type=int, default=1000)
    making.add_argument("--no-index", action="store_true", help="rows only")
    making.add_argument(
        "--random-vectors",
        action="store_true",
        help="random document vectors (minutes, not hours: see rebuild_with_random_vectors)",
    )
    driving = commands.add_parser("run", help="serve and drive the pages (both forums)")
    driving.add_argument("--duration", type=float, default=10, help="seconds a page a side a round")
    driving.add_argument(
        "--single-duration", type=float, default=5, help="seconds of the one-client run"
    )
    driving.add_argument("--rounds", type=int, default=3)
    driving.add_argument(
        "--warmup", type=float, default=3, help="seconds of unmeasured warm-up a page"
    )
    driving.add_argument("--pages", nargs="+", choices=PAGES, default=PAGES)
    driving.add_argument("--no-flaskbb", action="store_true")
    driving.add_argument(
        "--peers", type=Path, default=DEFAULT_PEERS, help="FlaskBB's scratch folder"
    )
    driving.add_argument(
        "--flaskbb-site", type=Path, help="the recipe's site folder (default: PEERS/flaskbb-site)"
    )
    driving.add_argument(
        "--flaskbb-pages",
        nargs="+",
        choices=["thread", "list", "home", "search"],
        default=["thread", "list", "home", "search"],
        help="FlaskBB's pages (leave search out while its Whoosh index is being built)",
    )
    args = parser.parse_args()
    if args.command == "run":
        run(args)
    elif args.command == "prepare":
        prepare(args.data, args.threads, args.articles, not args.no_index, args.random_vectors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
