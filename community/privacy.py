"""A deleted account in the community.

Questions, replies and their edit history stay under the emptied account ("Deleted
member"): other members' answers and votes refer to them. Votes stay too, so scores and
the reputation others earned do not change. What was only about the member goes: the
threads and topics they followed and their reputation ledger. Posts the member had deleted
themselves lose their text (and a question its title) for good, edit history included.
"""

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from community.announce import changed
from community.models import (
    Post,
    PostRevision,
    PostStatus,
    ReputationEvent,
    TagFollow,
    ThreadFollow,
)
from portal.models import User

DELETED_QUESTION_TITLE = "Deleted question"


def on_user_deleting(sender, *, session: Session, user: User, **data) -> None:
    session.execute(delete(ThreadFollow).where(ThreadFollow.user_id == user.id))
    session.execute(delete(TagFollow).where(TagFollow.user_id == user.id))
    session.execute(delete(ReputationEvent).where(ReputationEvent.user_id == user.id))
    deleted_by_themself = session.scalars(
        select(Post).where(
            Post.author_id == user.id,
            Post.status == PostStatus.DELETED.value,
            Post.removed_by_id == user.id,
        )
    ).all()
    for post in deleted_by_themself:
        post.body = ""
        if post.is_question:
            post.thread.title = DELETED_QUESTION_TITLE
        session.execute(delete(PostRevision).where(PostRevision.post_id == post.id))
        changed(session, post.thread, post, "post_edited")
