"""Posts held because their author had not confirmed their e-mail address go live when
they do (REQUIRE_VERIFIED_EMAIL; the rule is in moderation/rules.py).

Subscribed to ``user.email_verified``. A post held for that reason alone is published,
its queue item handled by the system and the release written to the audit log; a post
held for other reasons too (a new member's first posts, links, personal data) keeps
waiting for a moderator, without the reason that no longer holds.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from community import service as community_service
from community.models import Post, PostStatus
from moderation import audit, queue
from moderation.models import ItemStatus, QueueItem
from portal.database import utcnow
from portal.i18n import N_
from portal.models import User

RULE = "unverified_email"


def release_held_posts(session: Session, user: User) -> list[Post]:
    """Clear the unconfirmed-address reason from the user's queued posts; publish those it
    alone was holding. Returns the posts published."""
    items = session.scalars(
        select(QueueItem)
        .join(Post, Post.id == QueueItem.post_id)
        .where(Post.author_id == user.id, QueueItem.status == ItemStatus.OPEN.value)
        .order_by(Post.id)
    ).all()
    now, released = utcnow(), []
    for item in items:
        open_hits = [hit for hit in item.hits if hit.cleared_at is None]
        if not any(hit.rule == RULE for hit in open_hits):
            continue
        for hit in open_hits:
            if hit.rule == RULE:
                hit.cleared_at = now
        others = [hit for hit in open_hits if hit.rule != RULE]
        if others or queue.open_flags(session, item.post_id):
            continue
        item.status, item.revision = ItemStatus.RESOLVED.value, item.revision + 1
        item.resolved_at, item.resolved_by_id, item.resolution = now, None, "approved"
        post = item.post
        if post.status == PostStatus.HELD:
            community_service.go_live(session, post)
            released.append(post)
        audit.record(
            session,
            None,
            "post.approved",
            target_type="post",
            target_id=post.id,
            target_label=audit.post_label(post),
            reason=audit.site_text(session, N_("the author confirmed their e-mail address")),
        )
    session.flush()
    return released


def on_email_verified(sender, *, session: Session, user: User, **data) -> None:
    """Subscriber of ``user.email_verified``."""
    release_held_posts(session, user)
