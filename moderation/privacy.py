"""A deleted account in moderation's tables, and a member's moderation data for download.

Reports a member filed stay, with their note, under the emptied account: they weigh on a
post's review like the post itself stays. Appeals are about the member's own removed posts
and go. Screenings (a post's fingerprint, for duplicates) name no one but the account id
and stay. The audit log keeps its entries; the account's name in them becomes
DELETED_NAME (audit.erase_names), and the deletion itself is recorded.
"""

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from moderation import audit
from moderation.models import Appeal, AuditEntry, Flag
from portal.i18n import N_
from portal.models import DELETED_NAME, User


def on_user_deleting(sender, *, session: Session, user: User, actor: User, reason="", **data):
    session.execute(delete(Appeal).where(Appeal.author_id == user.id))
    audit.erase_names(session, user)
    audit.record(
        session,
        actor,
        "user.deleted",
        target_type="user",
        target_id=user.id,
        target_label=DELETED_NAME,
        reason=reason
        if actor.id != user.id
        else audit.site_text(session, N_("deleted by the member")),
    )


def on_data_collecting(sender, *, session: Session, user: User, data: dict, **extra) -> None:
    flags = session.scalars(select(Flag).where(Flag.reporter_id == user.id).order_by(Flag.id))
    appeals = session.scalars(select(Appeal).where(Appeal.author_id == user.id).order_by(Appeal.id))
    about_account = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.target_type == "user", AuditEntry.target_id == user.id)
        .order_by(AuditEntry.id)
    )
    data["moderation"] = {
        "reports_filed": [
            {
                "post_id": flag.post_id,
                "category": flag.category,
                "note": flag.note,
                "at": flag.created_at,
                "handled_at": flag.handled_at,
                "outcome": flag.outcome,
            }
            for flag in flags
        ],
        "appeals": [
            {
                "post_id": appeal.post_id,
                "message": appeal.message,
                "at": appeal.created_at,
                "status": appeal.status,
                "decided_at": appeal.decided_at,
                "decision_reason": appeal.decision_reason,
            }
            for appeal in appeals
        ],
        # Staff decisions about the account (role, suspension, VIP), without who took them.
        "decisions_about_your_account": [
            {"at": entry.at, "action": entry.action, "reason": entry.reason, "to": entry.after_text}
            for entry in about_account
        ],
    }
