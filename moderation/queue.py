"""The moderators' queue: one item per post, its reasons, listing, and the author's history."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from community import reputation
from community.models import Post, PostStatus, Thread
from moderation.models import Appeal, AuditEntry, Flag, ItemStatus, QueueItem, RuleHitRecord
from moderation.rules import RuleHit
from portal.database import utcnow
from portal.errors import Conflict
from portal.i18n import N_
from portal.localtime import format_time
from portal.models import User

FILTERS = {
    "open": N_("All open"),
    "held": N_("Held for approval"),
    "hidden": N_("Hidden by reports"),
    "reported": N_("Reported"),
    "rules": N_("Flagged by rules"),
    "appeals": N_("Appeals"),
    "resolved": N_("Handled"),
}
# How an item was handled (QueueItem.resolution), as the queue says it.
RESOLUTIONS = {"approved": N_("approved"), "hidden": N_("hidden"), "deleted": N_("deleted")}


def resolution_label(resolution: str) -> str:
    """The resolution in the current language (an unknown one as stored)."""
    return _(RESOLUTIONS[resolution]) if resolution in RESOLUTIONS else resolution


def item_for(session: Session, post: Post) -> QueueItem:
    """The post's queue item, created or reopened: something new needs a moderator."""
    item = session.scalar(select(QueueItem).where(QueueItem.post_id == post.id))
    if item is None:
        try:
            with session.begin_nested():
                item = QueueItem(post=post)
                session.add(item)
        except IntegrityError:
            # Another request queued the post at the same moment: use that item.
            item = session.scalar(select(QueueItem).where(QueueItem.post_id == post.id))
    if item.status == ItemStatus.RESOLVED:
        item.status, item.revision = ItemStatus.OPEN.value, item.revision + 1
        # The last resolution stays readable (an appeal is judged against it).
        item.opened_at = utcnow()
    session.flush()
    return item


def add_rule_hits(session: Session, post: Post, hits: list[RuleHit]) -> QueueItem:
    """Queue a post with the rules that fired on it and why."""
    item = item_for(session, post)
    for hit in hits:
        session.add(
            RuleHitRecord(
                item=item,
                rule=hit.rule,
                action=hit.action.name.lower(),
                reason=hit.message,
                params=hit.params,
            )
        )
    session.flush()
    return item


def claim(
    session: Session, actor: User, item: QueueItem, revision: int, resolution: str, reason: str
) -> None:
    """Mark an open item handled, atomically: a second moderator's action gets a Conflict."""
    result = session.execute(
        update(QueueItem)
        .where(
            QueueItem.id == item.id,
            QueueItem.status == ItemStatus.OPEN.value,
            QueueItem.revision == revision,
        )
        .values(
            status=ItemStatus.RESOLVED.value,
            revision=QueueItem.revision + 1,
            resolved_at=utcnow(),
            resolved_by_id=actor.id,
            resolution=resolution,
            resolution_reason=reason[:500],
        )
        .execution_options(synchronize_session=False)
    )
    session.refresh(item)
    if result.rowcount != 1:
        raise Conflict(handled_message(item, actor))


def handled_message(item: QueueItem, viewer: User) -> str:
    """Why an action on this item did nothing: someone handled or changed it meanwhile."""
    if item.status == ItemStatus.RESOLVED:
        values = {
            "resolution": resolution_label(item.resolution),
            "who": item.resolved_by.username if item.resolved_by else _("someone"),
            "when": format_time(item.resolved_at, viewer.time_zone),
        }
        if item.resolved_at is None:
            return _("Already handled: %(resolution)s by %(who)s. Nothing was changed.", **values)
        return _(
            "Already handled: %(resolution)s by %(who)s on %(when)s. Nothing was changed.",
            **values,
        )
    return _(
        "This item changed while you were looking at it (new reports or an appeal). "
        "Review it again."
    )


def require_current(item: QueueItem, revision: int, viewer: User) -> None:
    """Refuse an action taken on an outdated view of the item."""
    if item.revision != revision:
        raise Conflict(handled_message(item, viewer))


def clear_reasons(session: Session, item: QueueItem, outcome: str) -> list[Flag]:
    """Clear the rule hits and the open flags of an item; returns the flags (to notify)."""
    now = utcnow()
    for hit in item.hits:
        if hit.cleared_at is None:
            hit.cleared_at = now
    flags = open_flags(session, item.post_id)
    for flag in flags:
        flag.handled_at, flag.outcome = now, outcome
    return flags


def open_flags(session: Session, post_id: int) -> list[Flag]:
    query = select(Flag).where(Flag.post_id == post_id, Flag.handled_at.is_(None))
    return list(session.scalars(query.order_by(Flag.id).options(selectinload(Flag.reporter))))


