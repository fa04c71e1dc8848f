"""Accepting, voting, following and replying at the same moment, with real connections.

Each racing request or service call runs in its own thread with its own session and
connection, lined up before its first write (tests/concurrency.py), on SQLite and on
PostgreSQL (TEST_DATABASE_URL).
"""

import pytest
from sqlalchemy import func, select

from community import reputation, service
from community.models import (
    AcceptedSolution,
    Post,
    ReputationEvent,
    TagFollow,
    Thread,
    ThreadFollow,
    Vote,
)
from moderation.models import AuditEntry
from portal.errors import Conflict
from portal.extensions import db as _db
from portal.models import User
from portal.notifications import Notification
from portal.permissions import Role
from tests.concurrency import at_once, flashes, signed_in
from tests.factories import make_reply, make_tag, make_thread, make_user

ACCEPTED = "Marked as the solution. Thank you for closing the loop!"
TOO_LATE = "Another reply was accepted a moment ago. Reload the thread to see it."


def notices(session, kind: str) -> list[int]:
    """Who received notifications of this kind, one entry per notification."""
    return list(session.scalars(select(Notification.user_id).where(Notification.kind == kind)))


def ledger(session, user_id: int) -> list[tuple[int, str]]:
    rows = session.execute(
        select(ReputationEvent.points, ReputationEvent.reason)
        .where(ReputationEvent.user_id == user_id)
        .order_by(ReputationEvent.id)
    )
    return [tuple(row) for row in rows]


@pytest.mark.parametrize("already_solved", [False, True], ids=["unsolved", "solved"])
def test_twenty_accepts_at_once_leave_one_solution_exact_points_and_one_notice(
    app, db, already_solved
):
    thread = make_thread(db.session)
    asker = thread.author.username
    first = make_reply(db.session, thread)
    if already_solved:
        service.accept_solution(db.session, thread.author, thread, first)
    others = [make_reply(db.session, thread) for _ in range(20)]
    db.session.commit()
    thread_id, first_id, first_author = thread.id, first.id, first.author_id
    authors = {reply.id: reply.author_id for reply in others}
    browsers = {reply_id: signed_in(app, asker) for reply_id in authors}
    # What the asker's page showed: the solution it would replace (none yet: empty).
    shown = str(first_id) if already_solved else ""

    def accept(reply_id: int):
        def click():
            url = f"/community/threads/{thread_id}/accept/{reply_id}"
            return browsers[reply_id].post(url, data={"replacing": shown}).status_code

        return click

    outcomes = at_once(app, [accept(reply_id) for reply_id in authors])

    assert outcomes == [302] * 20
    said = {reply_id: flashes(browsers[reply_id]) for reply_id in authors}
    winners = [reply_id for reply_id, messages in said.items() if messages == [ACCEPTED]]
    assert len(winners) == 1
    assert sorted(map(tuple, said.values())).count((TOO_LATE,)) == 19
    winner = winners[0]
    db.session.expire_all()
    solutions = db.session.execute(select(AcceptedSolution.thread_id, AcceptedSolution.post_id))
    assert [tuple(row) for row in solutions] == [(thread_id, winner)]
    # Only the winner earned points; the replaced solution lost its own once.
    assert ledger(db.session, authors[winner]) == [(15, "solution_accepted")]
    for reply_id, author_id in authors.items():
        if reply_id != winner:
            assert ledger(db.session, author_id) == []
    expected_first = [(15, "solution_accepted"), (-15, "solution_withdrawn")]
    assert ledger(db.session, first_author) == (expected_first if already_solved else [])
    # One "your reply was accepted" for the winner (and the earlier one for the first reply).
    expected_notices = [first_author, authors[winner]] if already_solved else [authors[winner]]
    assert sorted(notices(db.session, "solution_accepted")) == sorted(expected_notices)


def test_a_hundred_upvotes_at_once_count_a_hundred_and_promote_once(app, db):
    author = make_user(db.session)
    thread = make_thread(db.session)
    answer = make_reply(db.session, thread, author=author)
    voters = [make_user(db.session).id for _ in range(100)]
    db.session.commit()
    answer_id, author_id = answer.id, author.id

    def upvote(voter_id: int):
        def click():
            session = _db.session
            score = service.vote(
                session, session.get(User, voter_id), session.get(Post, answer_id), 1
            )
            session.commit()
            return score

        return click

    # Twenty at a time: each waiting thread holds a connection of the pool.
    outcomes = at_once(app, [upvote(voter_id) for voter_id in voters], together=20)

    assert [type(outcome) for outcome in outcomes] == [int] * 100
    assert sorted(outcomes) == list(range(1, 101))  # each saw its own vote counted once
    db.session.expire_all()
    assert db.session.get(Post, answer_id).score == 100
    author = db.session.get(User, author_id)
    assert reputation.total(db.session, author) == 1000
    assert ledger(db.session, author_id) == [(10, "upvote")] * 100
    # Crossing 200 points made a super-user once: one notice, one audit entry.
    assert author.role == Role.SUPERUSER.value
    assert notices(db.session, "promoted") == [author_id]
    role_changes = select(func.count(AuditEntry.id)).where(AuditEntry.action == "user.role_changed")
    assert db.session.scalar(role_changes) == 1


