"""The in-process event bus: packages react to each other without importing each other's views.

Two ways to announce something:

* ``publish(name, **data)`` calls subscribers now, inside the caller's transaction —
  for reactions that must succeed or fail with the action (moderation rules,
  notifications, reputation).
* ``publish_after_commit(name, **data)`` calls subscribers once the transaction has
  committed, and never if it rolls back — for derived data (search index, mail).
  Those subscribers get plain data, not ORM objects, and must not use the committed
  session: open a fresh one if they need the database.

Subscribe in a package's ``init_app`` with ``events.subscribe(name, handler)``; a handler
receives ``sender`` (always None) and the keyword data. Handlers are called in the order
they subscribed, which is the order create_app registers the packages. Subscribe
module-level functions: the bus is per process, and connecting the same function again
(a second app in the same process, as in tests) is then a no-op instead of a second
delivery.
"""

import logging
from collections.abc import Callable

from blinker import NamedSignal, Namespace
from sqlalchemy import event
from sqlalchemy.orm import Session, scoped_session

log = logging.getLogger(__name__)


class _OrderedSet(dict):
    """Just enough of a set for blinker's set_class, iterated in insertion order."""

    def add(self, item) -> None:
        self[item] = None

    def discard(self, item) -> None:
        self.pop(item, None)

    def copy(self) -> "_OrderedSet":
        return _OrderedSet(self)

    def __or__(self, other) -> "_OrderedSet":
        return _OrderedSet({**self, **other})


class _Signal(NamedSignal):
    # Blinker's default set orders receivers by memory address, which changes from one
    # process to the next: seed-demo sometimes seeded the cases before the threads they
    # open. Its documented remedy is an ordered set_class.
    set_class = _OrderedSet


class _Bus(Namespace):
    def signal(self, name: str, doc: str | None = None) -> NamedSignal:
        if name not in self:
            self[name] = _Signal(name, doc)
        return self[name]


_bus = _Bus()
_PENDING_KEY = "portal.pending_events"


def subscribe(name: str, handler: Callable) -> None:
    """Call handler(sender, **data) whenever the event is published."""
    # weak=False: the bus, not the caller, keeps the handler alive.
    _bus.signal(name).connect(handler, weak=False)


def unsubscribe(name: str, handler: Callable) -> None:
    _bus.signal(name).disconnect(handler)


def publish(name: str, **data) -> None:
    """Call the event's subscribers now, in the current transaction."""
    _bus.signal(name).send(None, **data)


def publish_after_commit(session: Session | scoped_session, name: str, **data) -> None:
    """Queue the event on the session; it is delivered after the next successful commit."""
    if isinstance(session, scoped_session):
        session = session()  # the request's own session, which the commit hooks see
    if not session.in_transaction():
        session.begin()  # so that a rollback, even before any SQL, drops the event
    session.info.setdefault(_PENDING_KEY, []).append((name, data))


@event.listens_for(Session, "after_commit")
def _deliver_pending(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint was released: the outer transaction is still open
    pending = session.info.pop(_PENDING_KEY, [])
    for name, data in pending:
        # Derived data must never turn a committed action into an error page.
        try:
            publish(name, **data)
        except Exception:
            log.exception("after-commit subscriber of %r failed", name)


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, previous_transaction) -> None:
    # A savepoint rolled back inside a live transaction keeps the outer events queued.
    if isinstance(session, scoped_session):
        session = session()  # the request's own session, which the commit hooks see
    if not session.in_transaction():
        session.info.pop(_PENDING_KEY, None)
