"""The in-process event bus: packages react to each other without importing each other's views.

``publish(name, **data)`` calls the subscribers now, inside the caller's transaction: what
they do succeeds or fails with the action (moderation rules, reputation, the audit log).
Nothing runs after the commit here: a subscriber with slow or fallible work (e-mail, a
fan-out to followers, the search index) records it in the same transaction — a job
(``portal.jobs.enqueue``) or a row of search's change feed — and a worker does it.

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


def subscribe(name: str, handler: Callable) -> None:
    """Call handler(sender, **data) whenever the event is published."""
    # weak=False: the bus, not the caller, keeps the handler alive.
    _bus.signal(name).connect(handler, weak=False)


def unsubscribe(name: str, handler: Callable) -> None:
    _bus.signal(name).disconnect(handler)


def publish(name: str, **data) -> None:
    """Call the event's subscribers now, in the current transaction."""
    _bus.signal(name).send(None, **data)
