"""Who hears about community activity: askers, answerers, followers and @mentioned users.

The in-transaction events (subscribed in community.init_app) only record a
``community.notify`` job; the job finds the people and notifies them after the commit, so
a reply to a thread a thousand people follow answers as fast as one nobody follows. Each
person gets one notification per event, the most specific one (a mention beats "new reply
to your question" beats "followed thread").
"""

from flask import has_request_context, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from community.models import AcceptedSolution, Post, PostStatus, Thread
from community.subscriptions import tag_followers, thread_followers
from portal import notifications
from portal.i18n import N_
from portal.jobs import enqueue, job
from portal.markdown import MENTION  # the same @username the posts show as links
from portal.models import User

NOTIFY_JOB = "community.notify"

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


def _send(
    session: Session,
    recipients: dict,
    actor: User,
    link: str,
    params: dict,
    *,
    body: str = "",
    reply_target: str = "",
) -> None:
    """Notify each recipient in their own language (``notify`` translates the message);
    ``body``, the post, goes into the e-mail, and answering it replies in the thread."""
    for user, kind, message in recipients.values():
        if user.id != actor.id and not user.is_suspended:
            notifications.notify(
                session,
                user,
                kind=kind,
                message=message,
                params=params,
                link=link,
                actor=actor,
                body=body,
                reply_target=reply_target,
            )


def _add(recipients: dict, users, kind: str, message: str) -> None:
    """Add users who have no (more specific) notification for this event yet; ``message``
    is the catalog's text (N_), filled with the event's params when sent."""
    for user in users:
        recipients.setdefault(user.id, (user, kind, message))


def later(event: str):
    """An event subscriber that records the ``community.notify`` job for ``event``."""

    def subscriber(sender, *, thread, post, actor, **data) -> None:
        enqueue(
            object_session(thread),
            NOTIFY_JOB,
            event=event,
            thread_id=thread.id,
            post_id=post.id,
            actor_id=actor.id,
        )

    subscriber.__name__ = f"notify_later_{event}"
    return subscriber


on_thread_created = later("thread_created")
on_reply_created = later("reply_created")
on_thread_solved = later("thread_solved")


@job(NOTIFY_JOB)
def notify_about(session: Session, *, event: str, thread_id: int, post_id: int, actor_id: int):
    """Notify everyone concerned by one community event (nothing if the post is gone)."""
    thread, post = session.get(Thread, thread_id), session.get(Post, post_id)
    actor = session.get(User, actor_id)
    if None in (thread, post, actor) or post.status != PostStatus.VISIBLE.value:
        return
    if event == "thread_solved" and not is_solution(session, thread, post):
        return  # another reply was accepted before this job ran: no stale "accepted"
    RECIPIENTS[event](session, thread=thread, post=post, actor=actor)


def is_solution(session: Session, thread: Thread, post: Post) -> bool:
    query = select(AcceptedSolution.id).where(
        AcceptedSolution.thread_id == thread.id, AcceptedSolution.post_id == post.id
    )
    return session.scalar(query) is not None


def notify_thread_created(session: Session, *, thread, post, actor) -> None:
    recipients = {}
    _add(
        recipients,
        mentioned_users(session, post.body),
        "mention",
        N_("%(actor)s mentioned you in “%(title)s”"),
    )
    _add(
        recipients,
        tag_followers(session, thread.tags),
        "followed_tag",
        N_("New question in %(topics)s: “%(title)s”"),
    )
    params = {
        "actor": actor.name,
        "title": thread.title,
        "topics": ", ".join(tag.name for tag in thread.tags),
    }
    _send(
        session,
        recipients,
        actor,
        thread_link(thread),
        params,
        body=post.body,
        reply_target=f"thread:{thread.id}",
    )


def notify_reply_created(session: Session, *, thread, post, actor) -> None:
    recipients = {}
    _add(
        recipients,
        mentioned_users(session, post.body),
        "mention",
        N_("%(actor)s mentioned you in “%(title)s”"),
    )
    _add(
        recipients,
        [thread.author],
        "reply",
        N_("%(actor)s replied to your question “%(title)s”"),
    )
    _add(
        recipients,
        thread_followers(session, thread),
        "followed_thread",
        N_("%(actor)s replied in “%(title)s”"),
    )
    params = {"actor": actor.name, "title": thread.title}
    _send(
        session,
        recipients,
        actor,
        thread_link(thread, post),
        params,
        body=post.body,
        reply_target=f"thread:{thread.id}",
    )


def notify_thread_solved(session: Session, *, thread, post, actor) -> None:
    recipients = {}
    _add(
        recipients,
        [post.author],
        "solution_accepted",
        N_("Your reply in “%(title)s” was accepted as the solution"),
    )
    _add(
        recipients,
        [thread.author],
        "thread_solved",
        N_("Your question “%(title)s” has an accepted solution"),
    )
    _send(
        session,
        recipients,
        actor,
        thread_link(thread, post),
        {"title": thread.title},
        body=post.body,
        reply_target=f"thread:{thread.id}",
    )


RECIPIENTS = {
    "thread_created": notify_thread_created,
    "reply_created": notify_reply_created,
    "thread_solved": notify_thread_solved,
}
