"""One dump being imported: where it is, what was mapped, what the batch left to do."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from community.models import Thread
from community.service import refresh_reply_count
from portal import service as portal_service
from transfer.batches import Batches, Progress
from transfer.mapping import Mappings, Report
from transfer.xmlrows import rows

QUESTION, ANSWER = "1", "2"
ACCEPTED, UP, DOWN = "1", "2", "3"
UNKNOWN_AUTHOR = "unknown"


def when(value: str | None) -> datetime | None:
    """A dump's time ('2024-03-05T14:02:11.377', UTC) as an aware datetime."""
    return datetime.fromisoformat(value).replace(tzinfo=UTC) if value else None


def tag_names(value: str | None) -> list[str]:
    """'<wi-fi><router>' (older dumps) or '|wi-fi|router|' (newer) → ['wi-fi', 'router']."""
    text = (value or "").replace("><", "|").strip("<>|")
    return [name for name in text.split("|") if name]


@dataclass
class Dump:
    folder: Path
    source: str
    session: Session
    batches: Batches
    progress: Progress
    default_tag: str
    report: Report = field(default_factory=Report)
    touched: set[int] = field(default_factory=set)  # threads whose reply count to refresh
    accepted: dict[str, str] = field(default_factory=dict)  # question id → answer id
    accepted_at: dict[str, datetime] = field(default_factory=dict)  # answer id → when
    planned: set[tuple[str, str]] = field(default_factory=set)  # dry run: (kind, id) to create
    owners: dict[str, tuple[str, bool]] = field(default_factory=dict)  # post → owner, question?

    def __post_init__(self):
        self.map = Mappings(self.session, self.source)
        self.source_slug = portal_service.slugify(self.source)[:40] or "import"

    def each_row(self, name: str, label: str):
        path = self.folder / name
        with self.progress(label, path.stat().st_size) as advance:
            yield from rows(path, advance)
        self.batches.end_batch()


def settle_reply_counts(dump: Dump) -> None:
    dump.session.flush()
    for thread_id in sorted(dump.touched):
        refresh_reply_count(dump.session, dump.session.get(Thread, thread_id))
    dump.touched.clear()
