"""Imports in batches: a commit every N items in a real run, none in a dry run."""

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Protocol

from sqlalchemy.orm import Session


class Progress(Protocol):
    """Opens one progress bar: ``with progress(label, total) as advance: advance(n)``."""

    def __call__(self, label: str, total: int) -> AbstractContextManager[Callable[[int], None]]: ...


def no_progress(label: str, total: int) -> AbstractContextManager[Callable[[int], None]]:
    """A progress bar nobody sees (imports called from code and tests)."""
    return nullcontext(lambda amount: None)


class Batches:
    """Counts items and commits every ``size`` of them; ``before_commit`` settles what a
    batch leaves to do once (reply counts, say). A dry run never commits: it rolls back."""

    def __init__(
        self,
        session: Session,
        *,
        size: int,
        commit: Callable[[], None],
        dry_run: bool,
        before_commit: Callable[[], None] | None = None,
    ):
        self.session, self.size, self.commit, self.dry_run = session, max(1, size), commit, dry_run
        self.before_commit = before_commit
        self.pending = 0

    def tick(self) -> None:
        """One more item done: commit when the batch is full."""
        self.pending += 1
        if self.pending >= self.size:
            self.end_batch()

    def end_batch(self) -> None:
        """Commit what the batch did (a dry run: nothing)."""
        if self.dry_run:
            self.session.rollback()
        else:
            if self.before_commit is not None:
                self.before_commit()
            self.session.flush()
            self.commit()
        self.pending = 0
