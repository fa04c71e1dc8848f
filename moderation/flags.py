"""Members report posts; enough distinct reports (or one from a trusted member) hide them."""

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from community import service as community_service
from community.announce import changed
from community.models import Post, PostStatus
from community.solutions import drop_solution
from moderation import audit, queue
from moderation.models import NOTE_MAX, Flag, FlagCategory
from portal.database import utcnow
from portal.errors import Conflict, NotFound, ValidationFailed
from portal.models import User
from portal.permissions import can_flag, flag_hides_at_once, require


def flag_post(
    session: Session, reporter: User, post: Post | None, *, category: str, note: str = ""
) -> Flag:
    """Report a post once; at the threshold (or from a trusted member) it is hidden for review."""
    if post is None or post.status == PostStatus.DELETED:
        raise NotFound("There is no such post.")
    require(can_flag(reporter, post), "You cannot report your own post.")
    try:
        category = FlagCategory(category).value
    except ValueError:
        raise ValidationFailed("Choose why you report this post.", field="category") from None
    note = (note or "").strip()
    if category == FlagCategory.OTHER and not note:
        raise ValidationFailed("Tell the moderators what is wrong.", field="note")
    if len(note) > NOTE_MAX:
        raise ValidationFailed(f"Keep the note under {NOTE_MAX} characters.", field="note")
    if session.scalar(
        select(Flag.id).where(Flag.post_id == post.id, Flag.reporter_id == reporter.id)
    ):
        raise Conflict("You have already reported this post. Thank you: a moderator will look.")
    flag = Flag(post_id=post.id, reporter_id=reporter.id, category=category, note=note)
    try:
        with session.begin_nested():
            session.add(flag)
    except IntegrityError:
        raise Conflict("You have already reported this post.") from None
    queue.item_for(session, post)
    reporters = session.scalar(
        select(func.count(Flag.id)).where(Flag.post_id == post.id, Flag.handled_at.is_(None))
    )
    threshold = current_app.config["MODERATION_FLAG_THRESHOLD"]
    if post.status == PostStatus.VISIBLE and (
        reporters >= threshold or flag_hides_at_once(reporter)
    ):
        hide_pending_review(session, post, reporters)
    session.flush()
    return flag


def hide_pending_review(session: Session, post: Post, reporters: int) -> None:
    """Take a reported post off the page until a moderator decides; search drops it."""
    post.status, post.removed_at, post.removed_by_id = PostStatus.HIDDEN.value, utcnow(), None
    thread = post.thread
    drop_solution(session, thread, post)
    community_service.refresh_reply_count(session, thread)
    session.flush()
    changed(session, thread, post, "post_hidden")
    audit.record(
        session,
        None,
        "post.hidden_by_reports",
        target_type="post",
        target_id=post.id,
        target_label=audit.post_label(post),
        reason=f"{reporters} open report(s)",
    )
