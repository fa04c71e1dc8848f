"""A deleted account in the community, and a member's community data for download.

Questions, replies and their edit history stay under the emptied account ("Deleted
member"): other members' answers and votes refer to them. Votes stay too, so scores and
the reputation others earned do not change. What was only about the member goes: the
threads and topics they followed and their reputation ledger. Posts the member had deleted
themselves lose their text (and a question its title) for good, edit history included.
"""

from flask_babel import force_locale, gettext
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from community.announce import changed
from community.models import (
    AcceptedSolution,
    Post,
    PostRevision,
    PostStatus,
    ReputationEvent,
    TagFollow,
    Thread,
    ThreadFollow,
    Vote,
)
from portal.i18n import N_, site_default
from portal.models import Tag, User

# Stored as the title, in the site's default language (the post is gone: nobody reads it
# in another), and so is the question's language.
DELETED_QUESTION_TITLE = N_("Deleted question")


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
    language = site_default(session)
    for post in deleted_by_themself:
        post.body = ""
        if post.is_question:
            with force_locale(language):
                post.thread.title = gettext(DELETED_QUESTION_TITLE)
            post.language = language
        session.execute(delete(PostRevision).where(PostRevision.post_id == post.id))
        changed(session, post.thread, post, "post_edited")


def rows(session: Session, statement) -> list[dict]:
    """Each row as a dict of its labelled columns: no ORM objects for thousands of posts."""
    return [row._asdict() for row in session.execute(statement)]


def on_data_collecting(sender, *, session: Session, user: User, data: dict, **extra) -> None:
    posts = rows(
        session,
        select(
            Post.id,
            Post.thread_id,
            Thread.title.label("thread_title"),
            Post.is_question,
            Post.body,
            Post.language,
            Post.status,
            Post.score,
            Post.created_at,
            Post.edited_at,
        )
        .join(Thread, Thread.id == Post.thread_id)
        .where(Post.author_id == user.id)
        .order_by(Post.id),
    )
    revisions = rows(
        session,
        select(
            PostRevision.post_id,
            PostRevision.previous_title.label("title"),
            PostRevision.previous_body.label("body"),
            PostRevision.edited_at.label("replaced_at"),
        )
        .join(Post, Post.id == PostRevision.post_id)
        .where(Post.author_id == user.id)
        .order_by(PostRevision.id),
    )
    votes = rows(
        session,
        select(Vote.post_id, Vote.value, Vote.created_at.label("at"))
        .where(Vote.user_id == user.id)
        .order_by(Vote.id),
    )
    accepted = rows(
        session,
        select(
            AcceptedSolution.thread_id,
            AcceptedSolution.post_id,
            AcceptedSolution.accepted_at.label("at"),
        ).where(AcceptedSolution.accepted_by_id == user.id),
    )
    followed_threads = rows(
        session,
        select(Thread.id, Thread.title)
        .join(ThreadFollow, ThreadFollow.thread_id == Thread.id)
        .where(ThreadFollow.user_id == user.id)
        .order_by(Thread.id),
    )
    followed_tags = session.scalars(
        select(Tag.slug)
        .join(TagFollow, TagFollow.tag_id == Tag.id)
        .where(TagFollow.user_id == user.id)
        .order_by(Tag.slug)
    )
    ledger = rows(
        session,
        select(
            ReputationEvent.points,
            ReputationEvent.reason,
            ReputationEvent.post_id,
            ReputationEvent.created_at.label("at"),
        )
        .where(ReputationEvent.user_id == user.id)
        .order_by(ReputationEvent.id),
    )
    data["community"] = {
        "posts": posts,
        "earlier_versions_of_your_posts": revisions,
        "votes": votes,
        "solutions_you_accepted": accepted,
        "followed_threads": followed_threads,
        "followed_tags": list(followed_tags),
        "reputation": {"total": sum(event["points"] for event in ledger), "events": ledger},
    }
