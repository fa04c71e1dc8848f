"""Counters that readers bump (an article's views) without an UPDATE per request.

``bump(name, key)`` adds one in this process's memory; at the end of a request, once
COUNTER_FLUSH_SECONDS have passed since the last write (or COUNTER_FLUSH_SIZE bumps are
waiting), the counts are written in one transaction by the flush function the owning
package registered (``register(app, "kb.article_views", add_views)``), one UPDATE per key.
Not through the job queue: a job is a row INSERTed per request, the very cost this avoids.

What is guaranteed: a count is written at most once (taken out of memory before it is
written; a failed write puts it back for the next try), and a worker that exits normally
(gunicorn's restart, a deploy) writes what it holds (atexit). A worker killed hard loses
what it bumped since its last write: at most COUNTER_FLUSH_SECONDS of that worker's views.
Those counts are statistics for writers ("read 1,204 times"), so that loss is accepted;
nothing anyone did is kept this way. 0 seconds writes at the end of every request (tests).
"""

import atexit
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy.orm import Session

from portal.extensions import db

log = logging.getLogger(__name__)
COUNTERS = "portal.counters"  # app.extensions: the app's Buffer


class Buffer:
    """The counts of one app in one process, and who writes each kind."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.writers: dict[str, Callable[[Session, dict], None]] = {}
        self.pending: dict[str, Counter] = {}
        self.size = 0
        self.flushed_at = time.monotonic()
        self.lock = threading.Lock()

    def bump(self, name: str, key) -> None:
        with self.lock:
            self.pending.setdefault(name, Counter())[key] += 1
            self.size += 1

    def due(self) -> bool:
        config = self.app.config
        waited = time.monotonic() - self.flushed_at
        return self.size > 0 and (
            waited >= float(config["COUNTER_FLUSH_SECONDS"])
            or self.size >= int(config["COUNTER_FLUSH_SIZE"])
        )

    def flush(self) -> None:
        """Write every waiting count in one transaction of its own."""
        with self.lock:
            taken, self.pending, self.size = self.pending, {}, 0
            self.flushed_at = time.monotonic()
        if not taken:
            return
        with self.app.app_context(), Session(db.engine) as session:
            try:
                for name, counts in taken.items():
                    self.writers[name](session, dict(counts))
                session.commit()
            except Exception:
                log.exception("counters not written; kept for the next try")
                with self.lock:
                    for name, counts in taken.items():
                        self.pending.setdefault(name, Counter()).update(counts)
                        self.size += sum(counts.values())


def register(app: Flask, name: str, write: Callable[[Session, dict], None]) -> None:
    """``write(session, {key: count})`` adds the counts (the flush commits)."""
    app.extensions[COUNTERS].writers[name] = write


def bump(name: str, key) -> None:
    """One more of ``name`` for ``key``, written later (see the module's docstring)."""
    current_app.extensions[COUNTERS].bump(name, key)


def init_app(app: Flask) -> None:
    buffer = app.extensions[COUNTERS] = Buffer(app)

    @app.teardown_request
    def flush_when_due(_error=None) -> None:
        if buffer.due():
            buffer.flush()

    atexit.register(buffer.flush)
