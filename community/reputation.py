"""Reputation: an append-only ledger of points, promotion to super-user, leaderboards.

Every change is a row (an up-vote, its withdrawal, an accepted solution...), so a total is
always ``SUM(points)`` and can be recomputed or audited; nothing is updated in place.
"""

from datetime import datetime

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from community.models import (
    AcceptedSolution,
    Post,
    PostStatus,
    ReputationEvent,
    Thread,
    thread_tags,
)
from portal import events, notifications
from portal.database import utcnow
from portal.i18n import N_, sort_key
from portal.models import Tag, User
from portal.permissions import Role


def vote_points(post: Post, value: int) -> int:
    """What one vote of this value on this post is worth to its author."""
    config = current_app.config
    if value > 0:
        key = "REPUTATION_QUESTION_UPVOTE" if post.is_question else "REPUTATION_ANSWER_UPVOTE"
        return config[key]
    return config["REPUTATION_DOWNVOTE"] if value < 0 else 0


def record(session: Session, user_id: int, points: int, reason: str, post: Post | None) -> None:
    """Add one ledger row (zero points add nothing), then promote the user if now earned."""
    if points == 0 or session.get(User, user_id).is_deleted:  # a deleted account earns nothing
        return
    session.add(
        ReputationEvent(
            user_id=user_id, points=points, reason=reason, post_id=post.id if post else None
        )
    )
    session.flush()
    if points > 0:
        promote_if_earned(session, session.get(User, user_id))


def record_vote_change(session: Session, post: Post, old: int, new: int) -> None:
    """A vote went from old to new (each -1, 0 or 1): undo the old value's points, add the new."""
    if old:
        reason = "upvote_withdrawn" if old > 0 else "downvote_withdrawn"
        record(session, post.author_id, -vote_points(post, old), reason, post)
    if new:
        record(
            session,
            post.author_id,
            vote_points(post, new),
            "upvote" if new > 0 else "downvote",
            post,
        )


def record_solution(session: Session, thread: Thread, post: Post, *, accepted: bool) -> None:
    """Points for an accepted solution, or their reversal; nothing for answering yourself."""
    if post.author_id == thread.author_id:
        return
    points = current_app.config["REPUTATION_ACCEPTED_SOLUTION"]
    if accepted:
        record(session, post.author_id, points, "solution_accepted", post)
    else:
        record(session, post.author_id, -points, "solution_withdrawn", post)


def total(session: Session, user: User) -> int:
    query = select(func.coalesce(func.sum(ReputationEvent.points), 0))
    return session.scalar(query.where(ReputationEvent.user_id == user.id)) or 0


def totals(session: Session, user_ids: set[int]) -> dict[int, int]:
    """Reputation of several users at once (for a page of posts)."""
    if not user_ids:
        return {}
    rows = session.execute(
        select(ReputationEvent.user_id, func.sum(ReputationEvent.points))
        .where(ReputationEvent.user_id.in_(user_ids))
        .group_by(ReputationEvent.user_id)
    )
    return {user_id: 0 for user_id in user_ids} | dict(rows.all())


def promote_if_earned(session: Session, user: User) -> bool:
    """A customer reaching SUPERUSER_REPUTATION_THRESHOLD becomes a super-user."""
    threshold = current_app.config["SUPERUSER_REPUTATION_THRESHOLD"]
    if user.role != Role.CUSTOMER.value or total(session, user) < threshold:
        return False
    # Guarded: of several votes crossing the threshold at once, one promotes (one notice).
    promoted = session.execute(
        update(User)
        .where(User.id == user.id, User.role == Role.CUSTOMER.value)
        .values(role=Role.SUPERUSER.value)
        .returning(User.id)
        .execution_options(synchronize_session=False)
    ).first()
    if promoted is None:
        return False
    set_committed_value(user, "role", Role.SUPERUSER.value)
    events.publish(
        "user.role_changed", actor=None, user=user, old_role="customer", new_role=user.role
    )
    notifications.notify(
        session,
        user,
        kind="promoted",
        message=N_(
            "You are now a super-user: you passed %(threshold)d reputation points. Thank you!"
        ),
        params={"threshold": threshold},
        link=f"/u/{user.username}",
    )
    return True


def leaderboard(session: Session, *, since: datetime | None = None, limit: int = 10):
    """[(user, points)] of the top earners, all time or since a moment."""
    points = func.sum(ReputationEvent.points).label("points")
    query = select(User, points).join(ReputationEvent, ReputationEvent.user_id == User.id)
    if since is not None:
        query = query.where(ReputationEvent.created_at >= since)
    query = query.group_by(User.id).having(points > 0).order_by(points.desc(), User.username)
    return session.execute(query.limit(limit)).all()


def start_of_month() -> datetime:
    return utcnow().replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def solvers_by_tag(session: Session, *, per_tag: int = 3) -> list[tuple[Tag, list]]:
    """For each tag, who wrote most accepted solutions there: the community's expertise map."""
    solved = func.count(AcceptedSolution.id).label("solved")
    rows = session.execute(
        select(Tag, User, solved)
        .join(thread_tags, thread_tags.c.tag_id == Tag.id)
        .join(AcceptedSolution, AcceptedSolution.thread_id == thread_tags.c.thread_id)
        .join(Post, Post.id == AcceptedSolution.post_id)
        .join(User, User.id == Post.author_id)
        .group_by(Tag.id, User.id)
        .order_by(Tag.name, solved.desc(), User.username)
    )
    by_tag: dict[int, tuple[Tag, list]] = {}
    for tag, user, count in rows:
        entry = by_tag.setdefault(tag.id, (tag, []))
        if len(entry[1]) < per_tag:
            entry[1].append((user, count))
    return sorted(by_tag.values(), key=lambda entry: sort_key(entry[0].name))


def profile_stats(session: Session, user: User) -> dict:
    """Reputation, answers, solutions and top tags, for the profile page."""
    visible_replies = (
        (Post.author_id == user.id)
        & (~Post.is_question)
        & (Post.status == PostStatus.VISIBLE.value)
    )
    answers = session.scalar(select(func.count(Post.id)).where(visible_replies)) or 0
    solutions = session.scalar(
        select(func.count(AcceptedSolution.id))
        .join(Post, Post.id == AcceptedSolution.post_id)
        .where(Post.author_id == user.id)
    )
    count = func.count(Post.id).label("answers")
    top_tags = session.execute(
        select(Tag, count)
        .join(thread_tags, thread_tags.c.tag_id == Tag.id)
        .join(Post, Post.thread_id == thread_tags.c.thread_id)
        .where(visible_replies)
        .group_by(Tag.id)
        .order_by(count.desc(), Tag.name)
        .limit(5)
    ).all()
    questions = session.scalar(
        select(func.count(Post.id)).where(Post.author_id == user.id, Post.is_question)
    )
    return {
        "reputation": total(session, user),
        "questions": questions or 0,
        "answers": answers,
        "solutions": solutions or 0,
        "top_tags": top_tags,
    }
