"""What one member's own pages read: their questions and replies, what they follow, and
the unanswered questions in their topics (a super-user's shortest way to help)."""

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session, selectinload

from community.models import Post, PostStatus, TagFollow, Thread, ThreadFollow, thread_tags
from community.queries import _filtered, _listed
from portal.models import Tag, User

_SHOWN_TO_AUTHOR = (PostStatus.VISIBLE.value, PostStatus.HELD.value)


def _with_rows(query: Select) -> Select:
    """What a thread row shows, loaded with the threads."""
    return query.options(
        selectinload(Thread.tags),
        selectinload(Thread.author),
        selectinload(Thread.solution),
        selectinload(Thread.question),
    )


def my_questions(user: User) -> Select:
    """The member's questions, held ones included (they see them), newest activity first."""
    query = (
        select(Thread)
        .join(Post, (Post.thread_id == Thread.id) & Post.is_question.is_(True))
        .where(Thread.author_id == user.id, Post.status.in_(_SHOWN_TO_AUTHOR))
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
    )
    return _with_rows(query)


def my_replies(user: User) -> Select:
    """Public threads the member answered, the one they answered last first."""
    last_reply = (
        select(Post.thread_id, func.max(Post.created_at).label("replied_at"))
        .where(
            Post.author_id == user.id,
            Post.is_question.is_(False),
            Post.status.in_(_SHOWN_TO_AUTHOR),
        )
        .group_by(Post.thread_id)
        .subquery()
    )
    query = (
        _listed(None)
        .join(last_reply, last_reply.c.thread_id == Thread.id)
        .order_by(last_reply.c.replied_at.desc(), Thread.id.desc())
    )
    return _with_rows(query)


def followed_threads(user: User) -> Select:
    """Public threads the member follows (asking or replying follows too), latest first."""
    query = (
        _listed(None)
        .join(ThreadFollow, ThreadFollow.thread_id == Thread.id)
        .where(ThreadFollow.user_id == user.id)
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
    )
    return _with_rows(query)


def followed_tags(session: Session, user: User) -> list[Tag]:
    query = (
        select(Tag)
        .join(TagFollow, TagFollow.tag_id == Tag.id)
        .where(TagFollow.user_id == user.id)
        .order_by(Tag.name)
    )
    return list(session.scalars(query))


def answered_tags(session: Session, user: User, limit: int = 5) -> list[Tag]:
    """The topics the member answered in most: their topics when they follow none."""
    query = (
        select(Tag)
        .join(thread_tags, thread_tags.c.tag_id == Tag.id)
        .join(Post, Post.thread_id == thread_tags.c.thread_id)
        .where(
            Post.author_id == user.id,
            Post.is_question.is_(False),
            Post.status == PostStatus.VISIBLE.value,
        )
        .group_by(Tag.id)
        .order_by(func.count(Post.id).desc(), Tag.name)
        .limit(limit)
    )
    return list(session.scalars(query))


def my_topics(session: Session, user: User) -> tuple[list[Tag], bool]:
    """The member's topics and whether they chose them (followed) or we guessed them
    (answered most)."""
    followed = followed_tags(session, user)
    return (followed, True) if followed else (answered_tags(session, user), False)


def unanswered_in(tags: list[Tag], user: User) -> Select:
    """Unanswered, unsolved public threads in these topics that the member did not ask,
    oldest first: the ones waiting longest need an answer most."""
    tag_ids = [tag.id for tag in tags] or [-1]
    in_topics = exists().where(
        thread_tags.c.thread_id == Thread.id, thread_tags.c.tag_id.in_(tag_ids)
    )
    query = (
        _filtered(_listed(None), "unanswered")
        .where(in_topics, Thread.author_id != user.id, Thread.locked_at.is_(None))
        .where(Thread.duplicate_of_id.is_(None))
        .order_by(Thread.created_at, Thread.id)
    )
    return _with_rows(query)
