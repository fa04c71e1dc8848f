"""A small world for the API: one account per role, each with a token, and some content."""

from dataclasses import dataclass, field

import pytest

from api import tokens
from portal.extensions import db as _db
from portal.permissions import Role
from tests.factories import make_article, make_reply, make_tag, make_thread, make_user
from tests.moderation.cases.helpers import make_case

ROLES = ["customer", "superuser", "moderator", "agent", "admin"]


@dataclass
class World:
    users: dict = field(default_factory=dict)
    secrets: dict = field(default_factory=dict)  # role → bearer secret (every scope it may have)
    ids: dict = field(default_factory=dict)

    def auth(self, role: str | None) -> dict:
        """The Authorization header of the role's token (none for a visitor)."""
        return {"Authorization": f"Bearer {self.secrets[role]}"} if role else {}


def build_world(session) -> World:
    world = World()
    for role in ROLES:
        user = make_user(session, f"api{role}", role=Role(role))
        world.users[role] = user
        scopes = list(tokens.SCOPES) if role == "admin" else ["read", "write", "cases"]
        _token, world.secrets[role] = tokens.create_token(
            session, user, name=f"{role} script", scopes=scopes
        )
    tag = make_tag(session, "Internet")
    thread = make_thread(session, world.users["customer"], tags=[tag])
    reply = make_reply(session, thread, world.users["superuser"])
    article = make_article(session, world.users["agent"], "Restart the hub", tags=[tag])
    case = make_case(session, thread=thread)
    world.ids = {
        "tag": tag.slug,
        "thread": thread.id,
        "question": thread.question.id,
        "reply": reply.id,
        "article": article.slug,
        "case": case.id,
    }
    session.commit()
    return world


@pytest.fixture
def world(app, db) -> World:
    return build_world(_db.session)


@pytest.fixture
def api(client, world):
    """client.get/post/put with a role's token: api("get", "/api/v1/me", role="agent")."""

    def call(method: str, path: str, role: str | None = None, **kwargs):
        headers = {**world.auth(role), **kwargs.pop("headers", {})}
        return getattr(client, method)(path, headers=headers, **kwargs)

    return call
