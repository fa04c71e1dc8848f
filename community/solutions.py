"""Votes and accepted solutions: the two things the database itself keeps unique."""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from community import reputation
from community.announce import changed
from community.models import AcceptedSolution, Post, PostStatus, Thread, Vote
from portal import events
from portal.database import utcnow
from portal.errors import Conflict, ValidationFailed
from portal.models import User
from portal.permissions import can_accept_solution, can_post, can_vote, require


def vote(session: Session, voter: User, post: Post, value: int) -> int:
    """Set the voter's vote on a post to +1, -1 or 0 (withdrawn); returns the new score."""
    require(can_post(voter), "Sign in to vote.")
    require(can_vote(voter, post), "You cannot vote on your own post.")
    if value not in (-1, 0, 1):
        raise ValidationFailed("A vote is up, down or withdrawn.")
    if post.is_question and value < 0:
        raise ValidationFailed("Questions can be up-voted only.")
    if post.status != PostStatus.VISIBLE:
        raise ValidationFailed("This post is no longer shown; it takes no votes.")
    existing = session.scalar(select(Vote).where(Vote.post_id == post.id, Vote.user_id == voter.id))
    old = existing.value if existing else 0
    if old == value:
        return post.score  # the same vote again counts once
    if existing is None:
        session.add(Vote(post_id=post.id, user_id=voter.id, value=value))
    elif value == 0:
        session.delete(existing)
    else:
        existing.value = value
    try:
        session.flush()
    except IntegrityError as error:
        # The same user's vote arrived twice at once (a double click): the first one counts.
        raise Conflict("Your vote was already counted.") from error
    post.score = session.scalar(
        select(func.coalesce(func.sum(Vote.value), 0)).where(Vote.post_id == post.id)
    )
    reputation.record_vote_change(session, post, old, value)
    events.publish("community.post_voted", post=post, actor=voter, value=value, previous=old)
    return post.score


def current_solution(session: Session, thread: Thread) -> AcceptedSolution | None:
    # Read from the database, not the loaded relationship: another request may have changed it.
    return session.scalar(select(AcceptedSolution).where(AcceptedSolution.thread_id == thread.id))


def accept_solution(session: Session, actor: User, thread: Thread, post: Post) -> AcceptedSolution:
    """Mark a reply as the thread's solution, replacing any earlier one."""
    require(
        can_accept_solution(actor, thread),
        "Only the person who asked, a moderator or an agent can accept a solution.",
    )
    if post.thread_id != thread.id:
        raise ValidationFailed("That reply belongs to another thread.")
    if post.is_question:
        raise ValidationFailed("A question cannot be its own solution; accept a reply.")
    if post.status != PostStatus.VISIBLE:
        raise ValidationFailed("That reply is no longer shown; accept another one.")
    solution = current_solution(session, thread)
    previous = solution.post if solution else None
    if previous is not None and previous.id == post.id:
        return solution
    if solution is None:
        solution = AcceptedSolution(thread_id=thread.id, post_id=post.id, accepted_by_id=actor.id)
        session.add(solution)
    else:
        reputation.record_solution(session, thread, previous, accepted=False)
        solution.post_id, solution.accepted_by_id = post.id, actor.id
        solution.accepted_at = utcnow()
    try:
        session.flush()
    except IntegrityError as error:
        # Unique thread_id: someone accepted another reply at the same moment and won.
        raise Conflict(
            "Another reply was accepted a moment ago. Reload the thread to see it."
        ) from error
    session.refresh(solution)
    reputation.record_solution(session, thread, post, accepted=True)
    thread.last_activity_at = utcnow()
    session.flush()
    events.publish(
        "community.thread_solved", thread=thread, post=post, actor=actor, previous_post=previous
    )
    changed(session, thread, post, "thread_solved")
    return solution


def drop_solution(session: Session, thread: Thread) -> Post | None:
    """Remove the solution record and its points (no permission check: callers do it)."""
    solution = current_solution(session, thread)
    if solution is None:
        return None
    post = solution.post
    reputation.record_solution(session, thread, post, accepted=False)
    session.delete(solution)
    session.flush()
    session.expire(thread, ["solution"])
    return post


def withdraw_solution(session: Session, actor: User, thread: Thread) -> None:
    """Un-mark the solution: the thread is unsolved again."""
    require(
        can_accept_solution(actor, thread),
        "Only the person who asked, a moderator or an agent can change the solution.",
    )
    post = drop_solution(session, thread)
    if post is None:
        raise ValidationFailed("This thread has no accepted solution.")
    events.publish("community.thread_unsolved", thread=thread, post=post, actor=actor)
    changed(session, thread, post, "thread_unsolved")
