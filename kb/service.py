"""Article rules: write, rename, publish, archive, revise and restore (suggestions.py: edits
suggested by super-users).

Every function flushes and leaves the commit to the caller (the request commits once).
Events for search are published in the transaction with the session and plain ids.
"""

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from kb.models import (
    SLUG_MAX,
    Article,
    ArticleRevision,
    ArticleStatus,
    OldSlug,
    RevisionState,
)
from kb.translation_links import check_link
from kb.validation import clean_language, clean_note, clean_tags, clean_text
from portal import events
from portal.database import utcnow
from portal.errors import Conflict, NotFound
from portal.i18n import N_
from portal.models import Tag, User
from portal.permissions import can_write_articles, require
from portal.service import slugify

# Paths of the KB's own pages, which an article's slug must never shadow.
RESERVED_SLUGS = frozenset({"new", "manage", "topics", "least-helpful"})
# update_article's translation_of when the editor did not send one: the link stays.
UNCHANGED = object()


class StaleEdit(Conflict):
    """Someone saved the article after the editor was opened; nothing was overwritten."""

    def __init__(self, article: Article, current: ArticleRevision):
        super().__init__(
            _(
                "%(name)s saved revision %(number)s of this article while you were editing. "
                "Your text is kept below: compare, merge and save again.",
                name=current.author.name,
                number=current.number,
            )
        )
        self.article, self.current = article, current


def _slug_taken(session: Session, slug: str, article: Article | None) -> bool:
    if slug in RESERVED_SLUGS:
        return True
    own_id = article.id if article is not None else None
    owners = set(session.scalars(select(Article.id).where(Article.slug == slug)))
    owners |= set(session.scalars(select(OldSlug.article_id).where(OldSlug.slug == slug)))
    return bool(owners - {own_id})


def unique_slug(session: Session, title: str, article: Article | None = None) -> str:
    """A slug from the title, with -2, -3… when another article has (or had) it."""
    base = slugify(title)[: SLUG_MAX - 6].strip("-") or "article"
    candidate, counter = base, 1
    while _slug_taken(session, candidate, article):
        counter += 1
        candidate = f"{base}-{counter}"
    return candidate


def rename(session: Session, article: Article, title: str) -> None:
    """Take the new title's slug and keep the old one as a redirect."""
    if title == article.title:
        return
    new_slug = unique_slug(session, title, article)
    if new_slug == article.slug:
        return
    session.execute(delete(OldSlug).where(OldSlug.slug == new_slug))  # reclaimed: it was ours
    session.add(OldSlug(slug=article.slug, article_id=article.id))
    article.slug = new_slug


def append_revision(
    session: Session, article: Article, revision: ArticleRevision
) -> ArticleRevision:
    """Number the revision as the article's next and make the article's text follow it."""
    revision.number = article.version + 1
    article.version = revision.number
    article.updated_at = utcnow()
    session.add(revision)
    try:
        session.flush()
    except StaleDataError as error:
        raise Conflict(
            _("Someone else saved this article at the same moment. Reload it and try again.")
        ) from error
    if article.is_published:
        events.publish("kb.article_updated", session=session, article_id=article.id)
    return revision


def snapshot(article: Article, author: User, note: str, **fields) -> ArticleRevision:
    """A revision holding the article's current text and tags (not yet added).

    A note the portal writes itself is a catalog message marked with N_, its placeholders
    in ``note_params`` (``{}`` when it has none): it is shown in each reader's language.
    """
    return ArticleRevision(
        article_id=article.id,
        state=fields.pop("state", RevisionState.SAVED.value),
        title=article.title,
        summary=article.summary,
        body=article.body,
        tag_slugs=" ".join(tag.slug for tag in article.tags),
        author_id=author.id,
        note=note,
        base_number=fields.pop("base_number", article.version),
        **fields,
    )


def create_article(
    session: Session,
    actor: User,
    *,
    title: str,
    summary: str,
    body: str,
    tag_slugs: list[str],
    language: str | None = None,
    note: str = "",
    note_params: dict | None = None,
    publish: bool = False,
    source_thread_id: int | None = None,
    translation_of: Article | None = None,
) -> Article:
    """A new draft (published at once if asked) with its first revision.

    ``language`` None: the language the text is written in. ``translation_of``: the
    article this one translates (see kb/translation_links.py).
    """
    require(can_write_articles(actor), _("Only agents and admins write articles."))
    title, summary, body = clean_text(title, summary, body)
    tags, note = clean_tags(session, tag_slugs), clean_note(note)
    language = clean_language(language, title, summary, body)
    original = check_link(session, None, language, translation_of)
    if not note:
        note, note_params = N_("First version"), {}
    article = Article(
        slug=unique_slug(session, title),
        title=title,
        summary=summary,
        body=body,
        language=language,
        author_id=actor.id,
        tags=tags,
        source_thread_id=source_thread_id,
        translation_of_id=original.id if original is not None else None,
    )
    session.add(article)
    session.flush()
    append_revision(session, article, snapshot(article, actor, note, note_params=note_params))
    if publish:
        publish_article(session, actor, article)
    return article


