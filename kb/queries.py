"""What readers browse: popular and recent articles, topics, related articles, the sitemap.

Lists take ``language``: None for articles in every language, else only those written in
it (the reader's filter).
"""

from collections import Counter

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kb.models import Article, ArticleStatus, OldSlug, article_tags
from portal import events
from portal.errors import NotFound
from portal.i18n import sort_key
from portal.models import Tag
from portal.permissions import can_read_article

PUBLISHED = Article.status == ArticleStatus.PUBLISHED.value
ARTICLE_VIEWS = "kb.article_views"  # portal.batches: readers' views, written together


def readable(language: str | None = None):
    """Published, and in this language when one is given."""
    return PUBLISHED if language is None else PUBLISHED & (Article.language == language)


def popular_articles(session: Session, limit: int = 6, language: str | None = None):
    """The most read published articles."""
    return list(
        session.scalars(
            select(Article)
            .where(readable(language))
            .order_by(Article.view_count.desc(), Article.title)
        ).fetchmany(limit)
    )


def recently_updated(session: Session, limit: int = 6, language: str | None = None):
    """Published articles, the latest change first."""
    return list(
        session.scalars(
            select(Article)
            .where(readable(language))
            .order_by(Article.updated_at.desc(), Article.id.desc())
        ).fetchmany(limit)
    )


def tags_with_counts(session: Session, language: str | None = None) -> list[tuple[Tag, int]]:
    """Every tag with its number of published articles, by name (accents sorted as readers
    expect, which the databases' own collations do not)."""
    count = func.count(Article.id)
    rows = session.execute(
        select(Tag, count)
        .outerjoin(article_tags, article_tags.c.tag_id == Tag.id)
        .outerjoin(Article, (Article.id == article_tags.c.article_id) & readable(language))
        .group_by(Tag.id)
    )
    return sorted(((tag, int(n)) for tag, n in rows), key=lambda row: sort_key(row[0].name))


def articles_tagged(session: Session, tag: Tag, language: str | None = None) -> list[Article]:
    """Published articles with this tag, the most read first."""
    return list(
        session.scalars(
            select(Article)
            .join(article_tags, article_tags.c.article_id == Article.id)
            .where(article_tags.c.tag_id == tag.id, readable(language))
            .order_by(Article.view_count.desc(), Article.title)
        )
    )


def related_articles(session: Session, article: Article, limit: int = 5) -> list[Article]:
    """Published articles closest in meaning, then by shared tags.

    Meaning comes from the subscribers of ``kb.related_collecting`` (search appends the ids
    of the article's semantic neighbours); keyword-only search adds none, and the list is
    then the tag-based one alone.
    """
    ids: list[int] = []
    events.publish(
        "kb.related_collecting", session=session, article_id=article.id, limit=limit, ids=ids
    )
    by_id = {a.id: a for a in session.scalars(select(Article).where(Article.id.in_(ids)))}
    neighbours = [by_id[i] for i in ids if i in by_id]
    tag_ids = [tag.id for tag in article.tags]
    if not tag_ids or len(neighbours) >= limit:
        return neighbours[:limit]
    shared = func.count(article_tags.c.tag_id).label("shared")
    rows = session.execute(
        select(Article, shared)
        .join(article_tags, article_tags.c.article_id == Article.id)
        .where(article_tags.c.tag_id.in_(tag_ids), Article.id != article.id, PUBLISHED)
        .group_by(Article.id)
        .order_by(shared.desc(), Article.view_count.desc(), Article.title)
        .limit(limit)
    )
    more = [related for related, _ in rows if related not in neighbours]
    return (neighbours + more)[:limit]


def articles_with_status(session: Session, status: ArticleStatus) -> list[Article]:
    """All articles in one state, the latest change first (for the writers' overview)."""
    return list(
        session.scalars(
            select(Article)
            .where(Article.status == status.value)
            .order_by(Article.updated_at.desc())
        )
    )


def sitemap_entries(session: Session) -> list[tuple[str, object]]:
    """(slug, last change) of every published article."""
    return list(
        session.execute(
            select(Article.slug, Article.updated_at).where(PUBLISHED).order_by(Article.id)
        )
    )


def count_view(session: Session, article: Article) -> None:
    """One more read; done in SQL so simultaneous readers do not lose counts."""
    add_views(session, [article.id])


def add_views(session: Session, article_ids: list[int]) -> None:
    """Reads kept in a web worker's memory (portal/batches.py), one UPDATE an article."""
    views = Counter(article_ids)
    for article_id, count in sorted(views.items()):  # one order: no deadlock between workers
        session.execute(
            update(Article)
            .where(Article.id == article_id)
            .values(view_count=Article.view_count + count)
            .execution_options(synchronize_session=False)
        )


def find_article(session: Session, slug: str) -> tuple[Article, bool]:
    """The article with this slug, or that had it; True when the slug is an old one."""
    article = session.scalar(select(Article).where(Article.slug == slug))
    if article is not None:
        return article, False
    old = session.scalar(select(OldSlug).where(OldSlug.slug == slug))
    if old is None:
        raise NotFound(_("No such article."))
    return session.get(Article, old.article_id), True


def readable_article(session: Session, user, slug: str) -> tuple[Article, bool]:
    """find_article, but drafts and archived articles do not exist for readers."""
    article, moved = find_article(session, slug)
    if not can_read_article(user, article):
        raise NotFound(_("No such article."))
    return article, moved


def article_files_visible(session: Session, viewer, article_id: int) -> bool:
    """For portal/attachments.py: an article's files are read by whoever reads the article."""
    article = session.get(Article, article_id)
    return article is not None and can_read_article(viewer, article)
