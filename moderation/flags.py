"""Members report posts; enough weight of reports (or one from a trusted member) hides them.

A report weighs by its reporter's standing: 1 from a member registered at least
MODERATION_FLAG_NEW_ACCOUNT_DAYS ago with a published post, MODERATION_FLAG_NEW_ACCOUNT_WEIGHT
from anyone else (a throwaway account has neither). Open reports hide a post pending review
when their weight reaches MODERATION_FLAG_THRESHOLD, except that new accounts' reports alone
never hide the post of a member of standing; every report reaches the moderation queue.
"""

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
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
from portal.i18n import N_
from portal.models import User
from portal.permissions import Role, can_flag, flag_hides_at_once, require


def flag_post(
    session: Session, reporter: User, post: Post | None, *, category: str, note: str = ""
) -> Flag:
    """Report a post once; at the threshold (or from a trusted member) it is hidden for review."""
    if post is None or post.status == PostStatus.DELETED:
        raise NotFound(_("There is no such post."))
    require(can_flag(reporter, post), _("You cannot report your own post."))
    try:
        category = FlagCategory(category).value
    except ValueError:
        raise ValidationFailed(_("Choose why you report this post."), field="category") from None
    note = (note or "").strip()
    if category == FlagCategory.OTHER and not note:
        raise ValidationFailed(_("Tell the moderators what is wrong."), field="note")
    if len(note) > NOTE_MAX:
        raise ValidationFailed(
            _("Keep the note under %(max)d characters.", max=NOTE_MAX), field="note"
        )
    if session.scalar(
        select(Flag.id).where(Flag.post_id == post.id, Flag.reporter_id == reporter.id)
    ):
        raise Conflict(_("You have already reported this post. Thank you: a moderator will look."))
    flag = Flag(post_id=post.id, reporter_id=reporter.id, category=category, note=note)
    try:
        with session.begin_nested():
            session.add(flag)
    except IntegrityError:
        raise Conflict(_("You have already reported this post.")) from None
    queue.item_for(session, post)
    if post.status == PostStatus.VISIBLE:
        if flag_hides_at_once(reporter):
            reason = audit.site_text(
                session,
                N_("reported by a trusted member (%(role)s)"),
                role=Role(reporter.role).label,
            )
            hide_pending_review(session, post, reason)
        else:
            hide_if_reports_weigh_enough(session, post)
    session.flush()
    return flag


def in_standing(session: Session, user: User) -> bool:
    """Registered long enough ago and with a published post: their reports count in full."""
    new_account_days = current_app.config["MODERATION_FLAG_NEW_ACCOUNT_DAYS"]
    if user.created_at > utcnow() - timedelta(days=new_account_days):
        return False
    return bool(
        session.scalar(
            select(Post.id)
            .where(Post.author_id == user.id, Post.status == PostStatus.VISIBLE.value)
            .limit(1)
        )
    )


def report_weight(session: Session, reporter: User) -> float:
    """What one report of this member weighs towards hiding a post."""
    if in_standing(session, reporter):
        return 1.0
    return float(current_app.config["MODERATION_FLAG_NEW_ACCOUNT_WEIGHT"])


def hide_if_reports_weigh_enough(session: Session, post: Post) -> None:
    """Hide the post when its open reports weigh MODERATION_FLAG_THRESHOLD, with at least
    one reporter in standing if its author is in standing."""
    reporters = session.scalars(
        select(User)
        .join(Flag, Flag.reporter_id == User.id)
        .where(Flag.post_id == post.id, Flag.handled_at.is_(None))
    ).all()
    weights = [report_weight(session, reporter) for reporter in reporters]
    if sum(weights) < current_app.config["MODERATION_FLAG_THRESHOLD"]:
        return
    if 1.0 not in weights and in_standing(session, post.author):
        return  # only new accounts reported a member in standing: a moderator decides
    reason = audit.site_text(
        session,
        N_("%(count)d open reports weighing %(weight)s")
        if len(reporters) != 1
        else N_("1 open report weighing %(weight)s"),
        count=len(reporters),
        weight=f"{round(sum(weights), 2):g}",
    )
    hide_pending_review(session, post, reason)


def hide_pending_review(session: Session, post: Post, reason: str) -> None:
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
        reason=reason,
    )
