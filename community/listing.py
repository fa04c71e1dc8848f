"""What the community lists read without touching the posts: each thread's listing columns
and the number of threads under each filter tab, per topic and language.

The lists used to join every question and count four filter tabs plus the paginator, each a
``COUNT(*)`` over every thread: at 100k threads a list page took ~50 times longer than at
2k (issue #22). Now:

* ``Thread.is_listed / question_language / question_score / is_solved`` copy what the
  lists filter and sort on. ``refresh`` recomputes them from the question and the solution
  in one statement; ``community.announce.changed`` calls it for every change to a thread
  (ask, reply, edit, delete, hide, release from moderation, solve, retag, imports) and
  ``vote`` for a vote on a question, so no other code writes them.
* ``community_list_counts`` holds, per topic (0: every topic) and language ("": every
  language), how many listed threads are unanswered, answered but unsolved, and solved.
  A change marks the thread's topics; when the transaction commits, the marked topics are
  counted again from the threads (exact, never a running sum that could drift), under a
  lock on the "every topic" row, so concurrent writers count one after the other and each
  count sees the others' commits. Readers read one row: the tabs are never stale, on any
  number of workers, with or without Redis. The price is paid by the writer: a count of
  the listed threads per committed change, from the covering index
  ix_community_threads_listed_counts (at 100k threads on SQLite ~64 ms for every topic and
  ~90 ms for a topic of ~15k threads, measured under a load of 12 on 2 cores), and writers
  of the community queue one after the other for that moment.
"""

from sqlalchemy import and_, case, event, exists, func, select, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from community.models import AcceptedSolution, ListCount, Post, PostStatus, Thread, thread_tags

ALL_TAGS, ALL_LANGUAGES = 0, ""
_DIRTY = "community.list_counts_dirty"  # session.info key: tag ids to count at commit
_LISTING = ["is_listed", "question_language", "question_score", "is_solved"]


def listing_values(thread_id) -> dict:
    """The listing columns as SQL over the question and the solution (thread_id: a column
    for the migration's set-based backfill, or a value)."""
    question = and_(Post.thread_id == thread_id, Post.is_question.is_(True))
    return {
        "is_listed": exists().where(question, Post.status == PostStatus.VISIBLE.value),
        "question_language": select(Post.language).where(question).limit(1).scalar_subquery(),
        "question_score": func.coalesce(
            select(Post.score).where(question).limit(1).scalar_subquery(), 0
        ),
        "is_solved": exists().where(AcceptedSolution.thread_id == thread_id),
    }


def refresh(session: Session, thread: Thread, *, counts: bool = True) -> None:
    """Copy the question's and the solution's state onto the thread; with ``counts``, count
    its topics' tabs again when the transaction commits."""
    session.flush()
    session.execute(
        update(Thread)
        .where(Thread.id == thread.id)
        .values(**listing_values(thread.id))
        .execution_options(synchronize_session=False)
    )
    session.expire(thread, _LISTING)
    if counts:
        tag_ids = session.scalars(
            select(thread_tags.c.tag_id).where(thread_tags.c.thread_id == thread.id)
        )
        mark_tags(session, tag_ids)


def mark_tags(session: Session, tag_ids) -> None:
    """Count these topics' tabs again (and every topic's) when the transaction commits."""
    dirty = session.info.setdefault(_DIRTY, {ALL_TAGS})
    dirty.update(tag_ids)


@event.listens_for(Session, "before_commit")
def _count_marked(session: Session) -> None:
    # At the real commit only: a savepoint's release would take the counts' lock early and
    # hold it while the transaction goes on to lock threads.
    if session.in_nested_transaction():
        return
    dirty = session.info.pop(_DIRTY, None)
    if dirty:
        session.flush()
        recount(session, sorted(dirty))


@event.listens_for(Session, "after_soft_rollback")
def _forget_marked(session: Session, previous_transaction) -> None:
    # Only when the whole transaction is rolled back: a savepoint's rollback leaves what
    # the transaction changed before it (an extra mark only means an exact count more).
    if previous_transaction.parent is None and not previous_transaction.nested:
        session.info.pop(_DIRTY, None)


def _buckets():
    """Unanswered, answered (not solved), solved: every tab is a sum of these."""
    unanswered = and_(Thread.is_solved.is_(False), Thread.reply_count == 0)
    answered = and_(Thread.is_solved.is_(False), Thread.reply_count > 0)
    return (
        func.sum(case((unanswered, 1), else_=0)),
        func.sum(case((answered, 1), else_=0)),
        func.sum(case((Thread.is_solved, 1), else_=0)),
    )


