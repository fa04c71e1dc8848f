"""The lists at any size (issue #22): a list or topic page runs the same number of SQL
statements at N and 3N threads, and its tabs, order and pages stay those of the threads'
posts and solutions after every kind of change, for visitors and moderators alike."""

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import and_, event, exists, func, select

from community import listing, queries, service
from community.curation import retag_thread
from community.models import AcceptedSolution, ListCount, Post, PostStatus, Thread, thread_tags
from portal import events
from portal.permissions import Role
from tests.factories import make_reply, make_tag, make_thread, make_user

LANGUAGES = (None, "en", "fr")


@contextmanager
def counted_statements(engine):
    """The SQL statements run inside the block, as a list filled as they run."""
    seen = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.fixture
def topics(db):
    tags = make_tag(db.session, "Wi-Fi"), make_tag(db.session, "Billing")
    db.session.commit()
    return tags


@pytest.fixture
def small_pages(app, monkeypatch):
    monkeypatch.setitem(app.config, "THREADS_PER_PAGE", 4)


def add_threads(db, topics, count, start=0):
    """Threads of every kind: both languages, both topics, answered, solved, hidden."""
    moderator = make_user(db.session, role=Role.MODERATOR)
    for number in range(start, start + count):
        thread = make_thread(
            db.session, title=f"Question {number} about the line", tags=[topics[number % 2]]
        )
        if number % 3 == 0:
            service.edit_post(
                db.session, thread.author, thread.question,
                body="Ma connexion coupe tous les soirs.", language="fr",
            )  # fmt: skip
        if number % 4 == 1:
            reply = make_reply(db.session, thread)
            if number % 8 == 1:
                service.accept_solution(db.session, thread.author, thread, reply)
        if number % 7 == 6:
            service.hide_post(db.session, moderator, thread.question, reason="spam")
    db.session.commit()


PAGES = [
    "/community/",
    "/community/?page=2",
    "/community/?filter=unanswered&sort=votes&language=fr",
    "/community/?filter=solved&sort=newest&language=en",
    "/community/tags/wi-fi",
    "/community/tags/billing?filter=unsolved&sort=votes&language=fr&page=2",
    "/",
]


def statements_per_page(app, db, client):
    counts = {}
    for url in PAGES:
        client.get(url)  # the first request of a client loads what later ones reuse
        with counted_statements(db.engine) as seen:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(seen)
    return counts


def test_a_page_runs_as_many_statements_at_3n_threads_as_at_n(
    app, db, client, auth, topics, small_pages
):
    add_threads(db, topics, 12)
    anonymous = statements_per_page(app, db, client)
    make_user(db.session, "morgan", role=Role.MODERATOR)
    db.session.commit()
    auth.login("morgan")
    moderator = statements_per_page(app, db, client)
    auth.logout()

    add_threads(db, topics, 24, start=12)
    assert statements_per_page(app, db, client) == anonymous
    auth.login("morgan")
    assert statements_per_page(app, db, client) == moderator
    # A list reads the threads, their topics and authors, the tab counts, the topics of the
    # sidebar: no count of the threads, no post.
    assert anonymous["/community/"] <= 6, anonymous


# What the lists showed before issue #22, from the posts themselves: the reference.
def reference(session, tag=None, language=None):
    question = and_(Post.thread_id == Thread.id, Post.is_question.is_(True))
    query = select(Thread.id).join(Post, question).where(Post.status == PostStatus.VISIBLE.value)
    if language:
        query = query.where(Post.language == language)
    if tag is not None:
        query = query.where(
            exists().where(thread_tags.c.thread_id == Thread.id, thread_tags.c.tag_id == tag.id)
        )
    solved = exists().where(AcceptedSolution.thread_id == Thread.id)
    filtered = {
        "all": query,
        "unanswered": query.where(Thread.reply_count == 0, ~solved),
        "unsolved": query.where(~solved),
        "solved": query.where(solved),
    }
    orders = {
        "active": (Thread.last_activity_at.desc(), Thread.id.desc()),
        "newest": (Thread.created_at.desc(), Thread.id.desc()),
        "votes": (Post.score.desc(), Thread.last_activity_at.desc(), Thread.id.desc()),
    }
    counts = {
        name: session.scalar(select(func.count()).select_from(q.subquery()))
        for name, q in filtered.items()
    }
    lists = {
        (name, sort): list(session.scalars(q.order_by(*order)))
        for name, q in filtered.items()
        for sort, order in orders.items()
    }
    return counts, lists


def tabs_on(client, url):
    """The numbers in the page's filter tabs, by filter."""
    html = client.get(url).get_data(as_text=True)
    found = re.findall(
        r'filter=(\w+)[^>]*>[^<]*<span class="count">([\d,\u202f\xa0]+)</span>', html
    )
    return {name: int(re.sub(r"\D", "", number)) for name, number in found}


def assert_lists_match_posts(db, client, auth, topics):
    """Every tab count, list order and page count, per topic and language, is the
    reference's; the pages show the same numbers to a visitor and to a moderator."""
    session = db.session
    session.expire_all()
    for tag in (None, *topics):
        for language in LANGUAGES:
            counts, lists = reference(session, tag, language)
            assert queries.thread_counts(session, tag, language) == counts, (tag, language)
            for (name, sort), ids in lists.items():
                statement = queries.thread_list(tag=tag, filter=name, sort=sort, language=language)
                assert [t.id for t in session.scalars(statement)] == ids, (
                    tag,
                    language,
                    name,
                    sort,
                )
            url = f"/community/tags/{tag.slug}" if tag else "/community/"
            url += f"?language={language}" if language else ""
            assert tabs_on(client, url) == counts, url
            auth.login("morgan")
            assert tabs_on(client, url) == counts, ("moderator", url)
            auth.logout()

    # Nothing drifted: counting everything again stores the same rows.
    def stored():
        rows = session.execute(select(ListCount.__table__)).all()
        return {tuple(row) for row in rows if any(row[2:])}

    before = stored()
    listing.recount_everything(session)
    assert stored() == before
    session.rollback()


