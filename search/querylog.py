"""The search page's log (``SearchQuery``) written in batches, not an INSERT per search.

A search used to cost an INSERT, a commit (an fsync on SQLite) and a re-read of the row for
its id, which the results' links carried. Now each search waits in this process's memory
and is written with the others in one multi-row INSERT (portal/batches.py: when
SEARCH_LOG_BATCH searches wait or the oldest has waited SEARCH_LOG_FLUSH_SECONDS, and when
the process exits). What may be lost: the last seconds of searches of a worker killed
outright — counts for the content gaps, never content.

A search is named by its browser's flow id and its time to the microsecond (its
``created_at``, set here): the results' links carry the time (``?log=``), so a click finds
its search without an id. A click that comes before its search was written (it waits in
another worker's memory) is recorded by a job a little later (``CLICK_JOB``); within a
browser the first result opened is still the one recorded, as before.
"""

import logging
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from portal import batches, jobs
from portal.database import utcnow
from portal.jobs import job
from portal.models import User
from search.analytics import normalize_query
from search.models import SearchQuery

log = logging.getLogger(__name__)
SEARCH_LOG = "search.log"  # portal.batches: searches waiting to be written
CLICK_JOB = "search.record_click"
# A click on a search this recent whose row is not written yet waits for it (a job); an
# older link that finds no search names none.
CLICK_WAIT = timedelta(minutes=2)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def init_app(app: Flask) -> None:
    batches.register(
        app,
        SEARCH_LOG,
        _write_searches,
        size_setting="SEARCH_LOG_BATCH",
        seconds_setting="SEARCH_LOG_FLUSH_SECONDS",
    )


def _write_searches(session: Session, rows: list[dict]) -> None:
    _untie_deleted_accounts(session, rows)
    session.execute(insert(SearchQuery), rows)


def _untie_deleted_accounts(session: Session, rows: list[dict]) -> None:
    # An account deleted (or its row removed) while its searches waited here: they are kept
    # without it, as search.privacy does for the ones already written.
    user_ids = {row["user_id"] for row in rows if row["user_id"] is not None}
    if not user_ids:
        return
    active = set(
        session.scalars(select(User.id).where(User.id.in_(user_ids), User.deleted_at.is_(None)))
    )
    for row in rows:
        if row["user_id"] not in active:
            row["user_id"] = None


def log_search(text: str, results_count: int, session_id: str, user_id: int | None) -> str:
    """Keep one search for the next batch; returns what its results' links carry (``?log=``)."""
    searched_at = utcnow()
    row = {
        "text": normalize_query(text),
        "results_count": results_count,
        "session_id": session_id,
        "user_id": user_id,
        "created_at": searched_at,
    }
    batches.add(SEARCH_LOG, row)
    return token(searched_at)


def flush() -> int:
    """Write this process's waiting searches now (a reader of the log, the tests)."""
    return batches.flush(SEARCH_LOG)


def token(searched_at: datetime) -> str:
    """A search's time as its links carry it: microseconds since 1970."""
    return str((searched_at - _EPOCH) // timedelta(microseconds=1))


def searched_at(value: str | None) -> datetime | None:
    """The time a link's ``?log=`` names, or None when it names none."""
    if not value or not value.isascii() or not value.isdigit() or len(value) > 17:
        return None
    return _EPOCH + timedelta(microseconds=int(value))


def record_click(session: Session, at: datetime, session_id: str, doc_key: str) -> None:
    """The first result opened from this browser's search made at ``at`` (the caller commits);
    a search not written yet gets its click from a job once it is.

    Call it before the transaction writes anything: it writes this process's waiting
    searches first, on a connection of its own, which SQLite would make wait for the lock.
    """
    flush()  # this process's own searches first: the usual case needs no job
    found = session.execute(
        select(SearchQuery.id, SearchQuery.clicked_key).where(
            SearchQuery.session_id == session_id, SearchQuery.created_at == at
        )
    ).first()
    if found is None:
        if timedelta(0) <= utcnow() - at < CLICK_WAIT:
            delay = 2 * float(current_app.config["SEARCH_LOG_FLUSH_SECONDS"])
            jobs.enqueue(
                session, CLICK_JOB, delay_seconds=delay, session_id=session_id,
                at=at.isoformat(), doc_key=doc_key, clicked_at=utcnow().isoformat(),
            )  # fmt: skip
        return
    if found.clicked_key is None:
        _set_click(session, found.id, doc_key, utcnow())


@job(CLICK_JOB)
def record_late_click(
    session: Session, *, session_id: str, at: str, doc_key: str, clicked_at: str
) -> None:
    """A click that came before its search was written (idempotent: the first one stays)."""
    query_id = session.scalar(
        select(SearchQuery.id).where(
            SearchQuery.session_id == session_id,
            SearchQuery.created_at == datetime.fromisoformat(at),
        )
    )
    if query_id is not None:
        _set_click(session, query_id, doc_key, datetime.fromisoformat(clicked_at))


def _set_click(session: Session, query_id: int, doc_key: str, clicked_at: datetime) -> None:
    session.execute(
        update(SearchQuery)
        .where(SearchQuery.id == query_id, SearchQuery.clicked_key.is_(None))
        .values(clicked_key=doc_key, clicked_at=clicked_at)
    )
