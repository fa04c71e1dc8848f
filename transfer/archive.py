"""The whole site as one JSON Lines archive, and back into an empty portal (docs/export.md).

One record per line, each with a ``type``: a ``header`` first (format, version, the
tables in the order they are written), then one record per row of every exported table
(``type`` is the table's name, the other keys its columns), in the order that lets each
row's references be written before it, then an ``end`` record with the count of each
table, so a cut-off archive is refused rather than half-imported. ``.gz`` at the end of
the file name: gzip-compressed.

Left out: the tables that are this machine's state (queued jobs, the search change feed,
sign-in attempts) and every secret: password hashes and session tokens (imported accounts
sign in once claimed: ``flask transfer claim``), survey links' tokens (new ones are made).
"""

import gzip
import json
import os
import secrets
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO

from sqlalchemy import Date, DateTime, Table, TypeDecorator, func, select, text, update
from sqlalchemy.orm import Session

from community import listing
from portal.database import utcnow
from portal.extensions import db
from portal.i18n import N_
from portal.models import new_session_token
from transfer.accounts import UNCLAIMED_HASH

FORMAT = "careportal-export"
VERSION = 1
# Not the site's content: this install's own machinery (docs/export.md says why each).
EXCLUDED_TABLES = {
    "jobs": "background work queued on this install; the target runs its own",
    "periodic_runs": "which machine ran which periodic job when",
    "search_changes": "derived: the target builds its own search index",
    "community_list_counts": "derived: counted again from the threads on import",
    "search_similar_threads": "derived: the target computes its own from its index",
    "login_attempts": "sign-in attempts of this install, kept for throttling only",
    "mail_inbound": "raw e-mail received by this install, kept a few days for its operators",
    "api_tokens": "credentials: members and integrations make new tokens on the new install",
    "webhook_endpoints": "integrations with their signing secrets: registered again there",
    "webhook_deliveries": "the delivery log of this install's webhooks",
}
# Columns that are secrets: never written; the import makes new values.
SECRET_COLUMNS = {
    "users": {
        "password_hash": lambda: UNCLAIMED_HASH,
        "session_token": new_session_token,
    },
    "case_surveys": {"token": lambda: secrets.token_urlsafe(24)},
}
# Columns derived from others (HTML rendered from a body): never written, since an
# archive's HTML would be shown as it is; imported as NULL, which pages render when shown
# (`flask markdown rerender` stores it again).
DERIVED_COLUMNS = {
    "community_posts": {"body_html": lambda: None, "html_version": lambda: None},
    "kb_articles": {
        "body_html": lambda: None,
        "toc_html": lambda: None,
        "html_version": lambda: None,
    },
}
BATCH = 1000


class ArchiveError(ValueError):
    """An archive that cannot be imported here, and why: a catalog message and its values."""

    def __init__(self, message: str, **params):
        super().__init__(message % params if params else message)
        self.message, self.params = message, params


def left_out(table_name: str) -> dict:
    """{column: make its value on import} for a table's secret and derived columns."""
    return {**SECRET_COLUMNS.get(table_name, {}), **DERIVED_COLUMNS.get(table_name, {})}


def exported_tables() -> list[Table]:
    """Every table of the site, in dependency order, but the excluded ones."""
    return [table for table in db.metadata.sorted_tables if table.name not in EXCLUDED_TABLES]


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def open_archive(path: Path, mode: str, gzipped: bool | None = None) -> IO[str]:
    """The archive as text lines; gzip when its name ends in .gz (or when told)."""
    if path.name.endswith(".gz") if gzipped is None else gzipped:
        return gzip.open(path, mode + "t", encoding="utf-8")
    return open(path, mode, encoding="utf-8")


def count_rows(session: Session) -> dict[str, int]:
    return {
        table.name: session.scalar(select(func.count()).select_from(table))
        for table in exported_tables()
    }


