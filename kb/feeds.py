"""Atom feeds of the knowledge base: every published article, and those of one topic;
the newest change first (an updated article comes back to the top)."""

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select

from kb.models import Article
from kb.queries import readable
from kb.views import bp
from portal.extensions import db
from portal.feeds import FEED_ENTRIES, Entry, atom_response
from portal.markdown import render_markdown
from portal.models import Tag
from portal.urls import external_url


def article_entry(article: Article) -> Entry:
    return Entry(
        url=external_url("kb.article", slug=article.slug),
        title=article.title,
        updated=article.updated_at,
        published=article.published_at,
        author=article.author.name,
        html=str(render_markdown(article.body, user_content=False)),
    )


def latest(statement) -> list[Entry]:
    statement = statement.where(readable()).order_by(Article.updated_at.desc(), Article.id.desc())
    return [article_entry(a) for a in db.session.scalars(statement.limit(FEED_ENTRIES))]


@bp.route("/kb/feed.atom")
def feed():
    return atom_response(
        title=_("Knowledge base"),
        subtitle=_("New and updated articles"),
        self_url=external_url("kb.feed"),
        page_url=external_url("kb.index"),
        entries=latest(select(Article)),
    )


@bp.route("/kb/topics/<slug>/feed.atom")
def topic_feed(slug: str):
    tag = db.session.scalar(select(Tag).where(Tag.slug == slug))
    if tag is None:
        abort(404)
    return atom_response(
        title=_("%(topic)s · Knowledge base", topic=tag.name),
        subtitle=_("New and updated articles about %(topic)s", topic=tag.name),
        self_url=external_url("kb.topic_feed", slug=tag.slug),
        page_url=external_url("kb.topic", slug=tag.slug),
        entries=latest(select(Article).where(Article.tags.any(Tag.id == tag.id))),
    )
