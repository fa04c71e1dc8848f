"""The app's search index: opened lazily per process, rebuilt when missing, kept in step by events.

Event handlers run after the other package's commit with plain ids; they open their own
database session (the request's one has just committed and must not be reused).
"""

import logging
import os
import threading
from collections.abc import Callable, Iterable

from flask import current_app
from sqlalchemy.orm import Session

from portal.extensions import db
from search import documents
from search.engine import SearchIndex

log = logging.getLogger(__name__)
_indexes: dict[tuple, SearchIndex] = {}
_indexes_lock = threading.Lock()
_warned: set[str] = set()


def index_directory() -> str:
    """SEARCH_INDEX_DIR, or instance/search."""
    return current_app.config.get("SEARCH_INDEX_DIR") or os.path.join(
        current_app.instance_path, "search"
    )


def get_index() -> SearchIndex:
    """This process' index for the current app's settings (nothing is loaded yet)."""
    config = current_app.config
    settings = (
        index_directory(),
        config.get("EMBEDDING_MODEL") or None,
        bool(config["SEARCH_SEMANTIC_ENABLED"]),
    )
    with _indexes_lock:
        if settings not in _indexes:
            _indexes[settings] = SearchIndex(*settings)
        return _indexes[settings]


def ready_index() -> SearchIndex:
    """The index, rebuilt from the database first if it was missing or corrupt."""
    index = get_index()
    error = index.semantic_error()
    if error and index.semantic_enabled and error not in _warned:
        _warned.add(error)
        log.warning("search runs keyword-only: %s", error)
    index.fulltext  # noqa: B018 - opening it notices a vanished or corrupt directory
    if index.needs_rebuild:
        log.info("search index at %s is new, missing or unusable: rebuilding", index.directory)
        reindex_all()
    return index


def reindex_all(
    progress: Callable[[str, int], None] | None = None, threads: int | None = None
) -> int:
    """Rebuild both indexes from the database; returns how many documents were indexed.

    ``threads``: torch threads for embedding (None: the process' setting, one in a worker).
    """
    with Session(db.engine) as session:
        return get_index().rebuild(documents.all_documents(session), progress, threads)


def reindex_keys(keys: Iterable[str]) -> None:
    """Bring these documents up to date: index the public ones, remove the others."""
    keys = list(keys)
    with Session(db.engine) as session:
        found = documents.load_documents(session, keys)
    index = get_index()
    if index.needs_rebuild:
        return  # the next search rebuilds everything from the database anyway
    index.upsert(list(found.values()))
    gone = [key for key in keys if key not in found]
    if gone:
        index.remove(gone)


# Subscribed in init_app; module-level so that a second app in the process is no second delivery.
def on_article_changed(sender, article_id: int, **data) -> None:
    reindex_keys([documents.doc_key("article", article_id)])


def on_thread_changed(sender, thread_id: int, **data) -> None:
    reindex_keys([documents.doc_key("thread", thread_id)])


SUBSCRIPTIONS = {
    "kb.article_published": on_article_changed,
    "kb.article_updated": on_article_changed,
    "kb.article_archived": on_article_changed,
    "community.thread_changed": on_thread_changed,
}
