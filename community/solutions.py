"""Votes and accepted solutions: the two things the database itself keeps unique.

Both are written by guarded statements (insert unless present, update or delete where the
row still holds what this request read), so concurrent clicks cannot count twice: the one
whose statement matched goes on, the others get a Conflict and change nothing.
"""

from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from community import listing, reputation
from community.announce import changed
from community.models import AcceptedSolution, Post, PostStatus, Thread, Vote
from portal import events
from portal.database import insert_unless_present, utcnow
from portal.errors import Conflict, ValidationFailed
from portal.i18n import N_
from portal.models import User
from portal.permissions import can_accept_solution, can_post, can_vote, require


def vote(session: Session, voter: User, post: Post, value: int) -> int:
    """Set the voter's vote on a post to +1, -1 or 0 (withdrawn); returns the new score."""
    require(can_post(voter), _("Sign in to vote."))
    require(can_vote(voter, post), _("You cannot vote on your own post."))
    if value not in (-1, 0, 1):
        raise ValidationFailed(_("A vote is up, down or withdrawn."))
    if post.is_question and value < 0:
        raise ValidationFailed(_("Questions can be up-voted only."))
    if post.status != PostStatus.VISIBLE:
        raise ValidationFailed(_("This post is no longer shown; it takes no votes."))
    mine = (Vote.post_id == post.id, Vote.user_id == voter.id)
    old = session.scalar(select(Vote.value).where(*mine)) or 0
    if old == value:
        return post.score  # the same vote again counts once
    if not _change_vote(session, post, voter, old, value):
        # The same user's other click (a double click, another tab) changed it first.
        raise Conflict(
            _("Your vote was already counted.")
            if old == 0
            else _("Your vote changed a moment ago in another window. Reload to see it.")
        )
    # One statement adds the difference: a total computed from what this transaction can
    # see would lose the votes of others committing at the same moment.
    score = session.execute(
        update(Post)
        .where(Post.id == post.id)
        .values(score=Post.score + (value - old))
        .returning(Post.score)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    set_committed_value(post, "score", score)
    if post.is_question:  # the "most voted" sort reads it from the thread; no tab changes
        listing.refresh(session, post.thread, counts=False)
    reputation.record_vote_change(session, post, old, value)
    events.publish("community.post_voted", post=post, actor=voter, value=value, previous=old)
    return score


def _change_vote(session: Session, post: Post, voter: User, old: int, new: int) -> bool:
    """Turn the voter's vote from old into new in one guarded statement; False when it was
    not old any more."""
    if old == 0:
        added = insert_unless_present(session, Vote, post_id=post.id, user_id=voter.id, value=new)
        return added is not None
    mine = (Vote.post_id == post.id, Vote.user_id == voter.id, Vote.value == old)
    statement = (
        delete(Vote).where(*mine) if new == 0 else update(Vote).where(*mine).values(value=new)
    )
    done = session.execute(
        statement.returning(Vote.id).execution_options(synchronize_session=False)
    )
    return done.first() is not None


def current_solution(session: Session, thread: Thread) -> AcceptedSolution | None:
    # Read from the database, not the loaded relationship: another request may have changed it.
    return session.scalar(
        select(AcceptedSolution)
        .where(AcceptedSolution.thread_id == thread.id)
        .execution_options(populate_existing=True)
    )


# accept_solution(replacing=CURRENT): replace whichever solution is current (no page shown).
CURRENT = object()
TOO_LATE = N_("Another reply was accepted a moment ago. Reload the thread to see it.")


def accept_solution(
    session: Session,
    actor: User,
    thread: Thread,
    post: Post,
    *,
    replacing: int | None | object = CURRENT,
) -> AcceptedSolution:
    """Mark a reply as the thread's solution, replacing any earlier one.

    ``replacing`` is the post id of the solution the actor's page showed (None: none); if
    another was accepted since, nothing changes (Conflict). The write itself is guarded by
    what this request read, so of many accepts at once exactly one wins: one solution,
    one set of points, one notice.
    """
    require(
        can_accept_solution(actor, thread),
        _("Only the person who asked, a moderator or an agent can accept a solution."),
    )
    if post.thread_id != thread.id:
        raise ValidationFailed(_("That reply belongs to another thread."))
    if post.is_question:
        raise ValidationFailed(_("A question cannot be its own solution; accept a reply."))
    if post.status != PostStatus.VISIBLE:
        raise ValidationFailed(_("That reply is no longer shown; accept another one."))
    solution = current_solution(session, thread)
    previous = solution.post if solution else None
    if previous is not None and previous.id == post.id:
        return solution
    if replacing is not CURRENT and replacing != (previous.id if previous else None):
        raise Conflict(_(TOO_LATE))
    chosen = {"post_id": post.id, "accepted_by_id": actor.id, "accepted_at": utcnow()}
    if previous is None:
        solution_id = insert_unless_present(
            session, AcceptedSolution, thread_id=thread.id, **chosen
        )
    else:
        solution_id = session.execute(
            update(AcceptedSolution)
            .where(
                AcceptedSolution.thread_id == thread.id,
                AcceptedSolution.post_id == previous.id,
            )
            .values(**chosen)
            .returning(AcceptedSolution.id)
            .execution_options(synchronize_session=False)
        ).scalar()
    if solution_id is None:
        # Another accept wrote first, after this one looked.
        now_current = current_solution(session, thread)
        if now_current is not None and now_current.post_id == post.id:
            return now_current  # the same reply, accepted twice at once: counted once
        raise Conflict(_(TOO_LATE))
    if previous is not None:
        reputation.record_solution(session, thread, previous, accepted=False)
    reputation.record_solution(session, thread, post, accepted=True)
    thread.last_activity_at = utcnow()
    session.expire(thread, ["solution"])
    session.flush()
    events.publish(
        "community.thread_solved", thread=thread, post=post, actor=actor, previous_post=previous
    )
    changed(session, thread, post, "thread_solved")
    return session.get(AcceptedSolution, solution_id, populate_existing=True)


def drop_solution(session: Session, thread: Thread, post: Post | None = None) -> Post | None:
    """Remove the solution record and its points: whichever is current, or only if it is
    ``post``. Returns the post that stopped being the solution, None if none did (no
    permission check: callers do it)."""
    solution = current_solution(session, thread)
    if solution is None or (post is not None and solution.post_id != post.id):
        return None
    dropped = solution.post
    # Guarded by what was read: a solution replaced a moment ago stays, and so do its points.
    removed = session.execute(
        delete(AcceptedSolution)
        .where(AcceptedSolution.id == solution.id, AcceptedSolution.post_id == dropped.id)
        .returning(AcceptedSolution.id)
    ).first()
    if removed is None:
        return None
    reputation.record_solution(session, thread, dropped, accepted=False)
    session.flush()
    session.expire(thread, ["solution"])
    return dropped


def withdraw_solution(session: Session, actor: User, thread: Thread) -> None:
    """Un-mark the solution: the thread is unsolved again."""
    require(
        can_accept_solution(actor, thread),
        _("Only the person who asked, a moderator or an agent can change the solution."),
    )
    post = drop_solution(session, thread)
    if post is None:
        raise ValidationFailed(_("This thread has no accepted solution."))
    events.publish("community.thread_unsolved", thread=thread, post=post, actor=actor)
    changed(session, thread, post, "thread_unsolved")
