"""What reading causes (an article's views, the search log), written in batches.

A visitor's read used to cost its own INSERT or UPDATE and a commit (an fsync on SQLite):
on the busiest pages that write was most of the request. Now the item waits in this
process's memory and is written with the others by the function its package registered,
in one transaction of its own, once ``size_setting`` items wait or the oldest has waited
``seconds_setting`` (a timer, so an idle worker writes too), and when the process exits.
0 seconds writes each item at once (the tests).

Not through the job queue: a job is a row INSERTed per request, the very cost this avoids.
What is guaranteed: an item is written at most once (taken out of memory before it is
written); a failed write is tried once more with the next batch, then dropped with an error
in the log, so one bad item cannot block its kind for good (nor memory grow while the
database is away); a worker that exits normally (gunicorn's restart, a deploy) writes what
it holds. A worker killed hard loses what waited:
at most those seconds of that worker's reads. Only statistics are kept this way (views,
searches for the content gaps); nothing a person wrote or asked for ever is.
"""

import atexit
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app
from sqlalchemy.orm import Session

from portal.extensions import db

log = logging.getLogger(__name__)
BATCHES = "portal.batches"  # app.extensions: the app's Batches


@dataclass
class _Kind:
    write: Callable[[Session, list], None]  # adds the items; the flush commits
    size_setting: str
    seconds_setting: str
    items: list = field(default_factory=list)
    failed_once: list = field(default_factory=list)  # written again with the next batch
    timer: threading.Timer | None = None


class Batches:
    """The items of one app waiting in this process, by kind."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.kinds: dict[str, _Kind] = {}
        self.lock = threading.Lock()  # held to add or take items, never while writing
        self.writing = threading.Lock()  # a flush waits for one in progress to be written

    def add(self, name: str, item) -> None:
        kind, config = self.kinds[name], self.app.config
        seconds = float(config[kind.seconds_setting])
        with self.lock:
            kind.items.append(item)
            full = seconds <= 0 or len(kind.items) >= int(config[kind.size_setting])
            if not full and kind.timer is None:
                kind.timer = threading.Timer(seconds, self.flush, args=(name,))
                kind.timer.daemon = True
                kind.timer.start()
        if full:
            self.flush(name)

    def flush(self, name: str | None = None) -> int:
        """Write what waits (of one kind, or all), each kind in one transaction; how many."""
        written = 0
        for kind_name in [name] if name else list(self.kinds):
            kind = self.kinds[kind_name]
            with self.writing:
                with self.lock:
                    retried, fresh = kind.failed_once, kind.items
                    kind.failed_once, kind.items = [], []
                    if kind.timer is not None:
                        kind.timer.cancel()
                        kind.timer = None
                if not retried and not fresh:
                    continue
                try:
                    with self.app.app_context(), Session(db.engine) as session:
                        kind.write(session, retried + fresh)
                        session.commit()
                except Exception:  # a statistic must never take a page down
                    log.exception(
                        "%s: %d dropped after a second failed write, %d kept for one more try",
                        kind_name, len(retried), len(fresh),
                    )  # fmt: skip
                    with self.lock:
                        kind.failed_once = fresh
                    continue
                written += len(retried) + len(fresh)
        return written


def register(
    app: Flask,
    name: str,
    write: Callable[[Session, list], None],
    *,
    size_setting: str,
    seconds_setting: str,
) -> None:
    """``write(session, items)`` adds a batch (the flush commits); the settings name how
    many items, or how many seconds of waiting, make a batch."""
    app.extensions[BATCHES].kinds[name] = _Kind(write, size_setting, seconds_setting)


def add(name: str, item) -> None:
    """Keep one item of ``name`` for its next batch (see the module's docstring)."""
    current_app.extensions[BATCHES].add(name, item)


def flush(name: str | None = None) -> int:
    """Write what waits now (a reader of the rows that must see them, the tests)."""
    return current_app.extensions[BATCHES].flush(name)


def init_app(app: Flask) -> None:
    batches = app.extensions[BATCHES] = Batches(app)
    atexit.register(batches.flush)
