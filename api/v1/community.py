"""Threads, replies, votes and accepted solutions."""

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from api import pagination, problems, schemas
from api.auth import needs
from api.v1 import blueprint, dump
from community import queries
from community import service as community_service
from community.models import Post, Thread
from portal.extensions import db
from portal.models import Tag, User

blp = blueprint("api_community", "Threads, posts, votes")


def _not_found(message: str):
    abort(problems.problem(404, message))


def load_thread(thread_id: int) -> Thread:
    """The thread, 404 when it does not exist or the caller may not see it (as the page)."""
    thread = db.session.get(Thread, thread_id)
    if thread is None or not queries.can_see_thread(current_user, thread):
        _not_found(_("No such thread."))
    return thread


def load_post(post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None or not queries.can_see_post(current_user, post):
        _not_found(_("No such post."))
    if not queries.can_see_thread(current_user, post.thread):
        _not_found(_("No such post."))
    return post


@blp.get("/threads")
@needs("read")
@blp.arguments(schemas.ThreadListArgs, location="query")
@blp.response(200, schemas.page_of(schemas.ThreadSchema))
def list_threads(args):
    """Threads whose question is visible, newest first, optionally in a tag or a state."""
    tag = None
    if args.get("tag"):
        tag = db.session.scalar(select(Tag).where(Tag.slug == args["tag"]))
        if tag is None:
            _not_found(_("No such tag."))
    statement = queries.thread_list(tag=tag, filter=args.get("filter", "all")).options(
        selectinload(Thread.question), selectinload(Thread.solution)
    )
    kind = f"threads:{args.get('tag', '')}:{args.get('filter', 'all')}"
    page = pagination.keyset_page(statement, Thread.id, args, kind)
    return {**page, "items": [dump.thread(item) for item in page["items"]]}


@blp.get("/threads/<int:thread_id>")
@needs("read")
@blp.response(200, schemas.ThreadDetailSchema)
def read_thread(thread_id: int):
    """A thread with its question and the replies the caller may see."""
    thread = load_thread(thread_id)
    return {
        **dump.thread(thread),
        "question": dump.post(thread.question) if thread.question else None,
        "replies": [dump.post(post) for post in queries.replies_for(current_user, thread)],
    }


@blp.post("/threads")
@needs("write")
@blp.arguments(schemas.ThreadCreate)
@blp.response(201, schemas.ThreadSchema)
def ask(body):
    """Ask a question (moderation may hold it for review, as on the site)."""
    thread = community_service.ask_question(
        db.session,
        current_user,
        title=body["title"],
        body=body["body"],
        tags=body["tags"],
        language=body["language"],
    )
    db.session.commit()
    return dump.thread(thread)


@blp.post("/threads/<int:thread_id>/posts")
@needs("write")
@blp.arguments(schemas.ReplyCreate)
@blp.response(201, schemas.PostSchema)
def reply(body, thread_id: int):
    """Reply to a thread."""
    thread = load_thread(thread_id)
    post = community_service.reply(
        db.session, current_user, thread, body=body["body"], language=body["language"]
    )
    db.session.commit()
    return dump.post(post)


@blp.put("/posts/<int:post_id>/vote")
@needs("write")
@blp.arguments(schemas.VoteWrite)
@blp.response(200, schemas.VoteResult)
def vote(body, post_id: int):
    """Vote a post up (1), down (-1) or withdraw the vote (0)."""
    post = load_post(post_id)
    score = community_service.vote(db.session, current_user, post, body["value"])
    db.session.commit()
    return {"post_id": post.id, "score": score, "value": body["value"]}


@blp.put("/threads/<int:thread_id>/solution")
@needs("write")
@blp.arguments(schemas.SolutionWrite)
@blp.response(200, schemas.SolutionSchema)
def accept(body, thread_id: int):
    """Accept a reply as the thread's solution (the asker, moderators, agents)."""
    thread = load_thread(thread_id)
    post = db.session.get(Post, body["post_id"])
    if post is None or post.thread_id != thread.id:
        _not_found(_("No such reply in this thread."))
    solution = community_service.accept_solution(db.session, current_user, thread, post)
    db.session.commit()
    return {
        "thread_id": thread.id,
        "post_id": solution.post_id,
        "accepted_by": dump.user_ref(db.session.get(User, solution.accepted_by_id)),
        "accepted_at": solution.accepted_at,
    }
