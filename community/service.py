"""Community rules: ask, reply, edit with history, delete, hide, lock, vote, accept.

Every function flushes and never commits: the view commits once. Each one checks its
permission again with ``require`` even though the views and templates ask the same rules.
Votes and accepted solutions live in community/solutions.py and are re-exported here.
"""

import re
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from community.announce import changed
from community.models import (
    TAGS_MAX,
    TAGS_MIN,
    TITLE_MAX,
    TITLE_MIN,
    Post,
    PostRevision,
    PostStatus,
    Thread,
)
from community.solutions import (  # noqa: F401  (one entry point for views)
    accept_solution,
    drop_solution,
    vote,
    withdraw_solution,
)
from community.subscriptions import follow_thread
from portal import events
from portal import service as portal_service
from portal.database import lock_row, utcnow
from portal.errors import DuplicateSubmission, ValidationFailed
from portal.models import Tag, User
from portal.permissions import (
    can_create_tags_while_posting,
    can_delete_post,
    can_edit_post,
    can_hide_post,
    can_lock_thread,
    can_post,
    require,
)


def check_title(title: str) -> str:
    title = " ".join((title or "").split())
    if len(title) < TITLE_MIN:
        raise ValidationFailed(
            f"Give your question a title of at least {TITLE_MIN} characters.", field="title"
        )
    if len(title) > TITLE_MAX:
        raise ValidationFailed(f"Keep the title under {TITLE_MAX} characters.", field="title")
    return title


def check_body(body: str) -> str:
    """A non-empty body no larger than POST_BODY_MAX_BYTES (50 kB by default)."""
    body = (body or "").strip()
    if not body:
        raise ValidationFailed("Write something first.", field="body")
    limit = current_app.config["POST_BODY_MAX_BYTES"]
    if len(body.encode()) > limit:
        raise ValidationFailed(f"That is too long: keep it under {limit // 1000} kB.", field="body")
    return body


def split_tag_input(text: str | list[str]) -> list[str]:
    """'wi-fi, Router  billing' → ['wi-fi', 'router', 'billing'] (slugs, in order, once each)."""
    parts = text if isinstance(text, list) else re.split(r"[,\s]+", text or "")
    return list(dict.fromkeys(portal_service.slugify(p) for p in parts if p.strip()))


def resolve_tags(session: Session, actor: User, text: str | list[str]) -> list[Tag]:
    """1–5 existing tags; super-users and staff may name new ones, which are then created."""
    slugs = [slug for slug in split_tag_input(text) if slug]
    if not TAGS_MIN <= len(slugs) <= TAGS_MAX:
        raise ValidationFailed(f"Choose between {TAGS_MIN} and {TAGS_MAX} tags.", field="tags")
    found = {t.slug: t for t in session.scalars(select(Tag).where(Tag.slug.in_(slugs)))}
    unknown = [slug for slug in slugs if slug not in found]
    if unknown and not can_create_tags_while_posting(actor):
        raise ValidationFailed(
            f"Unknown tag: {', '.join(unknown)}. Pick tags from the list.", field="tags"
        )
    for slug in unknown:
        found[slug] = portal_service.create_tag(session, None, name=slug)
    return [found[slug] for slug in slugs]


def refresh_reply_count(session: Session, thread: Thread) -> None:
    # Under the thread's lock: a count taken beside another reply's transaction misses it.
    lock_row(session, Thread, thread.id)
    thread.reply_count = session.scalar(
        select(func.count(Post.id)).where(
            Post.thread_id == thread.id,
            Post.is_question.is_(False),
            Post.status == PostStatus.VISIBLE.value,
        )
    )


def _submit(session: Session, post: Post) -> None:
    """Let moderation look at a new post before it is shown, then go live unless held."""
    session.flush()
    # A subscriber (the moderation package) may set post.status to "held" here.
    events.publish("community.post_submitted", post=post, thread=post.thread, actor=post.author)
    if post.status == PostStatus.VISIBLE:
        go_live(session, post)


def go_live(session: Session, post: Post) -> None:
    """Announce a post that just became visible (also called when moderation releases one)."""
    post.status = PostStatus.VISIBLE.value
    thread = post.thread
    name = "community.thread_created" if post.is_question else "community.reply_created"
    if not post.is_question:
        refresh_reply_count(session, thread)
        thread.last_activity_at = utcnow()
    session.flush()
    events.publish(name, thread=thread, post=post, actor=post.author)
    changed(session, thread, post, name.removeprefix("community."))


def ask_question(
    session: Session, author: User, *, title: str, body: str, tags: str | list[str]
) -> Thread:
    """Open a thread: its question is the first post; the asker follows it."""
    require(can_post(author), "Sign in to ask a question.")
    title, body = check_title(title), check_body(body)
    thread = Thread(title=title, author=author, tags=resolve_tags(session, author, tags))
    session.add(thread)
    post = Post(thread=thread, author=author, is_question=True, body=body)
    session.add(post)
    follow_thread(session, author, thread)
    _submit(session, post)
    return thread


