"""`flask backup FILE` and `flask restore FILE`: the database, copied while the site runs.

SQLite: sqlite3's online backup API copies the live database into FILE in one read
transaction, so the copy is one consistent state of the data even while web requests and
workers write (in WAL mode they are not even held up). The copy is checked and renamed
into place only when complete: a failed backup never replaces a good one. Restoring copies
FILE back over the live database the same way, after checking it.

PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot) and ``pg_restore --clean
--single-transaction`` (all or nothing), run with the database URL's settings; the
password goes through PGPASSWORD, never the command line.

Backups hold every account's e-mail address and password hash: they are written readable
by their owner only. The search index and the job queue's file are derived or transient
and are not part of a backup (README, "Backup and restore"); after a restore this machine's
index is marked for a rebuild through the ``database.restored`` event.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy.engine import URL

from portal import events
from portal.extensions import db
from portal.i18n import in_terminal_language

BUSY_TIMEOUT_SECONDS = 30


class BackupFailed(click.ClickException):
    pass


def backup(url: URL, path: Path) -> None:
    """Write a backup of the database at ``url`` to ``path`` (replaced only when complete)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_copy(sqlite_file(url), temporary, check_source=False)
        else:
            _run_pg("pg_dump", url, ["--format=custom", f"--file={temporary}"])
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def restore(url: URL, path: Path) -> None:
    """Replace the data of the database at ``url`` with the backup at ``path``."""
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(path, sqlite_file(url), check_source=True)
    else:
        options = ["--clean", "--if-exists", "--no-owner", "--single-transaction"]
        _run_pg("pg_restore", url, [*options, "--exit-on-error", str(path)])


def sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupFailed(_("This database lives in memory: there is nothing to back up."))
    return Path(url.database)


def _sqlite_copy(source_path: Path, target_path: Path, *, check_source: bool) -> None:
    """Copy one SQLite database into another with the online backup API, then check it."""
    if check_source:
        _check_sqlite(source_path)
    source = sqlite3.connect(source_path, timeout=BUSY_TIMEOUT_SECONDS)
    target = sqlite3.connect(target_path, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        source.backup(target)  # all pages in one step: one consistent read transaction
        if not check_source:  # a backup file: one self-contained file, no -wal beside it
            target.execute("PRAGMA journal_mode=DELETE")
        result = target.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        source.close()
        target.close()
    if result != "ok":
        raise BackupFailed(_("The copy failed its check: %(result)s", result=result))


def _check_sqlite(path: Path) -> None:
    """A readable SQLite database of this portal (it has the accounts table)."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            result = connection.execute("PRAGMA quick_check").fetchone()[0]
            has_users = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'users'"
            ).fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupFailed(
            _("%(path)s is not a SQLite backup: %(error)s", path=path, error=error)
        ) from error
    if result != "ok" or not has_users:
        raise BackupFailed(
            _(
                "%(path)s is damaged or not a Care Portal backup (%(result)s).",
                path=path,
                result=result,
            )
        )


def _run_pg(program: str, url: URL, arguments: list[str]) -> None:
    """Run pg_dump or pg_restore against the database at url."""
    executable = shutil.which(program)
    if executable is None:
        raise BackupFailed(
            _(
                "%(program)s is not installed (Debian: apt install postgresql-client).",
                program=program,
            )
        )
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    libpq_url = url.set(drivername="postgresql", password=None)
    command = [executable, *arguments, f"--dbname={libpq_url.render_as_string()}"]
    finished = subprocess.run(command, env=environment, capture_output=True, text=True)
    if finished.returncode != 0:
        raise BackupFailed(
            _("%(program)s failed: %(error)s", program=program, error=finished.stderr.strip())
        )


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
@in_terminal_language
def backup_command(path: Path) -> None:
    """Back the database up into PATH while the site runs (SQLite or PostgreSQL)."""
    backup(db.engine.url, path)
    size = format_decimal(path.stat().st_size)
    click.echo(_("Backed up to %(path)s (%(size)s bytes).", path=path, size=size))


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the data without asking.")
@with_appcontext
@in_terminal_language
def restore_command(path: Path, yes: bool) -> None:
    """Replace every row of the database with the backup in PATH."""
    if not yes:
        click.confirm(
            _("Replace all data in %(database)r with %(path)s?", database=db.engine.url, path=path),
            abort=True,
        )
    db.session.remove()
    db.engine.dispose()  # no pooled connection keeps reading the old data or holds a lock
    restore(db.engine.url, path)
    events.publish("database.restored", path=str(path))
    click.echo(
        _(
            "Restored from %(path)s. Next: flask db upgrade, then start the workers again.",
            path=path,
        )
    )
