"""The bookkeeping every import shares: what each source item became, and a report.

An import asks ``plan`` for every item it reads: "create" (never seen), "update" (seen,
and its digest changed) or "skip" (seen, unchanged). A dry run stops there and reports;
a real run does the work and calls ``remember`` in the same transaction as the rows it
wrote, so a batch and its mappings commit together: a run stopped anywhere resumes from
the last committed batch, and a second run creates nothing.
"""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.database import utcnow
from transfer.models import TransferMapping

CREATE, UPDATE, SKIP = "create", "update", "skip"


def digest(*values) -> str:
    """A stable sha256 of the values an import reads from one item."""
    text = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Report:
    """What an import did (or, dry, would do): counts per (kind, outcome), and problems."""

    counts: Counter = field(default_factory=Counter)
    # (the item, a catalog message, its values): translated where the report is printed.
    problems: list[tuple[str, str, dict]] = field(default_factory=list)

    def problem(self, item, message: str, **params) -> None:
        """Note an item that was not imported, and why (a message marked with N_)."""
        self.problems.append((str(item), message, params))

    def add(self, kind: str, outcome: str, number: int = 1) -> None:
        self.counts[(kind, outcome)] += number

    def get(self, kind: str, outcome: str) -> int:
        return self.counts[(kind, outcome)]

    def kinds(self) -> list[str]:
        return list(dict.fromkeys(kind for kind, _ in self.counts))

    def total(self, outcome: str) -> int:
        return sum(n for (_, done), n in self.counts.items() if done == outcome)


class Mappings:
    """The mappings of one source, read once per kind and kept in step as rows are made.

    Plain values, not ORM objects: a batch's commit would expire objects, and reading each
    back one by one would cost a query per item on the next run.
    """

    def __init__(self, session: Session, source: str):
        self.session, self.source = session, source
        self._loaded: dict[str, dict[str, tuple[int, str]]] = {}

    def of_kind(self, kind: str) -> dict[str, tuple[int, str]]:
        """{source id: (local id, digest)} of one kind."""
        if kind not in self._loaded:
            rows = self.session.execute(
                select(
                    TransferMapping.source_id, TransferMapping.local_id, TransferMapping.digest
                ).where(TransferMapping.source == self.source, TransferMapping.kind == kind)
            )
            self._loaded[kind] = {source_id: (local, sha) for source_id, local, sha in rows}
        return self._loaded[kind]

    def local_id(self, kind: str, source_id) -> int | None:
        found = self.of_kind(kind).get(str(source_id))
        return found[0] if found is not None else None

    def plan(self, kind: str, source_id, item_digest: str) -> str:
        """create, update or skip, for one item of this source."""
        found = self.of_kind(kind).get(str(source_id))
        if found is None:
            return CREATE
        return SKIP if found[1] == item_digest else UPDATE

    def remember(self, kind: str, source_id, local_id: int, item_digest: str) -> None:
        """Record (or refresh) what the item became, in the caller's transaction."""
        known = self.of_kind(kind)
        if str(source_id) in known:
            self.session.execute(
                update(TransferMapping)
                .where(
                    TransferMapping.source == self.source,
                    TransferMapping.kind == kind,
                    TransferMapping.source_id == str(source_id),
                )
                .values(local_id=local_id, digest=item_digest, updated_at=utcnow())
            )
        else:
            self.session.add(
                TransferMapping(
                    source=self.source,
                    kind=kind,
                    source_id=str(source_id),
                    local_id=local_id,
                    digest=item_digest,
                )
            )
        known[str(source_id)] = (local_id, item_digest)
