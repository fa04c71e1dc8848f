"""The change feed: which documents changed, in the transactions that changed them.

The knowledge base and the community announce their changes inside the transaction
(``kb.article_changed``, ``community.thread_changed``); search answers by adding a row to
``search_changes`` in that same transaction. So a change reaches the feed exactly when it
commits, whatever happens to the process afterwards, and every machine's index follows
the one feed in id order (indexing.py): an index that missed changes — its process was
down, its folder was rebuilt — catches up by reading on from where it stopped.

Ids are handed out when a row is inserted, but transactions commit in any order: the
follower may see id 8 before id 7 commits. So it remembers the ids it skipped ("gaps")
and looks for them again on later passes, until GAP_TIMEOUT says the transaction that
took the id must have rolled back.
"""

import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from portal.database import utcnow
from portal.jobs import job
from search import documents
from search.models import SearchChange

STATE_FILE = "feed.json"
READ_BATCH = 2000
# Longer than any transaction can stay open (gunicorn kills a request after 30 s).
GAP_TIMEOUT = timedelta(minutes=5)
GAP_RANGE_MAX = 10_000  # a jump of more ids than this is not a set of in-flight transactions
PRUNE_JOB = "search.prune_changes"
_CHANGED_KEY = "search.feed_written"


def record_change(session: Session, doc_key: str) -> None:
    """Add a feed row in the caller's transaction."""
    session.add(SearchChange(doc_key=doc_key, changed_at=utcnow()))
    session.info[_CHANGED_KEY] = True


def wrote_changes(session: Session) -> bool:
    """Whether the session's last transaction added feed rows (and forget it)."""
    return bool(session.info.pop(_CHANGED_KEY, False))


# Subscribed in search.init_app to the in-transaction events of the content packages.
def on_article_changed(sender, *, session: Session, article_id: int, **data) -> None:
    record_change(session, documents.doc_key("article", article_id))


def on_thread_changed(sender, *, session: Session, thread_id: int, **data) -> None:
    record_change(session, documents.doc_key("thread", thread_id))


@dataclass
class FeedState:
    """How far one index has read the feed: every id up to ``position`` except the gaps."""

    position: int = 0
    gaps: dict[int, float] = field(default_factory=dict)  # id → when first missed (epoch s)
    caught_up_at: float = 0.0  # epoch s of the last successful read

    @classmethod
    def load(cls, directory: Path) -> "FeedState | None":
        try:
            data = json.loads((directory / STATE_FILE).read_text())
            gaps = {int(key): float(value) for key, value in data.get("gaps", {}).items()}
            return cls(int(data["position"]), gaps, float(data.get("caught_up_at", 0)))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, directory: Path) -> None:
        """Written to a temporary file and renamed: never half a state."""
        data = {"position": self.position, "gaps": self.gaps, "caught_up_at": self.caught_up_at}
        temporary = directory / f".{STATE_FILE}.{os.getpid()}"
        temporary.write_text(json.dumps(data))
        temporary.replace(directory / STATE_FILE)


def read_new(session: Session, state: FeedState, now: datetime) -> tuple[list[str], FeedState]:
    """The documents changed since ``state``, and the state after them (not yet saved)."""
    wanted = SearchChange.id > state.position
    if state.gaps:
        wanted = or_(wanted, SearchChange.id.in_(list(state.gaps)))
    rows = session.execute(
        select(SearchChange.id, SearchChange.doc_key)
        .where(wanted)
        .order_by(SearchChange.id)
        .limit(READ_BATCH)
    ).all()
    seen = {row_id for row_id, _ in rows}
    gaps = {gap: first for gap, first in state.gaps.items() if gap not in seen}
    position = max([state.position, *seen])
    if position - state.position <= GAP_RANGE_MAX:
        for missing in range(state.position + 1, position):
            if missing not in seen:
                gaps.setdefault(missing, now.timestamp())
    expired = now.timestamp() - GAP_TIMEOUT.total_seconds()
    gaps = {gap: first for gap, first in gaps.items() if first > expired}
    keys = list(dict.fromkeys(doc_key for _, doc_key in rows))
    return keys, FeedState(position, gaps, now.timestamp())


def position_before(session: Session, moment: datetime) -> int:
    """The last id written before ``moment``: where an index built after it starts reading."""
    return (
        session.scalar(select(func.max(SearchChange.id)).where(SearchChange.changed_at < moment))
        or 0
    )


def kept_for() -> timedelta:
    return timedelta(days=float(current_app.config["SEARCH_CHANGES_KEPT_DAYS"]))


def too_far_behind(state: FeedState, now: datetime) -> bool:
    """An index that stopped reading longer ago than the feed is kept may have missed rows."""
    return now.timestamp() - state.caught_up_at > kept_for().total_seconds()


@job(PRUNE_JOB)
def prune_changes(session: Session) -> None:
    """Forget feed rows older than SEARCH_CHANGES_KEPT_DAYS (indexes behind that rebuild)."""
    session.execute(delete(SearchChange).where(SearchChange.changed_at < utcnow() - kept_for()))
