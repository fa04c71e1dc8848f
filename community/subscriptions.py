"""Following threads and tags, and who follows what (for notifications).

A follow is inserted unless present, in one statement: two clicks at once (or a reply
while the same person presses "Follow") make one follow and no error.
"""

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from community.models import TagFollow, Thread, ThreadFollow
from portal.database import insert_unless_present
from portal.models import Tag, User
from portal.permissions import is_signed_in, require


def follow_thread(session: Session, user: User, thread: Thread) -> None:
    """Follow a thread (asking or replying does it too); following twice is one follow."""
    require(is_signed_in(user), _("Sign in to follow threads."))
    session.flush()  # the thread needs its id
    insert_unless_present(session, ThreadFollow, user_id=user.id, thread_id=thread.id)


def unfollow_thread(session: Session, user: User, thread: Thread) -> None:
    session.execute(
        delete(ThreadFollow).where(
            ThreadFollow.user_id == user.id, ThreadFollow.thread_id == thread.id
        )
    )


def is_following_thread(session: Session, user: User, thread: Thread) -> bool:
    if not is_signed_in(user):
        return False
    query = select(ThreadFollow.id).where(
        ThreadFollow.user_id == user.id, ThreadFollow.thread_id == thread.id
    )
    return session.scalar(query) is not None


def follow_tag(session: Session, user: User, tag: Tag) -> None:
    require(is_signed_in(user), _("Sign in to follow topics."))
    insert_unless_present(session, TagFollow, user_id=user.id, tag_id=tag.id)


def unfollow_tag(session: Session, user: User, tag: Tag) -> None:
    session.execute(
        delete(TagFollow).where(TagFollow.user_id == user.id, TagFollow.tag_id == tag.id)
    )


def is_following_tag(session: Session, user: User, tag: Tag) -> bool:
    if not is_signed_in(user):
        return False
    query = select(TagFollow.id).where(TagFollow.user_id == user.id, TagFollow.tag_id == tag.id)
    return session.scalar(query) is not None


def thread_followers(session: Session, thread: Thread) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .join(ThreadFollow, ThreadFollow.user_id == User.id)
            .where(ThreadFollow.thread_id == thread.id)
        )
    )


def tag_followers(session: Session, tags: list[Tag]) -> list[User]:
    tag_ids = [tag.id for tag in tags]
    return list(
        session.scalars(
            select(User)
            .join(TagFollow, TagFollow.user_id == User.id)
            .where(TagFollow.tag_id.in_(tag_ids))
            .distinct()
        )
    )
