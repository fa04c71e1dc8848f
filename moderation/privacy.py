"""A deleted account in moderation's tables.

Reports a member filed stay, with their note, under the emptied account: they weigh on a
post's review like the post itself stays. Appeals are about the member's own removed posts
and go. Screenings (a post's fingerprint, for duplicates) name no one but the account id
and stay. The audit log keeps its entries; the account's name in them becomes
DELETED_NAME (audit.erase_names), and the deletion itself is recorded.
"""

from sqlalchemy import delete
from sqlalchemy.orm import Session

from moderation import audit
from moderation.models import Appeal
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
        reason=reason if actor.id != user.id else "deleted by the member",
    )
