"""`flask backup` / `flask restore`: a round trip on SQLite (online, while a write is under
way) and on PostgreSQL (pg_dump / pg_restore), each on a database built by the migrations,
audit log triggers included."""

import shutil
import sqlite3

import pytest
from sqlalchemy import make_url, select, text
from sqlalchemy.exc import DBAPIError

from portal import create_app, privacy
from portal import service as portal_service
from portal.extensions import db as _db
from portal.models import User
from portal.permissions import Role
from search import indexing
from tests.factories import PASSWORD, make_thread, make_user
from tests.portal.test_setup import fresh_database_url, migrated_app


def portal_with_data(url: str, tmp_path):
    """A migrated portal with a moderator, a member, a thread and an audit entry."""
    app = migrated_app(url, tmp_path / "instance")
    with app.app_context():
        moderator = make_user(_db.session, "moe", role=Role.MODERATOR)
        jordan = make_user(_db.session, "jordan", bio="Likes routers")
        make_thread(_db.session, jordan, title="My router blinks orange at night")
        portal_service.suspend_user(_db.session, moderator, jordan, reason="Rude", days=1)
        _db.session.commit()
    return app


def usernames() -> list[str]:
    _db.session.remove()
    return list(_db.session.scalars(select(User.username).order_by(User.id)))


def lose_data_then_restore(app, backup_file) -> None:
    """What a backup is for: an account deleted and a new one made, then the backup restored."""
    with app.app_context():
        jordan = _db.session.scalar(select(User).where(User.username == "jordan"))
        jordan_id = jordan.id
        privacy.delete_account(_db.session, jordan, jordan, password=PASSWORD)
        make_user(_db.session, "sam")
        _db.session.commit()
        assert usernames() == ["moe", f"deleted:{jordan_id}", "sam"]

    restored = app.test_cli_runner().invoke(args=["restore", str(backup_file), "--yes"])

    assert restored.exit_code == 0, restored.output
    with app.app_context():
        assert usernames() == ["moe", "jordan"]
        jordan = _db.session.scalar(select(User).where(User.username == "jordan"))
        assert (jordan.bio, jordan.email, jordan.deleted_at) == (
            "Likes routers",
            "jordan@example.com",
            None,
        )
        assert jordan.check_password(PASSWORD)
        # The restored audit log is still append-only.
        with pytest.raises(DBAPIError, match="append-only"), _db.engine.begin() as connection:
            connection.execute(text("UPDATE moderation_audit_log SET reason = 'rewritten'"))
        _db.engine.dispose()


def test_sqlite_backup_while_a_write_is_under_way_then_restore(tmp_path):
    live, backup_file = tmp_path / "live.db", tmp_path / "backups" / "careportal.db"
    backup_file.parent.mkdir()
    app = portal_with_data(f"sqlite:///{live}", tmp_path)
    with app.app_context():
        indexing.rebuild()  # this machine's search index, built from the data
    writer = sqlite3.connect(live)  # another process of the running site, mid-transaction
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE users SET bio = 'half-done'")

    made = app.test_cli_runner().invoke(args=["backup", str(backup_file)])

    writer.commit()
    writer.close()
    assert made.exit_code == 0, made.output
    assert oct(backup_file.stat().st_mode)[-3:] == "600" and list(backup_file.parent.iterdir()) == [
        backup_file
    ]
    with sqlite3.connect(backup_file) as copy:
        assert copy.execute("SELECT DISTINCT bio FROM users").fetchall() != [("half-done",)]
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"

    lose_data_then_restore(app, backup_file)

    with app.app_context():
        assert indexing.is_damaged(indexing.current_generation())  # the keeper rebuilds it


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    app = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"}
    )
    app.instance_path = str(tmp_path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)

    result = app.test_cli_runner().invoke(args=["restore", str(junk), "--yes"])

    assert result.exit_code == 1 and "not a SQLite backup" in result.output


def test_postgresql_backup_and_restore_with_pg_dump(database_url, tmp_path):
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("runs with TEST_DATABASE_URL=postgresql+psycopg://…")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump and pg_restore are not installed")
    url, drop = fresh_database_url(database_url, tmp_path)
    backup_file = tmp_path / "careportal.dump"
    try:
        app = portal_with_data(url, tmp_path)
        made = app.test_cli_runner().invoke(args=["backup", str(backup_file)])
        assert made.exit_code == 0, made.output
        assert oct(backup_file.stat().st_mode)[-3:] == "600"

        lose_data_then_restore(app, backup_file)
    finally:
        drop()
