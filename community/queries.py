"""Read side of the community: thread lists with filters and sorts, counts, a thread's posts."""

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from community import listing
from community.models import AcceptedSolution, Post, PostStatus, Thread, Vote, thread_tags
from portal.i18n import N_
from portal.models import Tag, User
from portal.permissions import can_moderate

# Labels for the catalogs (N_): the page shows them in its own language.
FILTERS = {
    "all": N_("All"),
    "unanswered": N_("Unanswered"),
    "unsolved": N_("Unsolved"),
    "solved": N_("Solved"),
}
SORTS = {"active": N_("Recently active"), "newest": N_("Newest"), "votes": N_("Most voted")}


def _listed(tag: Tag | None, language: str | None = None) -> Select:
    """Threads whose question is visible, optionally in one tag and one language (the
    thread's is its question's): read from the thread's listing columns, no post joined."""
    query = select(Thread).where(Thread.is_listed.is_(True))
    if language is not None:
        query = query.where(Thread.question_language == language)
    if tag is not None:
        query = query.where(
            exists().where(thread_tags.c.thread_id == Thread.id, thread_tags.c.tag_id == tag.id)
        )
    return query


def _filtered(query: Select, name: str) -> Select:
    if name == "unanswered":
        return query.where(Thread.reply_count == 0, Thread.is_solved.is_(False))
    if name == "unsolved":
        return query.where(Thread.is_solved.is_(False))
    if name == "solved":
        return query.where(Thread.is_solved.is_(True))
    return query


def thread_list(
    *,
    tag: Tag | None = None,
    filter: str = "all",
    sort: str = "active",
    language: str | None = None,
) -> Select:
    """The statement for one list page (paginate it); unknown filters and sorts fall back.
    Each sort walks its index (models.Thread's ix_community_threads_listed_*) in order."""
    query = _filtered(_listed(tag, language), filter if filter in FILTERS else "all")
    order = {
        "newest": (Thread.created_at.desc(),),
        "votes": (Thread.question_score.desc(), Thread.last_activity_at.desc()),
    }.get(sort, (Thread.last_activity_at.desc(),))
    return query.order_by(*order, Thread.id.desc()).options(
        selectinload(Thread.tags), selectinload(Thread.author)
    )


def thread_counts(
    session: Session, tag: Tag | None = None, language: str | None = None
) -> dict[str, int]:
    """How many threads each filter shows (in one language, if given): one stored row."""
    return listing.tab_counts(session, tag.id if tag is not None else None, language)


def can_see_post(viewer: User, post: Post) -> bool:
    """Held posts are seen by their author and moderators; hidden ones by moderators."""
    if post.status == PostStatus.HELD:
        return can_moderate(viewer) or getattr(viewer, "id", None) == post.author_id
    if post.status == PostStatus.HIDDEN:
        return can_moderate(viewer)
    return True


def can_see_post_files(viewer: User, post: Post) -> bool:
    """A post's attachments: as its text; a deleted post's only for moderators."""
    if post.status == PostStatus.DELETED:
        return can_moderate(viewer)
    return can_see_thread(viewer, post.thread) and can_see_post(viewer, post)


def post_files_visible(session: Session, viewer: User, post_id: int) -> bool:
    """For portal/attachments.py: may this viewer fetch the files of post post_id?"""
    post = session.get(Post, post_id)
    return post is not None and can_see_post_files(viewer, post)


def can_see_thread(viewer: User, thread: Thread) -> bool:
    question = thread.question
    if question is None or question.status == PostStatus.DELETED:
        return can_moderate(viewer)
    return can_see_post(viewer, question)


def replies_for(viewer: User, thread: Thread) -> list[Post]:
    """The replies a viewer may see, oldest first (deleted ones stay as placeholders)."""
    return [p for p in thread.posts if not p.is_question and can_see_post(viewer, p)]


def thread_for_page(session: Session, thread_id: int) -> Thread | None:
    """A thread with what its page shows, in three statements whatever its size: the thread
    with its solution (and who accepted it) and original; its topics; then every post
    with its author. The question and the solution's post come from those posts."""
    thread = (
        session.scalars(
            select(Thread)
            .where(Thread.id == thread_id)
            .options(
                # Topics in a statement of their own: joined, SQLite materialises the whole
                # thread-topic table for each page (63 ms at 100k threads; bench/pages.py).
                selectinload(Thread.tags),
                joinedload(Thread.solution).joinedload(AcceptedSolution.accepted_by),
                joinedload(Thread.duplicate_of),
            )
        )
        .unique()
        .one_or_none()
    )
    if thread is None:
        return None
    posts = list(
        session.scalars(
            select(Post)
            .where(Post.thread_id == thread.id)
            .order_by(Post.created_at, Post.id)
            .options(joinedload(Post.author))
        )
    )
    set_committed_value(thread, "posts", posts)
    set_committed_value(thread, "question", next((p for p in posts if p.is_question), None))
    return thread


def votes_by(session: Session, viewer: User, posts: list[Post]) -> dict[int, int]:
    """{post_id: +1/-1} for the viewer's own votes on these posts."""
    if not getattr(viewer, "is_authenticated", False) or not posts:
        return {}
    rows = session.execute(
        select(Vote.post_id, Vote.value).where(
            Vote.user_id == viewer.id, Vote.post_id.in_([p.id for p in posts])
        )
    )
    return dict(rows.all())


def recent_solutions(session: Session, limit: int = 5) -> list[AcceptedSolution]:
    query = select(AcceptedSolution).order_by(AcceptedSolution.accepted_at.desc()).limit(limit)
    return list(session.scalars(query.options(selectinload(AcceptedSolution.thread))))


def solved_threads_tagged(session: Session, tag: Tag, limit: int = 8) -> tuple[list[Thread], int]:
    """The tag's most recently solved public threads, and how many solved threads it has."""
    query = _filtered(_listed(tag), "solved").where(Thread.duplicate_of_id.is_(None))
    total = session.scalar(
        select(func.count()).select_from(query.with_only_columns(Thread.id).subquery())
    )
    recent = (
        query.join(AcceptedSolution, AcceptedSolution.thread_id == Thread.id)
        .order_by(AcceptedSolution.accepted_at.desc(), Thread.id.desc())
        .limit(limit)
        .options(selectinload(Thread.solution), selectinload(Thread.question))
    )
    return list(session.scalars(recent)), total or 0


def sitemap_threads(session: Session) -> list[tuple[int, object]]:
    """(thread id, last activity) of every public thread that is not a duplicate."""
    query = (
        _listed(None)
        .where(Thread.duplicate_of_id.is_(None))
        .with_only_columns(Thread.id, Thread.last_activity_at)
        .order_by(Thread.id)
    )
    return [(thread_id, at) for thread_id, at in session.execute(query)]