def update_article(
    session: Session,
    actor: User,
    article: Article,
    *,
    base_version: int,
    title: str,
    summary: str,
    body: str,
    tag_slugs: list[str],
    language: str | None = None,
    translation_of=UNCHANGED,
    note: str = "",
) -> ArticleRevision | None:
    """Save an edit as a new revision; None when nothing changed. A stale base conflicts.

    ``language`` None keeps the article's, "" detects it; ``translation_of`` is the
    article it translates (None: an original; left out: the link stays as it is).
    """
    require(can_write_articles(actor), _("Only agents and admins edit articles."))
    if base_version != article.version:
        raise StaleEdit(article, current_revision(session, article))
    title, summary, body = clean_text(title, summary, body)
    tags, note = clean_tags(session, tag_slugs), clean_note(note)
    language = clean_language(
        article.language if language is None else language, title, summary, body
    )
    if translation_of is UNCHANGED:
        translation_of = article.translation_of
    original = check_link(session, article, language, translation_of)
    original_id = original.id if original is not None else None
    unchanged = (title, summary, body, language, original_id, {tag.id for tag in tags}) == (
        article.title,
        article.summary,
        article.body,
        article.language,
        article.translation_of_id,
        {tag.id for tag in article.tags},
    )
    if unchanged:
        return None
    rename(session, article, title)
    article.title, article.summary, article.body, article.language = title, summary, body, language
    article.translation_of_id = original_id
    article.tags = tags
    return append_revision(session, article, snapshot(article, actor, note))


def link_translation(
    session: Session, actor: User, article: Article, original: Article | None
) -> None:
    """Say which article this one translates (None: it is an original), text unchanged: no
    revision. The editor links through update_article, which records who did it."""
    require(can_write_articles(actor), _("Only agents and admins edit articles."))
    original = check_link(session, article, article.language, original)
    article.translation_of_id = original.id if original is not None else None
    session.flush()


def publish_article(session: Session, actor: User, article: Article) -> None:
    """Make a draft or archived article public."""
    require(can_write_articles(actor), _("Only agents and admins publish articles."))
    if article.is_published:
        raise Conflict(_("This article is published already."))
    article.status = ArticleStatus.PUBLISHED.value
    article.published_at = article.published_at or utcnow()
    article.updated_at = utcnow()  # readers see it change now: "last updated", sitemap
    session.flush()
    events.publish("kb.article_published", session=session, article_id=article.id)


def archive_article(session: Session, actor: User, article: Article) -> None:
    """Take an article off the public site; its writers still see it and may publish it again."""
    require(can_write_articles(actor), _("Only agents and admins archive articles."))
    if article.status == ArticleStatus.ARCHIVED:
        raise Conflict(_("This article is archived already."))
    article.status = ArticleStatus.ARCHIVED.value
    session.flush()
    events.publish("kb.article_archived", session=session, article_id=article.id)


def current_revision(session: Session, article: Article) -> ArticleRevision:
    """The revision the article's text comes from."""
    return get_revision(session, article, article.version)


def get_revision(session: Session, article: Article, number: int) -> ArticleRevision:
    """A revision from the article's history, by its number."""
    revision = session.scalar(
        select(ArticleRevision).where(
            ArticleRevision.article_id == article.id, ArticleRevision.number == number
        )
    )
    if revision is None:
        raise NotFound(_("This article has no revision %(number)s.", number=number))
    return revision


def history(session: Session, article: Article) -> list[ArticleRevision]:
    """The article's saved and accepted revisions, newest first."""
    return list(
        session.scalars(
            select(ArticleRevision)
            .where(ArticleRevision.article_id == article.id, ArticleRevision.number.is_not(None))
            .order_by(ArticleRevision.number.desc())
        )
    )


def restore_revision(
    session: Session, actor: User, article: Article, number: int
) -> ArticleRevision:
    """Bring an old revision's text and tags back, as a new revision on top."""
    require(can_write_articles(actor), _("Only agents and admins restore revisions."))
    old = get_revision(session, article, number)
    if number == article.version:
        raise Conflict(_("That revision is the current text already."))
    rename(session, article, old.title)
    article.title, article.summary, article.body = old.title, old.summary, old.body
    # Tags deleted since then are left out rather than failing the restore.
    restored_tags = session.scalars(select(Tag).where(Tag.slug.in_(old.tag_list))).all()
    article.tags = list(restored_tags) or article.tags
    note = N_("Restored revision %(number)s")
    return append_revision(
        session, article, snapshot(article, actor, note, note_params={"number": number})
    )
