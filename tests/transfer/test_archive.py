"""The whole site out and into an empty portal: the demo, exported, imported into a second
database built by the migrations, gives the same rows and the same pages."""

import gzip
import json
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, make_url, select, text

from community.models import Thread
from kb.models import Article
from moderation.cases.models import Case
from portal import demo
from portal.extensions import db as _db
from portal.models import User
from search import indexing
from tests.portal.test_setup import migrated_app
from transfer import archive
from transfer.accounts import is_placeholder

# What differs between two renderings of one page by design: the form token and nonces.
VOLATILE = [
    (re.compile(r'name="csrf_token"[^>]*value="[^"]*"'), 'name="csrf_token"'),
    (re.compile(r'value="[^"]*"([^>]*name="csrf_token")'), r"\1"),
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
]


def normalised(html: str) -> str:
    for pattern, replacement in VOLATILE:
        html = pattern.sub(replacement, html)
    return html


@pytest.fixture
def empty_portal(database_url, tmp_path):
    """A second, empty portal on a database the migrations build (audit triggers and all)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        target, drop = f"sqlite:///{tmp_path / 'target.db'}", lambda: None
    else:
        name = url.database + "_archive"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        target = url.set(database=name).render_as_string(hide_password=False)

        def drop():
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            admin.dispose()

    app = migrated_app(target, tmp_path / "target-instance")
    app.config.update(WTF_CSRF_ENABLED=False, SEARCH_INDEX_DIR=str(tmp_path / "target-index"))
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()
    drop()


@pytest.fixture
def demo_site(app, tmp_path, monkeypatch):
    """The Brightwave demo in the test database, with a search index of its own."""
    monkeypatch.setitem(app.config, "SEARCH_INDEX_DIR", str(tmp_path / "source-index"))
    with app.app_context():
        demo.seed(_db.session)
        _db.session.commit()
        indexing.rebuild()
    return app


def rows_of(app) -> dict[str, list[tuple]]:
    """Every exported table's rows, secrets left out, in key order."""
    found = {}
    with app.app_context():
        _db.session.remove()
        for table in archive.exported_tables():
            hidden = archive.left_out(table.name)
            columns = [column for column in table.columns if column.name not in hidden]
            query = select(*columns).order_by(*table.primary_key.columns)
            found[table.name] = [tuple(row) for row in _db.session.execute(query)]
        _db.session.remove()
    return found


def pages(app, password: str) -> dict[str, str]:
    """The thread, article, case and profile pages, as a visitor and as an agent."""
    with app.app_context():
        threads = _db.session.scalars(select(Thread.id).order_by(Thread.id).limit(25)).all()
        slugs = _db.session.scalars(select(Article.slug).order_by(Article.id).limit(15)).all()
        cases = _db.session.scalars(select(Case.id).order_by(Case.id)).all()
        names = _db.session.scalars(select(User.username).order_by(User.id).limit(12)).all()
    visitor, agent = app.test_client(), app.test_client()
    signed_in = agent.post("/login", data={"identifier": "sam", "password": password})
    assert signed_in.status_code == 302
    urls = [f"/community/threads/{i}" for i in threads] + [f"/kb/{slug}" for slug in slugs]
    urls += [f"/u/{name}" for name in names]
    rendered = {}
    for url in urls:
        response = visitor.get(url)  # a held or removed question is a 404 for a visitor
        rendered[url] = f"{response.status_code} {normalised(response.get_data(as_text=True))}"
    for url in [f"/desk/cases/{i}" for i in cases] + [
        f"/community/threads/{i}" for i in threads[:5]
    ]:
        response = agent.get(url)
        page = normalised(response.get_data(as_text=True))
        rendered[f"agent {url}"] = f"{response.status_code} {page}"
    assert sum(page.startswith("200 ") for page in rendered.values()) > 60, [
        u for u, p in rendered.items() if not p.startswith("200")
    ]
    return rendered


class FrozenClock(datetime):
    """portal.database.utcnow() at one instant: pages that show a time computed from now
    (an SLA paused while the customer answers) show the same one on both sites."""

    instant = None

    @classmethod
    def now(cls, tz=None):
        return cls.instant.astimezone(tz) if tz else cls.instant


