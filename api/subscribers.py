"""The portal's events → webhook deliveries (recorded in the event's transaction)."""

from datetime import datetime

from sqlalchemy.orm import Session

from api import webhooks
from kb.models import Article
from portal import events
from portal.urls import external_url


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _who(user) -> str | None:
    return user.username if user is not None and not user.is_deleted else None


def _thread(thread) -> dict:
    return {
        "id": thread.id,
        "title": thread.title,
        "tags": [tag.slug for tag in thread.tags],
        "author": _who(thread.author),
        "url": external_url("community.thread", thread_id=thread.id),
    }


def _case(case) -> dict:
    return {
        "id": case.id,
        "subject": case.subject,
        "status": case.status,
        "priority": case.priority,
        "channel": case.channel,
        "customer": _who(case.customer),
        "assignee": _who(case.assignee),
        "thread_id": case.thread_id,
        "opened_at": _when(case.opened_at),
        "resolution_due": _when(case.resolution_due),
        "disposition": case.disposition,
    }


def on_thread_created(sender, *, thread, post, actor, **data) -> None:
    session = Session.object_session(thread)
    webhooks.fire(session, "thread.created", {"thread": _thread(thread), "post_id": post.id})


def on_thread_solved(sender, *, thread, post, actor, **data) -> None:
    webhooks.fire(
        Session.object_session(thread),
        "solution.accepted",
        {"thread": _thread(thread), "post_id": post.id, "accepted_by": _who(actor)},
    )


def on_case_opened(sender, *, case, actor=None, **data) -> None:
    webhooks.fire(Session.object_session(case), "case.opened", {"case": _case(case)})


def on_case_assigned(sender, *, case, agent, actor=None, **data) -> None:
    webhooks.fire(
        Session.object_session(case),
        "case.assigned",
        {"case": _case(case), "agent": _who(agent), "by": _who(actor)},
    )


def on_case_solved(sender, *, case, actor=None, **data) -> None:
    webhooks.fire(
        Session.object_session(case), "case.solved", {"case": _case(case), "by": _who(actor)}
    )


def on_article_published(sender, *, session, article_id: int, **data) -> None:
    article = session.get(Article, article_id)
    webhooks.fire(
        session,
        "article.published",
        {
            "article": {
                "slug": article.slug,
                "title": article.title,
                "language": article.language,
                "tags": [tag.slug for tag in article.tags],
                "url": external_url("kb.article", slug=article.slug),
                "published_at": _when(article.published_at),
            }
        },
    )


def on_post_held(sender, *, post, thread, actor=None, **data) -> None:
    webhooks.fire(
        Session.object_session(post),
        "post.held",
        {"post_id": post.id, "thread": _thread(thread), "author": _who(post.author)},
    )


SUBSCRIPTIONS = {
    "community.thread_created": on_thread_created,
    "community.thread_solved": on_thread_solved,
    "cases.case_opened": on_case_opened,
    "cases.case_assigned": on_case_assigned,
    "cases.case_solved": on_case_solved,
    "kb.article_published": on_article_published,
    "moderation.post_held": on_post_held,
}


def subscribe_all() -> None:
    for name, handler in SUBSCRIPTIONS.items():
        events.subscribe(name, handler)
