"""An agent's unsent reply on a case, kept on the server.

Inserting a macro or a link, or adding a note, posts the reply form's text along (the
buttons belong to the reply form), so a browser without JavaScript reloads the case page
with the draft in the box instead of losing it. Sending the reply discards the draft.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Text, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from moderation.cases.models import Case
from portal.database import UtcDateTime, insert_unless_present, utcnow
from portal.extensions import db
from portal.models import User

DRAFT_MAX = 50_000


class ReplyDraft(db.Model):
    """One agent's unsent reply on one case."""

    __tablename__ = "case_reply_drafts"
    __table_args__ = (UniqueConstraint("case_id", "agent_id", name="uq_case_reply_draft"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    agent_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


def _find(session: Session, agent: User, case: Case) -> ReplyDraft | None:
    query = select(ReplyDraft).where(ReplyDraft.case_id == case.id, ReplyDraft.agent_id == agent.id)
    return session.scalar(query)


def save_draft(session: Session, agent: User, case: Case, body: str) -> None:
    """Keep the agent's reply text for this case (empty text discards it)."""
    body = (body or "")[:DRAFT_MAX]
    if not body.strip():
        discard_draft(session, agent, case)
        return
    # Two tabs saving at once make one row, not an error.
    insert_unless_present(session, ReplyDraft, case_id=case.id, agent_id=agent.id)
    draft = _find(session, agent, case)
    draft.body, draft.updated_at = body, utcnow()
    session.flush()


def draft_text(session: Session, agent: User, case: Case) -> str:
    draft = _find(session, agent, case)
    return draft.body if draft is not None else ""


def discard_draft(session: Session, agent: User, case: Case) -> None:
    session.execute(
        delete(ReplyDraft).where(ReplyDraft.case_id == case.id, ReplyDraft.agent_id == agent.id)
    )


def joined(draft: str, addition: str) -> str:
    """The draft with a macro's or a link's text added as its own paragraph."""
    draft, addition = (draft or "").rstrip(), addition.strip()
    return f"{draft}\n\n{addition}" if draft and addition else draft or addition