def test_export_then_import_into_an_empty_portal_gives_the_same_site(
    demo_site, empty_portal, tmp_path, monkeypatch
):
    path = tmp_path / "site.jsonl.gz"
    exported = demo_site.test_cli_runner().invoke(args=["transfer", "export", str(path)])
    assert exported.exit_code == 0, exported.output

    imported = empty_portal.test_cli_runner().invoke(args=["transfer", "import-archive", str(path)])

    assert imported.exit_code == 0, imported.output
    source, target = rows_of(demo_site), rows_of(empty_portal)
    assert {name: len(rows) for name, rows in target.items()} == {
        name: len(rows) for name, rows in source.items()
    }
    assert sum(len(rows) for rows in source.values()) > 3000  # the demo, all of it
    for name in source:
        assert target[name] == source[name], name
    # Members sign in once claimed; the agent claims the account and sees the same desk.
    with empty_portal.app_context():
        sam = _db.session.scalar(select(User).where(User.username == "sam"))
        assert is_placeholder(sam)
        email = sam.email
    claimed = empty_portal.test_cli_runner().invoke(
        args=["transfer", "claim", "sam", email, "--password", demo.DEMO_PASSWORD]
    )
    assert claimed.exit_code == 0, claimed.output
    FrozenClock.instant = datetime.now(UTC)
    with monkeypatch.context() as frozen:
        frozen.setattr("portal.database.datetime", FrozenClock)
        before = pages(demo_site, demo.DEMO_PASSWORD)
        after = pages(empty_portal, demo.DEMO_PASSWORD)
    assert list(after) == list(before)
    for url, html in before.items():
        assert after[url] == html, url
    # New rows after the import get new ids (PostgreSQL's sequences moved past the archive's).
    with empty_portal.app_context():
        thread_ids = _db.session.scalars(select(Thread.id)).all()
        from tests.factories import make_thread

        made = make_thread(_db.session, title="A question asked after the move")
        _db.session.commit()
        assert made.id > max(thread_ids)


def test_no_line_holds_a_secret_and_the_format_is_as_documented(demo_site, tmp_path):
    path = tmp_path / "site.jsonl"
    assert demo_site.test_cli_runner().invoke(args=["transfer", "export", str(path)]).exit_code == 0
    with demo_site.app_context():
        hashes = _db.session.scalars(select(User.password_hash)).all()
        tokens = _db.session.scalars(select(User.session_token)).all()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert path.stat().st_mode & 0o777 == 0o600  # every member's address: private

    records = [json.loads(line) for line in lines]
    assert records[0]["type"] == "header" and records[0]["version"] == archive.VERSION
    assert records[-1]["type"] == "end"
    assert {r["type"] for r in records[1:-1]} <= set(records[0]["tables"])
    for line in lines:
        assert "password_hash" not in line and "session_token" not in line
        assert "scrypt:" not in line and "pbkdf2:" not in line
        assert not any(secret in line for secret in hashes + tokens)
    assert not [r for r in records if r["type"] == "case_surveys" and "token" in r]


def test_a_portal_with_content_or_a_cut_archive_is_refused(demo_site, empty_portal, tmp_path):
    path = tmp_path / "site.jsonl.gz"
    demo_site.test_cli_runner().invoke(args=["transfer", "export", str(path)])

    into_full = demo_site.test_cli_runner().invoke(args=["transfer", "import-archive", str(path)])

    assert into_full.exit_code != 0 and "not empty" in into_full.output
    lines = gzip.decompress(path.read_bytes()).decode().splitlines()
    cut = tmp_path / "cut.jsonl"
    cut.write_text("\n".join(lines[: len(lines) // 2]) + "\n")
    refused = empty_portal.test_cli_runner().invoke(args=["transfer", "import-archive", str(cut)])
    assert refused.exit_code != 0 and "cut off" in refused.output
    with empty_portal.app_context():
        assert archive.non_empty_tables(_db.session) == []


def test_every_table_is_exported_or_left_out_and_each_is_documented():
    """A new table is a decision: docs/export.md lists it, exported or left out (why)."""
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "export.md").read_text(encoding="utf-8")
    exported = {table.name for table in archive.exported_tables()}
    every = {table.name for table in _db.metadata.sorted_tables}
    assert exported | set(archive.EXCLUDED_TABLES) == every
    assert [name for name in sorted(every) if f"`{name}`" not in text] == []


def test_the_export_reads_one_state_while_the_site_keeps_writing(demo_site, tmp_path):
    """A tag added by another connection while the export is under way (after its first
    record) is not in the archive: every table is read from the state the export began in."""
    path, written = tmp_path / "site.jsonl", []

    def write_meanwhile(amount: int) -> None:
        if not written:
            with _db.engine.begin() as other:
                other.execute(text("INSERT INTO tags (slug, name, description) "
                                   "VALUES ('late-tag', 'Late', '')"))  # fmt: skip
            written.append(True)

    with demo_site.app_context():
        archive.begin_snapshot(_db.session)
        counts = archive.export_site(_db.session, path, write_meanwhile)
        _db.session.rollback()
        assert _db.session.scalar(text("SELECT count(*) FROM tags WHERE slug = 'late-tag'")) == 1

    assert written and "late-tag" not in path.read_text(encoding="utf-8")
    assert counts["tags"] == 12