def begin_snapshot(session: Session) -> None:
    """Read the whole export from one consistent state of the database while the site
    keeps writing: REPEATABLE READ on PostgreSQL, one read transaction on SQLite (WAL)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    elif dialect == "sqlite":
        session.connection().exec_driver_sql("BEGIN")


def export_site(
    session: Session, path: Path, advance: Callable[[int], None] = lambda n: None
) -> dict[str, int]:
    """Write the archive (to a temporary file renamed at the end: never half an archive)."""
    tables = exported_tables()
    counts = dict.fromkeys((table.name for table in tables), 0)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.touch(mode=0o600)  # every member's e-mail address: private, like a backup
    with open_archive(partial, "w", gzipped=path.name.endswith(".gz")) as out:
        header = {
            "type": "header", "format": FORMAT, "version": VERSION,
            "exported_at": utcnow().isoformat(), "tables": list(counts),
        }  # fmt: skip
        out.write(json.dumps(header) + "\n")
        for table in tables:
            hidden = left_out(table.name)
            columns = [column for column in table.columns if column.name not in hidden]
            query = select(*columns).order_by(*table.primary_key.columns)
            for row in session.execute(query.execution_options(yield_per=BATCH)).mappings():
                record = {"type": table.name, **{k: _plain(v) for k, v in row.items()}}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                counts[table.name] += 1
                advance(1)
        out.write(json.dumps({"type": "end", "counts": counts}) + "\n")
    partial.replace(path)
    return counts


def count_lines(path: Path) -> int:
    """How many lines the archive has (its progress bar's length)."""
    with open_archive(path, "r") as lines:
        return sum(1 for _ in lines)


def records(path: Path) -> Iterator[dict]:
    with open_archive(path, "r") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                raise ArchiveError(N_("line %(line)s is not JSON"), line=number) from None
            if not isinstance(record, dict) or "type" not in record:
                raise ArchiveError(N_("line %(line)s is a record without a type"), line=number)
            yield record


def non_empty_tables(session: Session) -> list[str]:
    return [name for name, count in count_rows(session).items() if count]


def _decoder(table: Table) -> Callable[[dict], dict]:
    times = set()
    for column in table.columns:
        kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
        if isinstance(kind, DateTime):
            times.add((column.name, datetime))
        elif isinstance(kind, Date):
            times.add((column.name, date))

    def decode(row: dict) -> dict:
        for name, kind in times:
            value = row.get(name)
            if isinstance(value, str):
                row[name] = (
                    datetime.fromisoformat(value) if kind is datetime else date.fromisoformat(value)
                )
        return row

    return decode


class _TableWriter:
    """Rows of one table, inserted a batch at a time; references to the same table are
    set once all its rows are in (a thread may name a later thread as its original)."""

    def __init__(self, session: Session, table: Table):
        self.session, self.table, self.rows, self.count = session, table, [], 0
        self.decode = _decoder(table)
        self.known = {column.name for column in table.columns}
        self.secrets = left_out(table.name)
        self.self_refs = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
        self.later: list[tuple[dict, dict]] = []

    def add(self, record: dict) -> None:
        row = {key: value for key, value in record.items() if key != "type"}
        unknown = set(row) - self.known
        if unknown:
            raise ArchiveError(
                N_("%(table)s has columns this portal does not: %(columns)s"),
                table=self.table.name,
                columns=", ".join(sorted(unknown)),
            )
        row = self.decode(row)
        for name, make in self.secrets.items():
            row[name] = make()
        refs = {name: row[name] for name in self.self_refs if row.get(name) is not None}
        if refs:
            row.update(dict.fromkeys(refs))  # set once every row of the table is in
            keys = {column.name: row[column.name] for column in self.table.primary_key.columns}
            self.later.append((keys, refs))
        self.rows.append(row)
        self.count += 1
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.session.execute(self.table.insert(), self.rows)
            self.rows = []

    def finish(self) -> None:
        self.flush()
        for keys, refs in self.later:
            where = [self.table.c[name] == value for name, value in keys.items()]
            self.session.execute(update(self.table).where(*where).values(**refs))


def import_site(
    session: Session, path: Path, advance: Callable[[int], None] = lambda n: None
) -> dict[str, int]:
    """Insert every record of the archive, in one transaction (the caller commits)."""
    stream = records(path)
    header = next(stream, None)
    if not header or header.get("type") != "header" or header.get("format") != FORMAT:
        raise ArchiveError(N_("this is not a Care Portal export (it has no header line)"))
    if not isinstance(header.get("version"), int) or header["version"] > VERSION:
        raise ArchiveError(
            N_("its format version %(version)s is newer than this portal's"),
            version=header.get("version"),
        )
    tables = {table.name: table for table in exported_tables()}
    unknown = [name for name in header.get("tables", []) if name not in tables]
    if unknown:
        raise ArchiveError(
            N_("it has tables this portal does not: %(tables)s"), tables=", ".join(unknown)
        )
    counts, writer, footer = {}, None, None
    for record in stream:
        kind = record["type"]
        if kind == "end":
            footer = record
            break
        if kind not in tables:
            raise ArchiveError(N_("a record has an unknown type: %(type)s"), type=kind)
        if writer is None or writer.table.name != kind:
            if writer is not None:
                writer.finish()
            if kind in counts:
                raise ArchiveError(N_("the records of %(table)s are not together"), table=kind)
            writer = _TableWriter(session, tables[kind])
            counts[kind] = 0
        writer.add(record)
        counts[kind] += 1
        advance(1)
    if writer is not None:
        writer.finish()
    if footer is None:
        raise ArchiveError(N_("the archive is cut off (it has no end record)"))
    expected = {name: n for name, n in footer.get("counts", {}).items() if n}
    if expected != {name: n for name, n in counts.items() if n}:
        raise ArchiveError(N_("the archive's counts do not match its records"))
    session.flush()
    reset_sequences(session)
    # Derived from the posts: an archive of an older version has no listing columns.
    listing.refresh_everything(session)
    return counts


def reset_sequences(session: Session) -> None:
    """PostgreSQL: ids given by the archive leave each sequence behind; move it past them."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in exported_tables():
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or keys[0].foreign_keys or keys[0].type.python_type is not int:
            continue
        name = keys[0].name
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{name}'), "
                f"COALESCE(MAX({name}), 1), MAX({name}) IS NOT NULL) FROM {table.name}"
            )
        )