def test_tabs_and_order_follow_every_change(app, db, client, auth, topics):
    session = db.session
    moderator = make_user(session, "morgan", role=Role.MODERATOR)
    voter = make_user(session, "voter")
    asker = make_user(session, "asker")
    session.commit()
    check = lambda: assert_lists_match_posts(db, client, auth, topics)  # noqa: E731
    check()  # empty

    first = make_thread(session, asker, title="Router reboots at night", tags=[topics[0]])
    second = make_thread(session, title="Invoice shows two months", tags=[topics[1]])
    third = make_thread(session, title="Mesh node blinks red", tags=list(topics))
    session.commit()
    check()  # new threads

    reply = make_reply(session, first)
    session.commit()
    check()  # answered

    service.accept_solution(session, asker, first, reply)
    session.commit()
    check()  # solved

    service.vote(session, voter, third.question, 1)
    session.commit()
    check()  # the most voted comes first

    service.edit_post(session, second.author, second.question, body="Deux mois facturés.",
                      language="fr")  # fmt: skip
    session.commit()
    check()  # another language

    retag_thread(session, moderator, third, [topics[1].slug])
    session.commit()
    check()  # left a topic

    service.hide_post(session, moderator, reply, reason="rude")
    session.commit()
    check()  # the solution hidden: unsolved and unanswered again

    service.hide_post(session, moderator, second.question, reason="spam")
    session.commit()
    check()  # gone from the lists

    service.delete_post(session, third.author, third.question)
    session.commit()
    check()  # deleted by its author

    held = []

    def hold(sender, post, **data):
        post.status = PostStatus.HELD.value
        held.append(post)

    events.subscribe("community.post_submitted", hold)
    try:
        waiting = make_thread(session, title="Waiting for a moderator here", tags=[topics[0]])
        session.commit()
    finally:
        events.unsubscribe("community.post_submitted", hold)
    check()  # held: not listed
    session.refresh(waiting)  # its row on the asker's own pages still shows its language
    assert not waiting.is_listed and waiting.question_language == waiting.question.language
    service.go_live(session, waiting.question)
    session.commit()
    check()  # released


def test_a_rolled_back_change_leaves_the_counts(app, db, topics):
    make_thread(db.session, tags=[topics[0]])
    db.session.commit()
    before = queries.thread_counts(db.session, topics[0], None)
    make_thread(db.session, tags=[topics[0]])
    db.session.rollback()
    make_user(db.session)
    db.session.commit()  # a later commit in the same session counts nothing left over
    assert queries.thread_counts(db.session, topics[0], None) == before == {
        "all": 1, "unanswered": 1, "unsolved": 1, "solved": 0
    }  # fmt: skip


def test_rows_written_without_the_services_are_counted_when_first_read(app, db, topics):
    """A topic with no stored count (threads written as rows, then refreshed) is counted
    from the threads by the page, and stored by the next recount."""
    thread = make_thread(db.session, tags=[topics[0]])
    db.session.commit()
    db.session.execute(ListCount.__table__.delete())
    db.session.commit()
    assert queries.thread_counts(db.session, topics[0], "en")["all"] == 1
    assert queries.thread_counts(db.session, None, None)["unanswered"] == 1
    listing.refresh_everything(db.session)
    db.session.commit()
    assert db.session.get(ListCount, (topics[0].id, "en")).unanswered == 1
    assert thread.is_listed and thread.question_language == "en"


def test_a_savepoint_counts_at_the_real_commit_and_its_rollback_keeps_earlier_changes(
    app, db, topics
):
    session = db.session
    make_thread(session, tags=[topics[0]])  # before the savepoint: must be counted
    with session.begin_nested() as savepoint:
        make_thread(session, tags=[topics[1]])
        savepoint.rollback()
    with session.begin_nested():
        make_thread(session, tags=[topics[1]])  # released: counted at the commit
    assert listing._DIRTY in session.info
    session.commit()
    assert queries.thread_counts(session, topics[0], None)["all"] == 1
    assert queries.thread_counts(session, topics[1], None)["all"] == 1
    assert queries.thread_counts(session, None, None)["unanswered"] == 2


def test_ten_questions_asked_at_once_are_all_counted(app, db, topics):
    """Each commit counts again after the previous writer's commit (the lock on the
    every-topic row): none of the ten is lost from the tabs."""
    from portal.extensions import db as _db
    from portal.models import User
    from tests.concurrency import at_once

    members = [make_user(db.session).id for _ in range(10)]
    db.session.commit()
    slug = topics[0].slug

    def ask_as(member_id: int):
        def submit():
            session = _db.session
            author = session.get(User, member_id)
            thread = service.ask_question(
                session, author, title=f"Member {member_id} has no signal", body="Since noon.",
                tags=[slug],
            )  # fmt: skip
            session.commit()
            return thread.id

        return submit

    outcomes = at_once(app, [ask_as(member_id) for member_id in members])

    assert [type(outcome) for outcome in outcomes] == [int] * 10
    db.session.expire_all()
    assert queries.thread_counts(db.session, topics[0], None)["unanswered"] == 10
    assert queries.thread_counts(db.session, None, "en")["all"] == 10