def test_a_double_clicked_vote_counts_once(app, db):
    thread = make_thread(db.session)
    answer = make_reply(db.session, thread)
    voter = make_user(db.session)
    db.session.commit()
    answer_id, author_id = answer.id, answer.author_id
    browsers = [signed_in(app, voter.username) for _ in range(2)]
    url = f"/community/posts/{answer_id}/vote"

    outcomes = at_once(
        app, [lambda b=b: b.post(url, data={"value": "up"}).status_code for b in browsers]
    )

    assert outcomes == [302, 302]
    assert sorted(message for b in browsers for message in flashes(b)) == [
        "Your vote was already counted."
    ]
    db.session.expire_all()
    assert db.session.get(Post, answer_id).score == 1
    assert ledger(db.session, author_id) == [(10, "upvote")]


def test_withdrawing_and_turning_a_vote_down_at_once_keep_score_and_points_in_step(app, db):
    thread = make_thread(db.session)
    answer = make_reply(db.session, thread)
    voter = make_user(db.session)
    service.vote(db.session, voter, answer, 1)
    db.session.commit()
    answer_id, author_id, voter_id = answer.id, answer.author_id, voter.id

    def change(value: int):
        def click():
            session = _db.session
            try:
                service.vote(
                    session, session.get(User, voter_id), session.get(Post, answer_id), value
                )
                session.commit()
                return value
            except Conflict as error:
                session.rollback()
                return error.message

        return click

    outcomes = at_once(app, [change(0), change(-1)])

    won = next(outcome for outcome in outcomes if isinstance(outcome, int))
    assert sorted(outcomes, key=str) == sorted(
        [won, "Your vote changed a moment ago in another window. Reload to see it."], key=str
    )
    db.session.expire_all()
    assert db.session.get(Post, answer_id).score == won
    stored = select(Vote.value).where(Vote.post_id == answer_id, Vote.user_id == voter_id)
    assert (db.session.scalar(stored) or 0) == won
    assert reputation.total(db.session, db.session.get(User, author_id)) == {0: 0, -1: -2}[won]


@pytest.mark.parametrize("what", ["thread", "tag"])
def test_following_twice_at_once_is_one_follow(app, db, what):
    tag = make_tag(db.session)
    thread = make_thread(db.session, tags=[tag])
    member = make_user(db.session)
    db.session.commit()
    url = (
        f"/community/threads/{thread.id}/follow"
        if what == "thread"
        else f"/community/tags/{tag.slug}/follow"
    )
    browsers = [signed_in(app, member.username) for _ in range(3)]

    outcomes = at_once(app, [lambda b=b: b.post(url, data={"follow": "1"}) for b in browsers])

    assert [getattr(outcome, "status_code", outcome) for outcome in outcomes] == [302] * 3
    model = ThreadFollow if what == "thread" else TagFollow
    follows = select(func.count(model.id)).where(model.user_id == member.id)
    assert db.session.scalar(follows) == 1


def test_ten_replies_at_once_are_all_counted(app, db):
    thread = make_thread(db.session)
    members = [make_user(db.session).id for _ in range(10)]
    db.session.commit()
    thread_id = thread.id

    def reply_as(member_id: int):
        def submit():
            session = _db.session
            author, thread = session.get(User, member_id), session.get(Thread, thread_id)
            post = service.reply(session, author, thread, body=f"Member {member_id} says hi.")
            session.commit()
            return post.id

        return submit

    outcomes = at_once(app, [reply_as(member_id) for member_id in members])

    assert [type(outcome) for outcome in outcomes] == [int] * 10
    db.session.expire_all()
    assert db.session.get(Thread, thread_id).reply_count == 10


def test_a_double_clicked_reply_is_posted_once(app, db):
    thread = make_thread(db.session)
    member = make_user(db.session)
    db.session.commit()
    thread_id = thread.id
    browsers = [signed_in(app, member.username) for _ in range(2)]
    body = "Unplug the hub for ten seconds, then plug it back in."

    def submit(browser):
        def click():
            response = browser.post(f"/community/threads/{thread_id}/reply", data={"body": body})
            return response.status_code, response.headers.get("Location")

        return click

    outcomes = at_once(app, [submit(browser) for browser in browsers])

    db.session.expire_all()
    replies = db.session.scalars(
        select(Post).where(Post.thread_id == thread_id, Post.is_question.is_(False))
    ).all()
    assert len(replies) == 1
    target = f"/community/threads/{thread_id}#post-{replies[0].id}"
    assert outcomes == [(302, target), (302, target)]
    assert sorted(message for b in browsers for message in flashes(b)) == [
        "You had just posted this reply; here it is.",
        "Your reply is posted.",
    ]
    assert db.session.get(Thread, thread_id).reply_count == 1
    follows = select(func.count(ThreadFollow.id)).where(ThreadFollow.user_id == member.id)
    assert db.session.scalar(follows) == 1
