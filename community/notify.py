"""Who hears about community activity: askers, answerers, followers and @mentioned users.

Subscribed to the in-transaction events in community.init_app, so a notification exists
exactly when the post does. Each person gets one notification per event, the most
specific one (a mention beats "new reply to your question" beats "followed thread").
"""

from flask import has_request_context, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from community.subscriptions import tag_followers, thread_followers
from portal import notifications
from portal.markdown import MENTION  # the same @username the posts show as links
from portal.models import User

MAX_MENTIONS = 10  # a post naming the whole community should not page the whole community


def thread_link(thread, post=None) -> str:
    """The path of a thread (and anchor of a post), with or without a request."""
    anchor = f"#post-{post.id}" if post is not None and not post.is_question else ""
    if has_request_context():
        return url_for("community.thread", thread_id=thread.id) + anchor
    return f"/community/threads/{thread.id}{anchor}"


def mentioned_users(session: Session, body: str) -> list[User]:
    names = list(dict.fromkeys(name.lower() for name in MENTION.findall(body or "")))
    if not names:
        return []
    return list(session.scalars(select(User).where(User.username.in_(names[:MAX_MENTIONS]))))


def _send(session: Session, recipients: dict, actor: User, link: str) -> None:
    for user, kind, message in recipients.values():
        if user.id != actor.id and not user.is_suspended:
            notifications.notify(session, user, kind=kind, message=message, link=link, actor=actor)


def _add(recipients: dict, users, kind: str, message: str) -> None:
    """Add users who have no (more specific) notification for this event yet."""
    for user in users:
        recipients.setdefault(user.id, (user, kind, message))


def on_thread_created(sender, *, thread, post, actor, **data) -> None:
    session, recipients = object_session(thread), {}
    _add(
        recipients,
        mentioned_users(session, post.body),
        "mention",
        f"{actor.name} mentioned you in “{thread.title}”",
    )
    tags = ", ".join(tag.name for tag in thread.tags)
    _add(
        recipients,
        tag_followers(session, thread.tags),
        "followed_tag",
        f"New question in {tags}: “{thread.title}”",
    )
    _send(session, recipients, actor, thread_link(thread))


def on_reply_created(sender, *, thread, post, actor, **data) -> None:
    session, recipients = object_session(thread), {}
    _add(
        recipients,
        mentioned_users(session, post.body),
        "mention",
        f"{actor.name} mentioned you in “{thread.title}”",
    )
    _add(
        recipients,
        [thread.author],
        "reply",
        f"{actor.name} replied to your question “{thread.title}”",
    )
    _add(
        recipients,
        thread_followers(session, thread),
        "followed_thread",
        f"{actor.name} replied in “{thread.title}”",
    )
    _send(session, recipients, actor, thread_link(thread, post))


def on_thread_solved(sender, *, thread, post, actor, **data) -> None:
    session, recipients = object_session(thread), {}
    _add(
        recipients,
        [post.author],
        "solution_accepted",
        f"Your reply in “{thread.title}” was accepted as the solution",
    )
    _add(
        recipients,
        [thread.author],
        "thread_solved",
        f"Your question “{thread.title}” has an accepted solution",
    )
    _send(session, recipients, actor, thread_link(thread, post))
