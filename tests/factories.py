"""Small builders for test data; each returns flushed objects with sensible defaults."""

import itertools

from sqlalchemy.orm import Session

from portal import service
from portal.database import utcnow
from portal.models import Tag, User
from portal.permissions import Role

PASSWORD = "correct-horse-battery"
_sequence = itertools.count(1)


def make_user(
    session: Session, username: str | None = None, role: Role = Role.CUSTOMER, **fields
) -> User:
    """A registered user with a confirmed address (``email_verified_at=None`` for one that
    is not); the password is factories.PASSWORD unless given."""
    username = username or f"user{next(_sequence)}"
    fields.setdefault("email_verified_at", utcnow())
    user = service.register_user(
        session,
        username=username,
        email=fields.pop("email", f"{username}@example.com"),
        password=fields.pop("password", PASSWORD),
        role=role,
    )
    for name, value in fields.items():
        setattr(user, name, value)
    session.flush()
    return user


def make_tag(session: Session, name: str | None = None, description: str = "") -> Tag:
    return service.create_tag(
        session, None, name=name or f"Topic {next(_sequence)}", description=description
    )


def make_article(
    session: Session,
    author: User | None = None,
    title: str | None = None,
    *,
    tags: list[Tag] | None = None,
    body: str = "## Steps\n\nRestart the hub.\n\n## If it still fails\n\nCall us.\n",
    summary: str = "",
    publish: bool = True,
    language: str = "en",
):
    """A KB article (published unless asked otherwise) by an agent, with one tag by default."""
    from kb import service as kb_service

    author = author or make_user(session, role=Role.AGENT)
    tags = tags or [make_tag(session)]
    return kb_service.create_article(
        session,
        author,
        title=title or f"Article {next(_sequence)}",
        summary=summary,
        body=body,
        tag_slugs=[tag.slug for tag in tags],
        language=language,
        publish=publish,
    )


def make_thread(
    session: Session,
    author: User | None = None,
    title: str | None = None,
    body: str = "My connection drops every evening. What can I check?",
    tags: list[Tag] | None = None,
):
    """A community thread asked through the service (the asker follows it)."""
    from community import service as community_service

    author = author or make_user(session)
    tags = tags or [make_tag(session)]
    return community_service.ask_question(
        session,
        author,
        title=title or f"Question number {next(_sequence)} about my line",
        body=body,
        tags=[tag.slug for tag in tags],
    )


def make_reply(session: Session, thread, author: User | None = None, body: str | None = None):
    """A reply in a thread, through the service."""
    from community import service as community_service

    author = author or make_user(session)
    body = body or f"Try restarting the Hub (reply {next(_sequence)})."
    return community_service.reply(session, author, thread, body=body)


def make_member(session: Session, username: str | None = None, *, days: int = 30, **fields):
    """A member of some standing: registered `days` ago, with a published question, so
    their reports count in full (moderation/flags.py)."""
    from datetime import timedelta

    from portal.database import utcnow

    user = make_user(session, username, **fields)
    user.created_at = utcnow() - timedelta(days=days)
    make_thread(session, user)
    return user
