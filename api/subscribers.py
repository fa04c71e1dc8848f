"""The portal's events → webhook deliveries (recorded in the event's transaction)."""

from datetime import datetime

from sqlalchemy.orm import Session

from api import webhooks
from kb.models import Article
from portal import events
from portal.models import User
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
    # Accounts by id, not through the relationships: the action may have set assignee_id
    # after the relationship was loaded, and loading it here would cache it for the action.
    session = Session.object_session(case)
    customer, assignee = (
        session.get(User, user_id) if user_id else None
        for user_id in (case.customer_id, case.assignee_id)
    )
    return {
        "id": case.id,
        "subject": case.subject,
        "status": case.status,
        "priority": case.priority,
        "channel": case.channel,
        "customer": _who(customer),
        "assignee": _who(assignee),
        "thread_id": case.thread_id,
        "opened_at": _when(case.opened_at),
        "resolution_due": _when(case.resolution_due),
        "disposition": case.disposition,
    }


def on_thread_created(sender, *, thread, post, actor, **data) -> None:
    webhooks.fire(
        Session.object_session(thread),
        "thread.created",
        lambda: {"thread": _thread(thread), "post_id": post.id},
    )


def on_thread_solved(sender, *, thread, post, actor, **data) -> None:
    webhooks.fire(
        Session.object_session(thread),
        "solution.accepted",
        lambda: {"thread": _thread(thread), "post_id": post.id, "accepted_by": _who(actor)},
    )


def on_case_opened(sender, *, case, actor=None, **data) -> None:
    webhooks.fire(Session.object_session(case), "case.opened", lambda: {"case": _case(case)})


def on_case_assigned(sender, *, case, agent, actor=None, **data) -> None:
    webhooks.fire(
        Session.object_session(case),
        "case.assigned",
        lambda: {"case": _case(case), "agent": _who(agent), "by": _who(actor)},
    )


def on_case_solved(sender, *, case, actor=None, **data) -> None:
    webhooks.fire(
        Session.object_session(case),
        "case.solved",
        lambda: {"case": _case(case), "by": _who(actor)},
    )


def on_article_published(sender, *, session, article_id: int, **data) -> None:
    webhooks.fire(session, "article.published", lambda: _article(session.get(Article, article_id)))


def _article(article) -> dict:
    return {
        "article": {
            "slug": article.slug,
            "title": article.title,
            "language": article.language,
            "tags": [tag.slug for tag in article.tags],
            "url": external_url("kb.article", slug=article.slug),
            "published_at": _when(article.published_at),
        }
    }


def on_post_held(sender, *, post, thread, actor=None, **data) -> None:
    webhooks.fire(
        Session.object_session(post),
        "post.held",
        lambda: {"post_id": post.id, "thread": _thread(thread), "author": _who(post.author)},
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
