"""Atom feeds of the community: the newest public questions, of every topic or of one."""

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from community import queries
from community.models import Thread
from community.views import bp
from portal.extensions import db
from portal.feeds import FEED_ENTRIES, Entry, atom_response
from portal.markdown import render_markdown
from portal.models import Tag
from portal.urls import external_url


def thread_entry(thread: Thread) -> Entry:
    return Entry(
        url=external_url("community.thread", thread_id=thread.id),
        title=thread.title,
        updated=thread.created_at,  # a feed of questions: a reply does not make one new
        published=thread.created_at,
        author=thread.author.name,
        html=str(render_markdown(thread.question.body)),
    )


def newest(tag: Tag | None) -> list[Entry]:
    statement = queries.thread_list(tag=tag, sort="newest").limit(FEED_ENTRIES)
    statement = statement.options(selectinload(Thread.question))
    return [thread_entry(thread) for thread in db.session.scalars(statement)]


@bp.route("/feed.atom")
def feed():
    return atom_response(
        title=_("Community"),
        subtitle=_("New questions"),
        self_url=external_url("community.feed"),
        page_url=external_url("community.index"),
        entries=newest(None),
    )


@bp.route("/tags/<slug>/feed.atom")
def tag_feed(slug: str):
    tag = db.session.scalar(select(Tag).where(Tag.slug == slug))
    if tag is None:
        abort(404)
    return atom_response(
        title=_("%(topic)s · Community", topic=tag.name),
        subtitle=_("New questions about %(topic)s", topic=tag.name),
        self_url=external_url("community.tag_feed", slug=tag.slug),
        page_url=external_url("community.tag", slug=tag.slug),
        entries=newest(tag),
    )
