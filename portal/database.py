"""Database helpers shared by every package: UTC timestamps, SQLite pragmas, and the
tools that keep concurrent requests correct on SQLite and PostgreSQL alike."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no time zone, so values come back naive; PostgreSQL returns aware
    values. Normalising here means the rest of the code compares aware datetimes only.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use portal.database.utcnow()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """Enforce foreign keys and let readers and one writer work side by side on SQLite."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def insert_unless_present(session: Session, model, **values) -> int | None:
    """INSERT ... ON CONFLICT DO NOTHING: the new row's id, or None when a unique constraint
    says the row exists, perhaps inserted a moment ago by another request (PostgreSQL waits
    for that one to commit or roll back). RETURNING says which: through SQLAlchemy the
    rowcount of ON CONFLICT DO NOTHING is not reliable on PostgreSQL."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(model).values(**values).on_conflict_do_nothing()
    return session.execute(insert.returning(model.id)).scalar()


def lock_row(session: Session, model, row_id: int) -> None:
    """Hold this row until the transaction ends, so that transactions checking what hangs on
    it run one after the other (PostgreSQL: SELECT ... FOR NO KEY UPDATE, which inserts of
    rows referring to it do not wait for). SQLite renders no lock: there a transaction takes
    the one writer lock at its first write, so check after writing, not before."""
    session.execute(
        select(model.id).where(model.id == row_id).with_for_update(key_share=True)
    ).first()
