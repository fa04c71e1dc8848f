"""The app's search index: generations on disk, read by web processes, kept by the worker.

SEARCH_INDEX_DIR (default instance/search) holds:

- ``gen-<time>-<hex>/``: one complete index (full text, postings, vectors) and its place
  in the change feed (``feed.json``);
- ``CURRENT``: the name of the generation searches read, replaced atomically once a new
  generation is complete, so a search sees the old index or the new one, never half of one;
- ``keeper.lock`` (the one process per machine keeping the index) and ``rebuild.lock``.

Web processes never build or repair anything: with no usable generation they answer from
the database (``search.fallback``) and say so; one that finds its generation damaged
marks it (``DAMAGED`` in the generation) for the keeper. The keeper is a worker service of
`flask jobs worker`: every second it reads the change feed into the current generation,
and it builds a new generation — then switches CURRENT to it — when there is none, it is
marked damaged, or it fell further behind the feed than the feed is kept. `flask search
reindex` builds a generation the same way. With JOBS_INLINE (the tests) the keeper's work
happens in the committing process: a missing index is built on first use and the feed is
read after each commit that wrote to it.
"""

import contextlib
import fcntl
import gc
import logging
import os
import secrets
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.database import utcnow
from portal.extensions import db
from search import documents, encoding, feed, similar, vectors
from search.engine import SearchIndex
from search.store import StoreDamaged

log = logging.getLogger(__name__)
CURRENT_FILE = "CURRENT"
DAMAGED_FILE = "DAMAGED"
KEEPER_INTERVAL_S = 1.0
# An index built from the database reads the feed on from this long before it started:
# changes whose transactions were still open then are read again (it costs a reindex).
REBUILD_OVERLAP = timedelta(seconds=60)
_opened: dict[tuple, SearchIndex] = {}
_opened_lock = threading.Lock()
_warned: set[str] = set()


class SearchUnavailable(RuntimeError):
    """No usable index right now (none built yet, or damaged): answer from the database."""


# ------------------------------------------------------------------ generations
def index_root() -> Path:
    """SEARCH_INDEX_DIR, or instance/search."""
    configured = current_app.config.get("SEARCH_INDEX_DIR")
    return Path(configured or os.path.join(current_app.instance_path, "search"))


def current_generation(root: Path | None = None) -> Path | None:
    """The generation CURRENT names, if it is there."""
    root = root or index_root()
    try:
        name = (root / CURRENT_FILE).read_text().strip()
    except OSError:
        return None
    generation = root / name
    return generation if name and generation.is_dir() else None


def _switch_current(root: Path, generation: Path) -> None:
    temporary = root / f".{CURRENT_FILE}.{os.getpid()}"
    temporary.write_text(generation.name)
    os.replace(temporary, root / CURRENT_FILE)


def _settings() -> tuple[bool, vectors.EncoderSettings]:
    return encoding.semantic_enabled(), encoding.encoder_settings()


def open_generation(generation: Path) -> SearchIndex:
    """This process' index on a generation (opened once; raises StoreDamaged)."""
    key = (str(generation), *_settings())
    with _opened_lock:
        if key not in _opened:
            index = SearchIndex(generation, *_settings(), create=False)
            index.fulltext  # noqa: B018 - opening checks the files; raises when unusable
            _warn_keyword_only(index)
            # Older generations of this process go: their memory maps with them.
            for old in [old for old in _opened if old[0] != key[0] and old[1:] == key[1:]]:
                del _opened[old]
            _opened[key] = index
        return _opened[key]


def _warn_keyword_only(index: SearchIndex) -> None:
    """Say once per process why searches run without meaning, when the model failed."""
    problem = index.semantic_error()
    if problem and index.semantic_enabled and problem not in _warned:
        _warned.add(problem)
        log.warning("search runs keyword-only: %s", problem)


def report_damage(generation: Path, reason: str) -> None:
    """Mark a generation as unusable for the keeper; this process stops reading it."""
    log.warning("search index %s is unusable (%s): the keeper rebuilds it", generation, reason)
    with _opened_lock:
        for key in [key for key in _opened if key[0] == str(generation)]:
            del _opened[key]
    # A generation gone altogether cannot be marked: the keeper notices that too.
    with contextlib.suppress(OSError):
        (generation / DAMAGED_FILE).write_text(reason[:2000])


def is_damaged(generation: Path) -> bool:
    return (generation / DAMAGED_FILE).exists()


def searchable_index() -> SearchIndex:
    """The index searches read, or SearchUnavailable (then answer from the database)."""
    generation = current_generation()
    if generation is None or is_damaged(generation):
        if _inline():
            rebuild()
            return searchable_index()
        raise SearchUnavailable("the search index is being built")
    try:
        index = open_generation(generation)
    except StoreDamaged as error:
        report_damage(generation, str(error))
        raise SearchUnavailable(str(error)) from error
    if index.needs_rebuild:
        report_damage(generation, "found damaged while searching")
        raise SearchUnavailable("the search index is damaged")
    return index


def warm_up(app: Flask) -> None:
    """Reach the encoder (the service, or the model) and open the index before a web
    worker's first request."""
    with app.app_context():
        if encoding.semantic_problem() is None:
            vectors.encode_query("warm up")
        with contextlib.suppress(SearchUnavailable):
            searchable_index()
    # What is loaded by now lives as long as the worker: keep it out of the collector's full
    # passes, which otherwise walk it every few requests (gc.freeze, for long-lived state).
    gc.freeze()


