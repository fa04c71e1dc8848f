"""The "similar questions" box: computed when a thread changes, read with one query.

Finding a thread's neighbours in meaning costs a vector search and, to print five titles,
used to load ten whole threads on every view. Now the index keeper, once it has indexed a
changed thread (indexing.catch_up), enqueues ``search.similar_threads``; the job stores
the thread's closest public questions in ``search_similar_threads``, and refreshes the
lists of those neighbours too, so a new question shows up beside the older ones it
resembles. The page reads titles with one query that keeps only threads a visitor may
open now: a question held, hidden or deleted after the list was made never shows.

Lists of threads that did not change are not recomputed: a neighbour may be missing until
one of the two threads changes, or until `flask search similar` recomputes them all.
"""

from flask import url_for
from sqlalchemy import and_, delete, insert, select
from sqlalchemy.orm import Session

from community.models import AcceptedSolution, Post, PostStatus, Thread
from portal.jobs import enqueue, job
from search import documents, encoding
from search.models import SimilarThread

JOB = "search.similar_threads"
SHOWN = 5
# Kept beyond what is shown, so a neighbour hidden later leaves the box full.
KEPT = 10


def enqueue_for(session: Session, keys) -> None:
    """After the index took these documents: recompute the boxes of the threads among them."""
    thread_ids = [
        parsed[1] for parsed in map(documents.split_key, keys) if parsed and parsed[0] == "thread"
    ]
    if thread_ids:
        enqueue(session, JOB, thread_ids=thread_ids)


def _neighbours(session: Session, index, thread_id: int) -> list[int]:
    keys = index.neighbours(documents.doc_key("thread", thread_id), KEPT, encoding.min_similarity())
    public = documents.visible_keys(session, None, keys)
    return [documents.split_key(key)[1] for key in keys if key in public]


def store(session: Session, index, thread_id: int) -> list[int]:
    """Replace one thread's list with its public neighbours in the index; them."""
    ids = _neighbours(session, index, thread_id)
    session.execute(delete(SimilarThread).where(SimilarThread.thread_id == thread_id))
    exists = session.scalar(select(Thread.id).where(Thread.id == thread_id))
    if ids and exists is not None:
        rows = [{"thread_id": thread_id, "position": i, "similar_id": s} for i, s in enumerate(ids)]
        session.execute(insert(SimilarThread), rows)
    return ids


@job(JOB)
def refresh_similar_threads(session: Session, thread_ids: list[int]) -> None:
    """The changed threads' lists, then their neighbours' (idempotent: lists are replaced)."""
    from search import indexing

    # The current generation as it is: never a rebuild from inside a job (the keeper's).
    generation = indexing.current_generation()
    if generation is None or indexing.is_damaged(generation):
        raise indexing.SearchUnavailable("no usable index yet")  # tried again later
    index = indexing.open_generation(generation)
    again: set[int] = set()
    for thread_id in thread_ids:
        again.update(store(session, index, thread_id))
    for thread_id in sorted(again - set(thread_ids)):
        store(session, index, thread_id)


def shown(session: Session, thread_id: int) -> list[dict]:
    """The box of one thread: title, language, solved, address; public threads only."""
    query = (
        select(Thread.id, Thread.title, Post.language, AcceptedSolution.id)
        .select_from(SimilarThread)
        .join(Thread, Thread.id == SimilarThread.similar_id)
        .join(Post, and_(Post.thread_id == Thread.id, Post.is_question.is_(True)))
        .outerjoin(AcceptedSolution, AcceptedSolution.thread_id == Thread.id)
        .where(SimilarThread.thread_id == thread_id, Post.status == PostStatus.VISIBLE.value)
        .order_by(SimilarThread.position)
        .limit(SHOWN)
    )
    return [
        {
            "title": title,
            "language": language,
            "solved": solution is not None,
            "url": url_for("community.thread", thread_id=similar_id),
        }
        for similar_id, title, language, solution in session.execute(query)
    ]
