"""The Brightwave demo community: lively, consistent and seeded once."""

from sqlalchemy import func, select

from community import queries, reputation
from community.models import AcceptedSolution, Post, ReputationEvent, Thread
from portal import demo
from portal.database import utcnow
from portal.extensions import db as _db
from portal.models import User


def count(model):
    return _db.session.scalar(select(func.count(model.id)))


def test_demo_community_is_lively_and_idempotent(db):
    demo.seed(db.session)
    db.session.commit()
    threads, posts, solutions = count(Thread), count(Post), count(AcceptedSolution)
    assert threads >= 40 and solutions >= threads // 2
    demo.seed(db.session)
    db.session.commit()
    assert (count(Thread), count(Post), count(AcceptedSolution)) == (threads, posts, solutions)

    counts = queries.thread_counts(db.session)
    assert counts["unanswered"] >= 5 and counts["solved"] == solutions
    # Escalation needs unanswered threads older than a day.
    old_unanswered = [
        t
        for t in db.session.scalars(queries.thread_list(filter="unanswered"))
        if (utcnow() - t.created_at).days >= 1
    ]
    assert len(old_unanswered) >= 3
    # Reply counts and scores match the rows they summarise (visible replies only: the
    # moderation demo adds held and hidden ones).
    for thread in db.session.scalars(select(Thread)):
        replies = [p for p in thread.posts if not p.is_question and p.is_visible]
        assert thread.reply_count == len(replies)
    superusers = db.session.scalars(select(User).where(User.role == "superuser")).all()
    assert len(superusers) >= 3
    ledger = dict(
        db.session.execute(
            select(ReputationEvent.user_id, func.sum(ReputationEvent.points)).group_by(
                ReputationEvent.user_id
            )
        ).all()
    )
    priya = db.session.scalar(select(User).where(User.username == "priya"))
    assert reputation.total(db.session, priya) == ledger[priya.id] > 200