# --------------------------------------------------------------------- building
@contextmanager
def file_lock(path: Path, wait: bool) -> Iterator[bool]:
    """An exclusive lock on a file, shared by every process of the machine; yields held."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def rebuild(
    progress: Callable[[str, int], None] | None = None,
    threads: int | None = None,
    wait: bool = True,
) -> int | None:
    """Build a new generation from the database and make it current; documents indexed.

    One rebuild at a time per machine: with ``wait=False`` another one running means None.
    """
    root = index_root()
    with file_lock(root / "rebuild.lock", wait) as held:
        if not held:
            return None
        started = utcnow()
        generation = root / f"gen-{started:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"
        index = SearchIndex(generation, *_settings())
        with Session(db.engine) as session:
            position = feed.position_before(session, started - REBUILD_OVERLAP)
            count = index.rebuild(documents.all_documents(session), progress, threads)
        feed.FeedState(position, caught_up_at=started.timestamp()).save(generation)
        # What changed while it was built; no similar-questions jobs for a generation that
        # is not current yet (they would read the old one).
        catch_up(index, generation, announce=False)
        previous = current_generation(root)
        _switch_current(root, generation)
        log.info("search index rebuilt: %s documents in %s", count, generation.name)
        _remove_generations(root, keep={generation.name, previous.name if previous else ""})
        return count


def _remove_generations(root: Path, keep: set[str]) -> None:
    """Generations older than the current one and the one it replaced (readers may still
    have that one open; deleting it is safe on POSIX, its files live until closed)."""
    for path in root.glob("gen-*"):
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


# ----------------------------------------------------------------- following the feed
def reindex_keys(index: SearchIndex, keys: Iterable[str]) -> None:
    """Bring these documents up to date: index the public ones, remove the others."""
    keys = list(keys)
    with Session(db.engine) as session:
        found = documents.load_documents(session, keys)
    index.upsert(list(found.values()))
    gone = [key for key in keys if key not in found]
    if gone:
        index.remove(gone)


def catch_up(index: SearchIndex, generation: Path, announce: bool = True) -> int:
    """Read the feed into a generation until nothing is left; documents reindexed.
    announce: enqueue the similar-questions job for the threads it reindexed."""
    state = feed.FeedState.load(generation) or feed.FeedState()
    total = 0
    while True:
        with Session(db.engine) as session:
            keys, after = feed.read_new(session, state, utcnow())
        if keys:
            reindex_keys(index, keys)
            total += len(keys)
        if keys and announce:
            with Session(db.engine) as session:
                similar.enqueue_for(session, keys)  # now that the index has their vectors
                session.commit()
        if keys or after.gaps != state.gaps or after.position != state.position:
            after.save(generation)
        elif after.caught_up_at - state.caught_up_at > 60:
            after.save(generation)  # an idle index still says it is following
        state = after
        if len(keys) < feed.READ_BATCH:
            return total


def keeper_pass() -> str:
    """One round of the keeper: rebuild when needed, else read the feed. What it did."""
    generation = current_generation()
    if generation is None:
        return f"built ({rebuild(wait=False)} documents)"
    if is_damaged(generation):
        return f"rebuilt a damaged index ({rebuild(wait=False)} documents)"
    state = feed.FeedState.load(generation)
    if state is None or feed.too_far_behind(state, utcnow()):
        return f"rebuilt an index behind the feed ({rebuild(wait=False)} documents)"
    try:
        index = open_generation(generation)
        index.check_vectors()  # made by this model's export?
        if index.needs_rebuild:
            raise StoreDamaged("damaged")
        read = catch_up(index, generation)
    except StoreDamaged as error:
        report_damage(generation, str(error))
        return "found the index damaged"
    return f"read {read} changes" if read else "idle"


def keep_index(app: Flask, stop: threading.Event) -> None:
    """Worker service: one process per machine keeps the index; the others stand by."""
    with app.app_context():
        root = index_root()
        encoding.export_encoder_if_needed()
        encoding.semantic_problem(writing=True)  # loads the model now, not at the first change
        while not stop.is_set():
            with file_lock(root / "keeper.lock", wait=False) as keeper:
                while keeper and not stop.is_set():
                    try:
                        done = keeper_pass()
                        if done != "idle":
                            log.info("search keeper: %s", done)
                    except Exception:
                        log.exception("search keeper: pass failed; trying again")
                        stop.wait(10)
                    stop.wait(KEEPER_INTERVAL_S)
            stop.wait(10)  # another process keeps the index: ask again later


# ---------------------------------------------------------------------- inline mode
def _inline() -> bool:
    return has_app_context() and bool(current_app.config.get("JOBS_INLINE"))


@event.listens_for(Session, "after_commit")
def _catch_up_inline(session: Session) -> None:
    """JOBS_INLINE: read the feed right after a commit that wrote to it."""
    if session.in_nested_transaction() or not feed.wrote_changes(session) or not _inline():
        return
    generation = current_generation()
    if generation is not None and not is_damaged(generation):
        try:
            catch_up(open_generation(generation), generation)
        except StoreDamaged as error:
            report_damage(generation, str(error))


# ------------------------------------------------------------------ after a restore
def on_database_restored(sender, **data) -> None:
    """`flask restore` put older data back: this machine's index may hold documents (and a
    feed position) the database no longer has, so the keeper rebuilds it."""
    generation = current_generation()
    if generation is not None:
        report_damage(generation, "the database was restored from a backup")
