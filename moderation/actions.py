"""What moderators do with a queue item: approve, hide, delete, edit, lock, close, suspend.

Resolving actions (approve, hide, delete, and their bulk forms) claim the item atomically
with the revision the moderator saw, so a second click on a handled item changes nothing.
Status changes go through community.service (which announces them to search) or announce
themselves with community.announce.changed. Each action writes one audit entry.
"""

from flask import has_request_context, url_for
from sqlalchemy.orm import Session

from community import curation
from community import service as community_service
from community.announce import changed
from community.models import Post, PostStatus
from community.notify import thread_link
from moderation import audit, queue
from moderation.models import QueueItem
from portal import notifications
from portal import service as portal_service
from portal.database import utcnow
from portal.errors import Conflict, ValidationFailed
from portal.models import User
from portal.permissions import can_moderate, require

REMOVALS = {"hide": PostStatus.HIDDEN, "delete": PostStatus.DELETED}


def _kind(post: Post) -> str:
    return "question" if post.is_question else "reply"


def appeal_link(post: Post) -> str:
    if has_request_context():
        return url_for("moderation.appeal", post_id=post.id)
    return f"/moderation/posts/{post.id}/appeal"


def restore(session: Session, post: Post) -> None:
    """Put a removed post back on the page (an approval after reports or an appeal)."""
    post.status, post.removed_at, post.removed_by_id = PostStatus.VISIBLE.value, None, None
    community_service.refresh_reply_count(session, post.thread)
    session.flush()
    changed(session, post.thread, post, "post_restored")


def _notify_reporters(session: Session, actor: User, post: Post, flags, removed: bool) -> None:
    outcome = "removed it" if removed else "reviewed it and left it up"
    for flag in flags:
        notifications.notify(
            session,
            flag.reporter,
            kind="flag_handled",
            message=f"Your report on a post in “{post.thread.title}”: a moderator {outcome}.",
            link=thread_link(post.thread),
            actor=actor,
        )


def approve(
    session: Session, actor: User, item: QueueItem, revision: int, *, reason: str = ""
) -> None:
    """Clear the reasons and publish: held posts go live, removed ones come back."""
    require(can_moderate(actor), "Only moderators approve posts.")
    post = item.post
    queue.claim(session, actor, item, revision, "approved", reason)
    flags = queue.clear_reasons(session, item, "kept")
    appeal = queue.open_appeal(session, post.id)
    was = post.status
    if was == PostStatus.HELD:
        community_service.go_live(session, post)
        message = f"Your {_kind(post)} in “{post.thread.title}” was approved and is now visible."
    elif was == PostStatus.DELETED and post.removed_by_id == post.author_id:
        message = None  # the author deleted it themselves: approving does not bring it back
    elif was in {PostStatus.HIDDEN, PostStatus.DELETED}:
        restore(session, post)
        message = f"Your {_kind(post)} in “{post.thread.title}” was reviewed and restored."
    else:
        message = None
    if appeal is not None:
        appeal.status, appeal.decided_by_id, appeal.decided_at = "granted", actor.id, utcnow()
        appeal.decision_reason = reason
    if message:
        notifications.notify(
            session,
            post.author,
            kind="post_approved",
            message=message + (f" Moderator's note: {reason}" if reason else ""),
            link=thread_link(post.thread, post),
            actor=actor,
        )
    _notify_reporters(session, actor, post, flags, removed=False)
    audit.record(
        session,
        actor,
        "appeal.granted" if appeal else "post.approved",
        target_type="post",
        target_id=post.id,
        target_label=audit.post_label(post),
        reason=reason or f"was {was}",
    )
    session.flush()