def count_tags(session: Session, tag_ids: list[int]) -> dict[tuple[int, str], tuple]:
    """{(tag id, language): (unanswered, answered, solved)} counted from the threads, with
    the every-language rows; every asked topic has at least its "" row."""
    found: dict[tuple[int, str], list[int]] = {
        (tag_id, ALL_LANGUAGES): [0, 0, 0] for tag_id in tag_ids
    }
    listed = Thread.is_listed.is_(True)
    rows = []
    if ALL_TAGS in tag_ids:
        rows += session.execute(
            select(ALL_TAGS, Thread.question_language, *_buckets())
            .where(listed)
            .group_by(Thread.question_language)
        ).all()
    topics = [tag_id for tag_id in tag_ids if tag_id != ALL_TAGS]
    if topics:
        rows += session.execute(
            select(thread_tags.c.tag_id, Thread.question_language, *_buckets())
            .join(thread_tags, thread_tags.c.thread_id == Thread.id)
            .where(listed, thread_tags.c.tag_id.in_(topics))
            .group_by(thread_tags.c.tag_id, Thread.question_language)
        ).all()
    for tag_id, language, *numbers in rows:
        for key in ((tag_id, language), (tag_id, ALL_LANGUAGES)):  # a question has one
            totals = found.setdefault(key, [0, 0, 0])
            for index, number in enumerate(numbers):
                totals[index] += number or 0
    return {key: tuple(values) for key, values in found.items()}


def recount(session: Session, tag_ids: list[int]) -> None:
    """Count the tabs of these topics again and store them (sorted ids, ALL_TAGS first)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    anchors = [
        {"tag_id": t, "language": ALL_LANGUAGES, "unanswered": 0, "answered": 0, "solved": 0}
        for t in tag_ids
    ]
    session.execute(dialect.insert(ListCount).values(anchors).on_conflict_do_nothing())
    # Writers queue here (PostgreSQL; SQLite has one writer anyway): the count below then
    # sees every transaction that held the lock before, so no commit's change is lost.
    session.execute(
        select(ListCount.tag_id)
        .where(ListCount.tag_id.in_(tag_ids), ListCount.language == ALL_LANGUAGES)
        .order_by(ListCount.tag_id)
        .with_for_update()
    ).all()
    counted = count_tags(session, tag_ids)
    session.execute(
        update(ListCount)
        .where(ListCount.tag_id.in_(tag_ids))
        .values(unanswered=0, answered=0, solved=0)
    )
    rows = [
        {"tag_id": t, "language": language, "unanswered": u, "answered": a, "solved": s}
        for (t, language), (u, a, s) in sorted(counted.items())
    ]
    insert = dialect.insert(ListCount).values(rows)
    session.execute(
        insert.on_conflict_do_update(
            index_elements=["tag_id", "language"],
            set_={name: insert.excluded[name] for name in ("unanswered", "answered", "solved")},
        )
    )


def recount_everything(session: Session) -> None:
    """Count every topic's tabs from the threads (after rows were written directly: the
    demo, an archive import)."""
    tag_ids = session.scalars(select(thread_tags.c.tag_id).distinct()).all()
    recount(session, sorted({ALL_TAGS, *tag_ids}))


def refresh_everything(session: Session) -> None:
    """Every thread's listing columns in one statement, then every count."""
    session.flush()
    session.execute(
        update(Thread)
        .where(true())
        .values(**listing_values(Thread.id))
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    recount_everything(session)


def tab_counts(session: Session, tag_id: int | None, language: str | None) -> dict[str, int]:
    """How many threads each filter tab shows: one row read. A topic never counted yet
    (rows written without the services) is counted now and not stored: a page only reads."""
    tag_id = tag_id or ALL_TAGS
    language = language or ALL_LANGUAGES
    anchor = session.execute(
        select(ListCount.tag_id, ListCount.unanswered, ListCount.answered, ListCount.solved)
        .where(ListCount.tag_id == tag_id, ListCount.language.in_([language, ALL_LANGUAGES]))
        .order_by(ListCount.language.desc())
    ).all()
    if not anchor:
        found = count_tags(session, [tag_id]).get((tag_id, language), (0, 0, 0))
    elif len(anchor) == 1 and language != ALL_LANGUAGES:
        found = (0, 0, 0)  # the topic is counted and has no thread in this language
    else:
        found = tuple(anchor[0][1:])
    unanswered, answered, solved = found
    return {
        "all": unanswered + answered + solved,
        "unanswered": unanswered,
        "unsolved": unanswered + answered,
        "solved": solved,
    }
