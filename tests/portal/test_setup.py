"""The app factory, its settings and the Alembic revisions."""

import os

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text

from portal import create_app
from portal.extensions import db as _db


def test_secret_key_is_generated_once_into_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    config = {"SQLALCHEMY_DATABASE_URI": "sqlite://"}
    monkeypatch.setattr(
        "flask.Flask.auto_find_instance_path", lambda self: str(tmp_path / "instance")
    )
    first = create_app(config)
    second = create_app(config)
    key_file = tmp_path / "instance" / "secret_key"
    assert first.secret_key == second.secret_key == key_file.read_text()
    assert len(first.secret_key) == 64 and oct(key_file.stat().st_mode)[-3:] == "600"


def test_environment_overrides_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_LOGIN_MAX_FAILURES", "3")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example.com/care")
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["LOGIN_MAX_FAILURES"] == 3
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example.com/care"


def fresh_database_url(database_url: str, tmp_path) -> tuple[str, callable]:
    """An empty database of the same kind as the test database, and how to drop it."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return f"sqlite:///{tmp_path / 'migrated.db'}", lambda: None
    name = url.database + "_migrations"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def migrated_app(url: str, instance_path):
    """An app on a database the migrations build (with the audit log's triggers, which the
    tests' create_all lacks) and the test suite's fast settings."""
    app = create_app(
        {
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": url,
            "JOBS_INLINE": True,
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
            "SEARCH_SEMANTIC_ENABLED": False,
        }
    )
    app.instance_path = str(instance_path)
    with app.app_context():
        upgrade()
    return app


def test_migrations_build_exactly_the_models(database_url, tmp_path):
    url, drop = fresh_database_url(database_url, tmp_path)
    try:
        app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            with _db.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True})
                differences = compare_metadata(context, _db.metadata)
            _db.engine.dispose()
        assert differences == [], "models and migrations differ: add a revision"
    finally:
        drop()
    assert not os.path.exists("instance/migrated.db")


def test_sqlite_migrations_keep_the_rows_of_tables_they_rebuild(tmp_path):
    """Batch mode rebuilds a SQLite table (copy, drop, rename): with foreign keys on, the
    drop deleted every row referencing it through ON DELETE CASCADE, or failed. An article
    and its revision written at 0003 are both there at the head."""
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.db"})
    with app.app_context():
        upgrade(revision="0003")
        with _db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO users (id, username, email, password_hash, display_name, bio, "
                    "role, created_at, suspension_reason) "
                    "VALUES (1, 'a', 'a@example.com', 'x', '', '', 'agent', '2025-01-01', '')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO kb_articles (id, slug, title, summary, body, status, language, "
                    "version, author_id, created_at, updated_at, view_count) VALUES (1, 's', "
                    "'t', '', 'b', 'published', 'en', 1, 1, '2025-01-01', '2025-01-01', 0)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO kb_revisions (article_id, number, title, summary, body, note, "
                    "author_id, created_at, state, tag_slugs, base_number, review_note) "
                    "VALUES (1, 1, 't', '', 'b', 'n', 1, '2025-01-01', 'saved', '', 0, '')"
                )
            )
        upgrade()
        with _db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM kb_revisions")).scalar() == 1
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1  # back on
        _db.engine.dispose()