def remove(
    session: Session, actor: User, item: QueueItem, revision: int, *, how: str, reason: str
) -> None:
    """Hide or (soft) delete the post with a reason the author reads; reporters are told."""
    require(can_moderate(actor), "Only moderators remove posts.")
    if how not in REMOVALS:
        raise ValidationFailed("Choose hide or delete.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("Give the author a reason.", field="reason")
    post = item.post
    appeal = queue.open_appeal(session, post.id)
    queue.claim(session, actor, item, revision, "hidden" if how == "hide" else "deleted", reason)
    flags = queue.clear_reasons(session, item, "removed")
    with audit.muted(session):
        if how == "hide":
            community_service.hide_post(session, actor, post, reason=reason)
        else:
            community_service.delete_post(session, actor, post)
    # Hidden by reports before: now a moderator stands behind the removal.
    post.removed_by_id = actor.id
    if appeal is not None:
        appeal.status, appeal.decided_by_id, appeal.decided_at = "denied", actor.id, utcnow()
        appeal.decision_reason = reason
        message = (
            f"Your appeal for your {_kind(post)} in “{post.thread.title}” was declined: {reason}"
        )
    else:
        message = (
            f"A moderator removed your {_kind(post)} in “{post.thread.title}”: {reason} "
            "You can appeal once."
        )
    notifications.notify(
        session,
        post.author,
        kind="post_removed",
        message=message,
        link=appeal_link(post),
        actor=actor,
    )
    _notify_reporters(session, actor, post, flags, removed=True)
    audit.record(
        session,
        actor,
        "appeal.denied" if appeal else f"post.{'hidden' if how == 'hide' else 'deleted'}",
        target_type="post",
        target_id=post.id,
        target_label=audit.post_label(post),
        reason=reason,
    )
    session.flush()


def edit(
    session: Session,
    actor: User,
    item: QueueItem,
    revision: int,
    *,
    body: str,
    title: str | None = None,
    reason: str = "",
) -> bool:
    """Edit the post (kept in its history); False when nothing changed."""
    require(can_moderate(actor), "Only moderators edit from the queue.")
    queue.require_current(item, revision, actor)
    post = item.post
    before = audit_text(post)
    with audit.muted(session):
        edited = community_service.edit_post(session, actor, post, body=body, title=title)
    if edited:
        item.revision += 1
        audit.record(
            session,
            actor,
            "post.edited",
            target_type="post",
            target_id=post.id,
            target_label=audit.post_label(post),
            reason=reason,
            before=before,
            after=audit_text(post),
        )
    session.flush()
    return edited


def audit_text(post: Post) -> str:
    return f"{post.thread.title}\n\n{post.body}" if post.is_question else post.body


def lock_thread(session: Session, actor: User, item: QueueItem, *, reason: str = "") -> None:
    thread = item.post.thread
    if thread.is_locked:
        raise Conflict("This thread is already locked.")
    with audit.muted(session):
        community_service.lock_thread(session, actor, thread, locked=True)
    audit.record(
        session, actor, "thread.locked", target_type="thread", target_id=thread.id,
        target_label=f"“{thread.title}”", reason=reason,
    )  # fmt: skip


def close_duplicate(session: Session, actor: User, item: QueueItem, *, original: str) -> None:
    thread = item.post.thread
    if thread.is_duplicate:
        raise Conflict("This thread is already closed as a duplicate.")
    with audit.muted(session):
        found = curation.close_as_duplicate(session, actor, thread, original)
    audit.record(
        session, actor, "thread.closed_duplicate", target_type="thread", target_id=thread.id,
        target_label=f"“{thread.title}”", reason=f"duplicate of #{found.id} “{found.title}”",
    )  # fmt: skip


def suspend_author(
    session: Session, actor: User, item: QueueItem, *, reason: str, days: int | None
) -> None:
    """Suspend the post's author; the "user.suspended" subscriber writes the audit entry."""
    author = item.post.author
    if author.is_suspended:
        raise Conflict(f"{author.username} is already suspended.")
    portal_service.suspend_user(session, actor, author, reason=reason, days=days)


def bulk(
    session: Session, actor: User, choices: list[tuple[int, int]], *, how: str, reason: str
) -> tuple[int, list[str]]:
    """Approve or hide several items ({id: revision}); returns (done, messages for the others)."""
    done, skipped = 0, []
    for item_id, revision in choices:
        item = session.get(QueueItem, item_id)
        if item is None:
            skipped.append(f"Item {item_id} does not exist.")
            continue
        try:
            with session.begin_nested():
                if how == "approve":
                    approve(session, actor, item, revision, reason=reason)
                else:
                    remove(session, actor, item, revision, how="hide", reason=reason)
        except Conflict as error:
            skipped.append(f"Item {item_id}: {error.message}")
        else:
            done += 1
    return done, skipped


def on_removed_from_thread_page(sender, *, post, thread, actor, reason="", **data) -> None:
    """A moderator's Delete button on the thread page: the author hears of it and may appeal."""
    session = Session.object_session(post)
    if audit.is_muted(session) or actor is None or actor.id == post.author_id:
        return
    if not can_moderate(actor):
        return
    why = f": {reason}" if reason else "."
    notifications.notify(
        session,
        post.author,
        kind="post_removed",
        message=f"A moderator removed your {_kind(post)} in “{thread.title}”{why} "
        "You can appeal once.",
        link=appeal_link(post),
        actor=actor,
    )
