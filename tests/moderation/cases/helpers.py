"""Builders for case tests: agents with skills, old threads, cases, older databases."""

from contextlib import contextmanager
from datetime import timedelta

from flask_migrate import upgrade

from moderation.cases import routing
from moderation.cases.models import Channel
from moderation.cases.service import open_case
from moderation.cases.timeline import render_lines
from portal import create_app
from portal.database import utcnow
from portal.extensions import db
from portal.permissions import Role
from tests.factories import make_thread, make_user
from tests.portal.test_setup import fresh_database_url


def make_agent(session, username=None, skills=(), available=True, **fields):
    agent = make_user(session, username, role=Role.AGENT, **fields)
    routing.update_profile(
        session, agent, available=available, skill_slugs=[tag.slug for tag in skills]
    )
    return agent


def make_old_thread(session, hours: float, **kwargs):
    """A thread asked `hours` ago."""
    thread = make_thread(session, **kwargs)
    thread.created_at = utcnow() - timedelta(hours=hours)
    session.flush()
    return thread


def make_case(session, customer=None, thread=None, subject="My line drops", **kwargs):
    customer = customer or (thread.author if thread else make_user(session))
    case, _ = open_case(
        session,
        customer=customer,
        subject=subject,
        channel=Channel.COMMUNITY if thread else Channel.CONTACT_FORM,
        thread=thread,
        body=kwargs.pop("body", "" if thread else "It drops every evening."),
        **kwargs,
    )
    return case


@contextmanager
def database_at(revision: str, database_url: str, tmp_path):
    """An app (its context pushed) on a fresh database the migrations built up to
    ``revision``, to test the next migration on the rows a test writes there."""
    url, drop = fresh_database_url(database_url, tmp_path)
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    try:
        with app.app_context():
            upgrade(revision=revision)
            yield app
            db.engine.dispose()
    finally:
        drop()


def event_text(session, event) -> str:
    """An event as a reader sees it, in the current language: the system's lines, then what
    a person wrote."""
    return "\n".join([*render_lines(session, event), event.body]).strip()
