"""Imported content is searchable when the import command ends.

The imports write search's change feed in their own transactions, as every edit does
(``community.thread_changed``, ``kb.article_*``): nothing here writes to the index.
At the end the command makes sure the feed was read: with no index yet it builds one
(``indexing.rebuild``); when no keeper runs on this machine it takes the keeper's lock
and reads the feed itself (``indexing.catch_up``), as the keeper would; when a keeper
runs it waits until the keeper's position passes the last change the import wrote.
"""

import time
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.extensions import db
from search import encoding, feed, indexing
from search.models import SearchChange

WAIT_STEP_S = 0.5


def last_change(session: Session) -> int:
    return session.scalar(select(func.max(SearchChange.id))) or 0


def make_searchable(timeout_s: float = 600.0, waiting: Callable[[], None] | None = None) -> str:
    """Bring this machine's index up to the feed; what was done: built, read, waited, late."""
    encoding.export_encoder_if_needed()
    encoding.semantic_problem(writing=True)  # this process may embed the documents
    generation = indexing.current_generation()
    if generation is None or indexing.is_damaged(generation):
        indexing.rebuild()
        return "built"
    with indexing.file_lock(indexing.index_root() / "keeper.lock", wait=False) as keeper:
        if keeper:
            indexing.catch_up(indexing.open_generation(generation), generation)
            return "read"
    with Session(db.engine) as session:
        target = last_change(session)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        state = feed.FeedState.load(indexing.current_generation() or generation)
        if (
            state is not None
            and state.position >= target
            and not any(gap <= target for gap in state.gaps)
        ):
            return "waited"
        if waiting is not None:
            waiting()
        time.sleep(WAIT_STEP_S)
    return "late"


def rebuild_after_import() -> None:
    """After an archive was loaded (rows written without the feed): build the index anew."""
    encoding.export_encoder_if_needed()
    encoding.semantic_problem(writing=True)
    indexing.rebuild()
