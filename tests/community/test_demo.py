"""The Brightwave demo community: lively, consistent and seeded once."""

from sqlalchemy import func, select

from community import demo as community_demo
from community import demo_text, queries, reputation
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
    assert threads >= 150 and solutions >= threads * 2 // 3
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
    assert len(old_unanswered) >= 10
    assert counts["unsolved"] - counts["unanswered"] >= 5  # answered, still open
    # Reply counts and scores match the rows they summarise (visible replies only: the
    # moderation demo adds held and hidden ones).
    for thread in db.session.scalars(select(Thread)):
        replies = [p for p in thread.posts if not p.is_question and p.is_visible]
        assert thread.reply_count == len(replies)
    superusers = db.session.scalars(select(User).where(User.role == "superuser")).all()
    assert len(superusers) >= 5
    customers = {"jordan", "emma", "karim", "chloe", "oliver"}
    assert all(u.username not in customers for u in superusers)  # README's roles hold
    ledger = dict(
        db.session.execute(
            select(ReputationEvent.user_id, func.sum(ReputationEvent.points)).group_by(
                ReputationEvent.user_id
            )
        ).all()
    )
    priya = db.session.scalar(select(User).where(User.username == "priya"))
    assert reputation.total(db.session, priya) == ledger[priya.id] > 200


def test_an_older_demo_database_gets_only_the_missing_threads(db, monkeypatch):
    everything = community_demo.DEMO_THREADS
    monkeypatch.setattr(community_demo, "DEMO_THREADS", everything[:42])
    demo.seed(db.session)
    db.session.commit()
    assert count(Thread) == 42
    monkeypatch.setattr(community_demo, "DEMO_THREADS", everything)
    demo.seed(db.session)
    db.session.commit()
    assert count(Thread) == len(everything)
    titles = [item.title for item in everything]
    assert len(set(titles)) == len(titles)


def test_compact_demo_format():
    (thread,) = demo_text.parse(
        """
# A question about the Hub lights
emma | router wi-fi | 2d | +3 | locked
First line of the question
continued here.

Steps I tried:
- restart
- reset
> sam 3h +4 -1 ok
Orange means updating.
> priya 1d
Agreed.
"""
    )
    assert (thread.author, thread.tags, thread.hours_ago, thread.up) == (
        "emma",
        ["router", "wi-fi"],
        48,
        3,
    )
    assert thread.locked and thread.solved == 0
    assert thread.body == (
        "First line of the question continued here.\n\nSteps I tried:\n- restart\n- reset"
    )
    first, second = thread.replies
    assert (first.author, first.after_hours, first.up, first.down) == ("sam", 3, 4, 1)
    assert (second.author, second.after_hours, second.body) == ("priya", 24, "Agreed.")
