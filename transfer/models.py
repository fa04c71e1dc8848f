"""Where imported items went: (source, kind, source id) → the local row made from it."""

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import UtcDateTime, utcnow
from portal.extensions import db

SOURCE_MAX = 80
SOURCE_ID_MAX = 300
DIGEST_MAX = 64


class TransferMapping(db.Model):
    """One imported item and the row it became; its digest tells whether it changed since.

    A second run of the same import finds every item here: unchanged ones are skipped,
    changed ones updated, and only new ones created; an import stopped half-way resumes
    from where its last committed batch ended.
    """

    __tablename__ = "transfer_mappings"
    __table_args__ = (
        UniqueConstraint("source", "kind", "source_id", name="uq_transfer_mappings_item"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Which import: "stackexchange:cooking", "zendesk:help-center", "markdown:guides"…
    source: Mapped[str] = mapped_column(String(SOURCE_MAX))
    # What the item became: user, tag, thread, post, vote, solution, article.
    kind: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[str] = mapped_column(String(SOURCE_ID_MAX))
    local_id: Mapped[int]
    # sha256 of the fields the import reads: equal means nothing to update.
    digest: Mapped[str] = mapped_column(String(DIGEST_MAX), default="")
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<TransferMapping {self.source} {self.kind} {self.source_id} → {self.local_id}>"
