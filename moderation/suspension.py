"""A suspended member's posts waiting in the queue are hidden with the suspension.

A spammer's held posts would otherwise stay in the queue for a moderator to hide one by
one. Subscribed to ``user.suspended`` (whoever suspends: the queue, the admin's user page):
each open item whose post is held is hidden with the suspension's reason, through the
same action a moderator's "Hide" runs, so each is in the audit log. Visible posts that
were only reported stay for a moderator to judge.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from community.models import Post, PostStatus
from moderation import actions, audit
from moderation.models import REASON_MAX, ItemStatus, QueueItem
from portal.i18n import N_
from portal.models import User

SUSPENSION_REASON = N_("Author suspended: %(reason)s")


def hide_held_posts(session: Session, actor: User, user: User, reason: str) -> int:
    """Hide the user's held posts that wait in the queue; how many were hidden."""
    items = session.scalars(
        select(QueueItem)
        .join(Post, Post.id == QueueItem.post_id)
        .where(
            Post.author_id == user.id,
            Post.status == PostStatus.HELD.value,
            QueueItem.status == ItemStatus.OPEN.value,
        )
        .order_by(QueueItem.id)
    ).all()
    text = audit.site_text(session, SUSPENSION_REASON, reason=reason)[:REASON_MAX]
    for item in items:
        actions.remove(session, actor, item, item.revision, how="hide", reason=text)
    return len(items)


def on_suspended(sender, *, actor, user, reason, **data) -> None:
    """``user.suspended``: a moderator (or admin) suspended someone; clear their held posts."""
    if actor is None:
        return
    hide_held_posts(Session.object_session(user), actor, user, reason)