def open_appeal(session: Session, post_id: int) -> Appeal | None:
    return session.scalar(select(Appeal).where(Appeal.post_id == post_id, Appeal.status == "open"))


def open_count(session: Session) -> int:
    """Open items, for the badge in the navigation."""
    query = select(func.count(QueueItem.id)).where(QueueItem.status == ItemStatus.OPEN.value)
    return session.scalar(query) or 0


def queue_statement(filter: str = "open", rule: str = ""):
    """The statement for one queue page (paginate it); oldest open items first."""
    query = select(QueueItem).join(Post, Post.id == QueueItem.post_id)
    if filter == "resolved":
        query = query.where(QueueItem.status == ItemStatus.RESOLVED.value)
        query = query.order_by(QueueItem.resolved_at.desc(), QueueItem.id.desc())
    else:
        query = query.where(QueueItem.status == ItemStatus.OPEN.value)
        query = query.order_by(QueueItem.opened_at, QueueItem.id)
    open_flag = exists().where(Flag.post_id == Post.id, Flag.handled_at.is_(None))
    live_hit = exists().where(
        RuleHitRecord.item_id == QueueItem.id, RuleHitRecord.cleared_at.is_(None)
    )
    if filter == "held":
        query = query.where(Post.status == PostStatus.HELD.value)
    elif filter == "hidden":
        query = query.where(Post.status == PostStatus.HIDDEN.value, open_flag)
    elif filter == "reported":
        query = query.where(open_flag)
    elif filter == "rules":
        query = query.where(live_hit)
    elif filter == "appeals":
        query = query.where(exists().where(Appeal.post_id == Post.id, Appeal.status == "open"))
    if rule:
        query = query.where(
            exists().where(RuleHitRecord.item_id == QueueItem.id, RuleHitRecord.rule == rule)
        )
    return query.options(selectinload(QueueItem.post).selectinload(Post.thread))


def next_open_item(session: Session, handled: QueueItem) -> QueueItem | None:
    """The item a moderator works next: the oldest open one other than the one just handled."""
    query = queue_statement("open").where(QueueItem.id != handled.id).limit(1)
    return session.scalar(query)


@dataclass
class AuthorHistory:
    user: User
    joined: datetime
    reputation: int
    visible_posts: int
    removed_posts: int
    approved_items: int
    suspensions: int


def author_history(session: Session, user: User) -> AuthorHistory:
    """Age, reputation and earlier moderation of a post's author."""
    count = func.count(Post.id)
    visible = session.scalar(
        select(count).where(Post.author_id == user.id, Post.status == PostStatus.VISIBLE.value)
    )
    removed = session.scalar(
        select(count).where(
            Post.author_id == user.id,
            Post.status.in_([PostStatus.HIDDEN.value, PostStatus.DELETED.value]),
            Post.removed_by_id.is_distinct_from(user.id),
        )
    )
    approved = session.scalar(
        select(func.count(QueueItem.id))
        .join(Post, Post.id == QueueItem.post_id)
        .where(Post.author_id == user.id, QueueItem.resolution == "approved")
    )
    suspensions = session.scalar(
        select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "user.suspended", AuditEntry.target_id == user.id
        )
    )
    return AuthorHistory(
        user=user,
        joined=user.created_at,
        reputation=reputation.total(session, user),
        visible_posts=visible or 0,
        removed_posts=removed or 0,
        approved_items=approved or 0,
        suspensions=suspensions or 0,
    )


@dataclass
class ItemView:
    """Everything the queue shows about one item."""

    item: QueueItem
    post: Post
    thread: Thread
    hits: list[RuleHitRecord]
    flags: list[Flag]
    appeal: Appeal | None
    history: AuthorHistory
    context: list[Post]  # the question and the replies just before this one


def item_view(session: Session, item: QueueItem) -> ItemView:
    post = item.post
    thread = post.thread
    earlier = [p for p in thread.posts if p.id != post.id and p.created_at <= post.created_at]
    context = [] if post.is_question else ([thread.question] + earlier[1:][-2:])
    return ItemView(
        item=item,
        post=post,
        thread=thread,
        hits=[hit for hit in item.hits if hit.cleared_at is None],
        flags=open_flags(session, post.id),
        appeal=open_appeal(session, post.id),
        history=author_history(session, post.author),
        context=[p for p in context if p is not None],
    )


def hold_reasons(session: Session, post: Post) -> list[str]:
    """Why a held post waits, in words for its author (in the current language)."""
    item = session.scalar(select(QueueItem).where(QueueItem.post_id == post.id))
    if item is None:
        return []
    return [hit.reason_text for hit in item.hits if hit.cleared_at is None and hit.action == "hold"]


def rules_seen(session: Session) -> list[str]:
    return list(session.scalars(select(RuleHitRecord.rule).distinct().order_by(RuleHitRecord.rule)))
