"""Articles from elsewhere into the knowledge base, through the KB's own service.

Each source (Markdown files, a CSV, a Zendesk Help Center export) is read into
``ArticleItem``s; ``import_articles`` then creates, updates or skips each through
kb/service.py (so slugs, revisions, tags and the search feed behave as for an agent's
edit), as the ``author`` given on the command line, and keeps the source's dates.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb import service as kb_service
from kb.models import LANGUAGES, TAGS_MAX, Article, ArticleStatus
from portal import service as portal_service
from portal.errors import DomainError
from portal.i18n import N_
from portal.models import Tag, User
from portal.permissions import can_write_articles
from transfer.batches import Batches, Progress, no_progress
from transfer.mapping import CREATE, SKIP, Mappings, Report, digest

IMPORTED_NOTE = N_("Imported from %(source)s")
UPDATED_NOTE = N_("Updated from %(source)s")


@dataclass
class ArticleItem:
    """One article as a source gives it; ``problem`` set when it cannot be imported."""

    source_id: str
    title: str
    body: str
    summary: str = ""
    tags: tuple[str, ...] = ()
    language: str | None = None
    published: bool = True
    created_at: datetime | None = None
    updated_at: datetime | None = None
    problem: tuple[str, dict] | None = None  # a catalog message and its values

    def digest(self) -> str:
        return digest(self.title, self.summary, self.body, self.tags, self.language, self.published)


def language_of(value: str | None) -> str | None:
    """'en-us', 'fr-CA', 'fr' → 'en', 'fr'; None when not given; '' when not one of ours."""
    if not value:
        return None
    code = str(value).split("-")[0].split("_")[0].lower()
    return code if code in LANGUAGES else ""


def _tags(session: Session, names: Iterable[str], default_tag: str) -> list[str]:
    """Slugs of existing tags for these names, each created when missing (1–5 of them)."""
    names, slugs = list(names), []
    for name in names or [default_tag]:
        slug = portal_service.slugify(name)[:64]
        if not slug or slug in slugs:
            continue
        if session.scalar(select(Tag.id).where(Tag.slug == slug)) is None:
            portal_service.create_tag(session, None, name=name)
        slugs.append(slug)
    if not slugs and names != [default_tag]:
        return _tags(session, [default_tag], default_tag)
    return slugs[:TAGS_MAX]  # none at all: the KB's own check reports the item


def import_articles(
    session: Session,
    items: Iterable[ArticleItem],
    *,
    source: str,
    author: User,
    commit,
    total: int,
    dry_run: bool = False,
    batch_size: int = 100,
    default_tag: str = "imported",
    progress: Progress = no_progress,
) -> Report:
    """Create, update or skip each item's article; a commit per batch, none when dry."""
    if not can_write_articles(author):
        raise PermissionError(author.username)
    mappings, report = Mappings(session, source), Report()
    batches = Batches(session, size=batch_size, commit=commit, dry_run=dry_run)
    with progress("Articles", total) as advance:
        for item in items:
            advance(1)
            if item.problem:
                report.problem(item.source_id, *item.problem[:1], **item.problem[1])
                report.add("article", "failed")
                continue
            sha = item.digest()
            plan = mappings.plan("article", item.source_id, sha)
            if plan == SKIP or dry_run:
                report.add("article", plan)
                continue
            try:
                with session.begin_nested():  # a refused article leaves the batch intact
                    article = write_article(
                        session, mappings, author, item, plan, source, default_tag
                    )
                    mappings.remember("article", item.source_id, article.id, sha)
            except DomainError as error:
                report.problem(item.source_id, "%(error)s", error=error.message)
                report.add("article", "failed")
                continue
            report.add("article", plan)
            batches.tick()
    batches.end_batch()
    return report


def write_article(session, mappings, author, item, plan, source, default_tag) -> Article:
    tag_slugs = _tags(session, item.tags, default_tag)
    fields = dict(
        title=item.title, summary=item.summary, body=item.body, tag_slugs=tag_slugs,
        language=item.language or None,
    )  # fmt: skip
    if plan == CREATE:
        article = kb_service.create_article(
            session, author, **fields, note=IMPORTED_NOTE, note_params={"source": source}
        )
        article.created_at = item.created_at or article.created_at
        revision = kb_service.current_revision(session, article)
        revision.created_at = article.created_at
    else:
        article = session.get(Article, mappings.local_id("article", item.source_id))
        if item.language is None:
            fields["language"] = article.language
        revision = kb_service.update_article(
            session, author, article, base_version=article.version, **fields
        )
        if revision is not None:
            revision.note, revision.note_params = UPDATED_NOTE, {"source": source}
    if item.published and not article.is_published:
        kb_service.publish_article(session, author, article)
        article.published_at = item.created_at or article.published_at
    elif not item.published and article.is_published:
        kb_service.archive_article(session, author, article)
    if item.updated_at is not None:
        article.updated_at = item.updated_at
    session.flush()
    return article


def is_published(status) -> bool:
    """A source's status or draft flag → published? ('published', 'draft', True…)."""
    return str(status or ArticleStatus.PUBLISHED.value).strip().lower() in {
        "published", "public", "true", "yes", "1",
    }  # fmt: skip
