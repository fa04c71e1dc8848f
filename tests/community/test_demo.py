"""The Brightwave demo community: lively, consistent and seeded once."""

from collections import Counter
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from community import demo as community_demo
from community import queries, reputation
from community.demo_threads import demo_threads, load_threads
from community.models import AcceptedSolution, Post, ReputationEvent, Thread
from portal import demo
from portal.database import utcnow
from portal.demo_files import DemoFileError
from portal.extensions import db as _db
from portal.models import User
from portal.service import slugify


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
    everything = demo_threads()
    monkeypatch.setattr(community_demo, "demo_threads", lambda: everything[:42])
    demo.seed(db.session)
    db.session.commit()
    assert count(Thread) == 42
    monkeypatch.setattr(community_demo, "demo_threads", lambda: everything)
    demo.seed(db.session)
    db.session.commit()
    assert count(Thread) == len(everything)
    titles = [item.title for item in everything]
    assert len(set(titles)) == len(titles)


def test_the_demo_threads_are_read_from_their_files():
    threads = demo_threads()
    assert len(threads) == 151
    assert Counter(thread.lang for thread in threads) == {"en": 124, "fr": 27}
    assert sum(thread.solved is not None for thread in threads) == 113
    titles = {thread.title for thread in threads}
    assert len(titles) == len(threads)
    usernames = {row[0] for row in demo.DEMO_USERS + community_demo.COMMUNITY_MEMBERS}
    slugs = {slugify(name) for name, _ in demo.DEMO_TAGS}
    for thread in threads:
        assert {thread.author, *(reply.author for reply in thread.replies)} <= usernames
        assert set(thread.tags) <= slugs and thread.duplicate_of in titles | {None}
    french = next(t for t in threads if t.title.startswith("Programme de chauffage"))
    assert (french.lang, french.author, french.tags, french.hours_ago, french.up) == (
        "fr", "chloe", ("thermostat",), 36 * 24, 4,
    )  # fmt: skip
    assert [(r.author, r.after_hours, r.up) for r in french.replies] == [
        ("lucas", 2, 8),
        ("amelie", 10, 3),
    ]
    assert french.solved == 0 and french.replies[1].body.startswith("Ça marche très bien")


THREAD = """---
title: 'A question about the Hub lights: orange?'
lang: en
author: emma
tags: [router, wi-fi]
asked: 2 days ago
votes: 3
locked: true
---

First line of the question.

Steps I tried:
- restart
- reset

--- reply: sam · 3 hours later · +4 -1 · accepted

Orange means updating.

--- reply: priya · 20 minutes later
Agreed.
"""


def test_a_thread_file_reads_like_a_forum_page(tmp_path):
    (tmp_path / "001-a-question.md").write_text(THREAD, encoding="utf-8")
    (thread,) = load_threads(tmp_path)
    assert (thread.title, thread.author, thread.tags, thread.hours_ago, thread.up) == (
        "A question about the Hub lights: orange?", "emma", ("router", "wi-fi"), 48, 3,
    )  # fmt: skip
    assert thread.locked and thread.solved == 0 and thread.lang == "en"
    assert thread.body == "First line of the question.\n\nSteps I tried:\n- restart\n- reset"
    first, second = thread.replies
    assert (first.author, first.after_hours, first.up, first.down) == ("sam", 3, 4, 1)
    assert (second.author, second.up, second.body) == ("priya", 0, "Agreed.")
    assert second.after_hours == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        (("2 days ago", "2 days"), "asked", "write how long ago like '3 hours ago'"),
        (("20 minutes later", "soon"), "reply 2", "like '3 hours later', not 'soon'"),
        (("+4 -1", "+4 plenty"), "reply 1", "not 'sam · 3 hours later · +4 plenty"),
        (("priya · 20 minutes later", "priya · 20 minutes later · accepted"), "reply 2",
         "only one reply can be accepted"),
    ],
)  # fmt: skip
def test_a_wrong_thread_file_names_the_file_and_the_field(tmp_path, change, field, problem):
    (tmp_path / "002-broken.md").write_text(THREAD.replace(*change), encoding="utf-8")
    with pytest.raises(DemoFileError, match=f"002-broken.md: {field}: .*") as caught:
        load_threads(tmp_path)
    assert caught.value.field == field and problem in str(caught.value)


def test_a_renamed_demo_thread_is_known_by_its_former_title(db, monkeypatch):
    everything = demo_threads()
    renamed = [item for item in everything if item.formerly]
    assert renamed and all(item.lang == "fr" for item in renamed)  # titles now in French
    older = tuple(
        replace(item, title=item.formerly, formerly=None) if item.formerly else item
        for item in everything
    )
    monkeypatch.setattr(community_demo, "demo_threads", lambda: older)
    demo.seed(db.session)
    db.session.commit()
    monkeypatch.setattr(community_demo, "demo_threads", lambda: everything)
    demo.seed(db.session)
    db.session.commit()
    assert count(Thread) == len(everything)  # none of them seeded twice


def test_demo_members_joined_before_their_first_post(db):
    """'Member since' is a real date, not the day the demo was seeded."""
    demo.seed(db.session)
    db.session.commit()
    query = select(Post.author_id, func.min(Post.created_at)).group_by(Post.author_id)
    first_post = {author_id: at for author_id, at in db.session.execute(query)}
    regulars = db.session.scalars(select(User).where(User.id.in_(first_post))).all()
    joined = {user.created_at.date() for user in regulars}
    assert len(joined) > len(regulars) // 2  # not one seeding day for all
    for user in regulars:
        if user.username in ("deal-hunter-88", "sara-k"):  # moderation's newcomers: new
            continue
        assert user.created_at <= first_post[user.id], user.username