def reply(session: Session, author: User, thread: Thread, *, body: str) -> Post:
    """Add a reply at the end of an open thread; the replier follows it."""
    require(can_post(author), "Sign in to reply.")
    if thread.is_duplicate:
        raise ValidationFailed(
            "This thread was closed as a duplicate; reply in the original.", field="body"
        )
    if thread.is_locked:
        raise ValidationFailed("This thread is locked; it takes no new replies.", field="body")
    if thread.question is None or thread.question.status != PostStatus.VISIBLE:
        raise ValidationFailed("This question was removed; it takes no replies.", field="body")
    body = check_body(body)
    lock_row(session, Thread, thread.id)  # replies to a thread are added one at a time
    post = Post(thread=thread, author=author, body=body)
    session.add(post)
    session.flush()  # written first: on SQLite that takes the writer lock before we look
    original = same_reply_just_posted(session, post)
    if original is not None:
        raise DuplicateSubmission(
            "You had just posted this reply; here it is.", original_id=original.id
        )
    follow_thread(session, author, thread)
    _submit(session, post)
    return post


def same_reply_just_posted(session: Session, post: Post) -> Post | None:
    """The author's identical reply in the thread from the last POST_RESUBMIT_SECONDS: this
    one is a double click or a form sent again, not something new to say."""
    seconds = current_app.config["POST_RESUBMIT_SECONDS"]
    if not seconds:
        return None
    return session.scalar(
        select(Post)
        .where(
            Post.thread_id == post.thread_id,
            Post.author_id == post.author_id,
            Post.id != post.id,
            Post.is_question.is_(False),
            Post.status.in_([PostStatus.VISIBLE.value, PostStatus.HELD.value]),
            Post.created_at >= utcnow() - timedelta(seconds=seconds),
            Post.body == post.body,
        )
        .order_by(Post.id)
        .limit(1)
    )


def edit_post(
    session: Session, actor: User, post: Post, *, body: str, title: str | None = None
) -> bool:
    """Change a post, keeping what it said before as a revision; False when nothing changed."""
    require(can_edit_post(actor, post), "Only the author or a moderator can edit this post.")
    if post.status in {PostStatus.DELETED, PostStatus.HIDDEN}:
        raise ValidationFailed("This post was removed; it can no longer be edited.")
    body = check_body(body)
    thread = post.thread
    new_title = check_title(title) if post.is_question and title is not None else thread.title
    if body == post.body and new_title == thread.title:
        return False
    session.add(
        PostRevision(
            post=post,
            previous_title=thread.title if post.is_question else None,
            previous_body=post.body,
            editor_id=actor.id,
        )
    )
    post.body, thread.title = body, new_title
    post.edited_at, post.edited_by_id = utcnow(), actor.id
    session.flush()
    events.publish("community.post_edited", post=post, thread=thread, actor=actor)
    changed(session, thread, post, "post_edited")
    return True


def _remove(session: Session, actor: User, post: Post, status: PostStatus) -> None:
    post.status, post.removed_at, post.removed_by_id = status.value, utcnow(), actor.id
    thread = post.thread
    drop_solution(session, thread, post)
    refresh_reply_count(session, thread)
    session.flush()


def delete_post(session: Session, actor: User, post: Post) -> None:
    """Soft delete: the post stays in the database, shown as 'deleted' in its thread."""
    require(can_delete_post(actor, post), "Only the author or a moderator can delete this post.")
    if post.status == PostStatus.DELETED:
        return
    _remove(session, actor, post, PostStatus.DELETED)
    events.publish("community.post_deleted", post=post, thread=post.thread, actor=actor)
    changed(session, post.thread, post, "post_deleted")


def hide_post(session: Session, actor: User, post: Post, *, reason: str = "") -> None:
    """A moderator takes a post off the page (the moderation package adds the queue)."""
    require(can_hide_post(actor), "Only moderators hide posts.")
    if post.status in {PostStatus.HIDDEN, PostStatus.DELETED}:
        return
    _remove(session, actor, post, PostStatus.HIDDEN)
    events.publish(
        "community.post_hidden", post=post, thread=post.thread, actor=actor, reason=reason
    )
    changed(session, post.thread, post, "post_hidden")


def lock_thread(session: Session, actor: User, thread: Thread, *, locked: bool = True) -> None:
    """Lock (no more replies) or unlock a thread."""
    require(can_lock_thread(actor), "Only moderators lock threads.")
    if locked == thread.is_locked:
        return
    thread.locked_at, thread.locked_by_id = (utcnow(), actor.id) if locked else (None, None)
    session.flush()
    name = "community.thread_locked" if locked else "community.thread_unlocked"
    events.publish(name, thread=thread, actor=actor)
    changed(session, thread, None, name.removeprefix("community."))
