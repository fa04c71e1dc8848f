"""Authors appeal a removal once, with a message; the appeal reopens the post's queue item."""

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from community.models import Post
from moderation import queue
from moderation.models import Appeal, QueueItem
from portal.errors import Conflict, NotFound, ValidationFailed
from portal.models import User
from portal.permissions import can_appeal, require

MESSAGE_MAX = 2000


def appeal_for_removal(session: Session, post: Post) -> Appeal | None:
    """The appeal already made against the post's current removal, if any."""
    if post.removed_at is None:
        return None
    return session.scalar(
        select(Appeal).where(Appeal.post_id == post.id, Appeal.removed_at == post.removed_at)
    )


def appeal(session: Session, author: User, post: Post | None, *, message: str) -> Appeal:
    """Ask the moderators to look again at a removed post."""
    if post is None:
        raise NotFound(_("There is no such post."))
    require(can_appeal(author, post), _("Only the author of a removed post can appeal."))
    message = (message or "").strip()
    if not message:
        raise ValidationFailed(
            _("Tell the moderators why the post should come back."), field="message"
        )
    if len(message) > MESSAGE_MAX:
        raise ValidationFailed(
            _("Keep it under %(max)d characters.", max=MESSAGE_MAX), field="message"
        )
    if appeal_for_removal(session, post) is not None:
        raise Conflict(_("You have already appealed this removal."))
    record = Appeal(
        post_id=post.id, author_id=author.id, removed_at=post.removed_at, message=message
    )
    try:
        with session.begin_nested():
            session.add(record)
    except IntegrityError:
        raise Conflict(_("You have already appealed this removal.")) from None
    queue.item_for(session, post)
    session.flush()
    return record


def removal_reason(session: Session, post: Post) -> str:
    """What the moderator told the author when removing the post."""
    item = session.scalar(select(QueueItem).where(QueueItem.post_id == post.id))
    if item is not None and item.resolution in {"hidden", "deleted"}:
        return item.resolution_reason
    return ""
