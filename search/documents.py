"""What search indexes, per kind of content, and which of it a viewer may see.

Each kind ("article", "thread") is a ``Source``: it loads the public ``Document`` of ids
(an id that is not public — a draft, an archived article, a held, hidden or deleted
question — is simply absent, and that is how it leaves the index), lists every id for a
full reindex, and tells which ids a viewer may open now. Only public content is indexed,
so the visibility check at query time is a second fence against a stale index.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from flask import has_request_context, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from search.analysis import guess_language
from search.fulltext import Document


@dataclass(frozen=True)
class Source:
    """How one kind of content becomes search documents."""

    kind: str
    label: str  # shown on results: "Article", "Question"
    load: Callable[[Session, Sequence[int]], dict[int, Document]]
    all_ids: Callable[[Session], Iterable[int]]
    visible_ids: Callable[[Session, object, Sequence[int]], set[int]]


_sources: dict[str, Source] = {}


def register(source: Source) -> None:
    """Make a kind of content searchable (idempotent: the last registration wins)."""
    _sources[source.kind] = source


def unregister(kind: str) -> None:
    _sources.pop(kind, None)


def sources() -> list[Source]:
    """The registered kinds, in registration order."""
    return list(_sources.values())


def source(kind: str) -> Source | None:
    return _sources.get(kind)


def doc_key(kind: str, object_id: int) -> str:
    """The index key of one object: "article:12"."""
    return f"{kind}:{object_id}"


def split_key(key: str) -> tuple[str, int] | None:
    """("article", 12) from "article:12"; None for anything malformed or unknown."""
    kind, _, number = key.partition(":")
    if kind not in _sources or not number.isdigit():
        return None
    return kind, int(number)


def load_documents(session: Session, keys: Iterable[str]) -> dict[str, Document]:
    """The public documents of these keys (absent: no longer public, or never was)."""
    found: dict[str, Document] = {}
    for kind, ids in _group(keys).items():
        for object_id, document in _sources[kind].load(session, ids).items():
            found[doc_key(kind, object_id)] = document
    return found


def visible_keys(session: Session, viewer, keys: Iterable[str]) -> set[str]:
    """The subset of keys the viewer may open."""
    allowed: set[str] = set()
    for kind, ids in _group(keys).items():
        allowed.update(doc_key(kind, i) for i in _sources[kind].visible_ids(session, viewer, ids))
    return allowed


def all_documents(session: Session, chunk: int = 500) -> Iterable[Document]:
    """Every public document of every kind, loaded a chunk at a time (full reindex)."""
    for src in sources():
        ids = list(src.all_ids(session))
        for start in range(0, len(ids), chunk):
            yield from src.load(session, ids[start : start + chunk]).values()
            session.expunge_all()  # keep memory flat over a large reindex


def count_documents(session: Session) -> int:
    """How many ids a full reindex will look at (for the progress bar)."""
    return sum(len(list(src.all_ids(session))) for src in sources())


def _group(keys: Iterable[str]) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = {}
    for key in keys:
        parsed = split_key(key)
        if parsed:
            grouped.setdefault(parsed[0], []).append(parsed[1])
    return grouped


# ------------------------------------------------------------------ knowledge base
_MARKDOWN_MARKS = re.compile(r"[#*_`>|]+|\]\([^)]*\)|!?\[")


def plain_text(markdown: str) -> str:
    """Markdown without its markup characters and link targets: what readers read."""
    return _MARKDOWN_MARKS.sub(" ", markdown or "")


def _url(endpoint: str, **values) -> str:
    # Reindexing from the CLI has no request to build URLs against; the index needs none.
    return url_for(endpoint, **values) if has_request_context() else ""


def article_document(article) -> Document:
    """A published KB article as a search document."""
    return Document(
        doc_key("article", article.id),
        "article",
        article.title,
        plain_text(f"{article.summary}\n\n{article.body}".strip()),
        tags=[tag.slug for tag in article.tags],
        language=article.language,
        updated=article.updated_at,
        url=_url("kb.article", slug=article.slug),
    )


def _published_articles(session: Session, ids: Sequence[int]) -> dict[int, Document]:
    from kb.models import Article, ArticleStatus

    rows = session.scalars(
        select(Article).where(Article.id.in_(ids), Article.status == ArticleStatus.PUBLISHED)
    )
    return {article.id: article_document(article) for article in rows}


def _all_article_ids(session: Session) -> list[int]:
    from kb.models import Article, ArticleStatus

    return list(
        session.scalars(select(Article.id).where(Article.status == ArticleStatus.PUBLISHED))
    )


def _visible_article_ids(session: Session, viewer, ids: Sequence[int]) -> set[int]:
    # Search lists published articles only, for everyone: writers find drafts in /kb/manage.
    from kb.models import Article, ArticleStatus

    return set(
        session.scalars(
            select(Article.id).where(Article.id.in_(ids), Article.status == ArticleStatus.PUBLISHED)
        )
    )


register(Source("article", "Article", _published_articles, _all_article_ids, _visible_article_ids))


# ------------------------------------------------------------------------ community
def thread_document(thread) -> Document:
    """A public community thread: question, accepted solution and the other visible replies."""
    from community.models import PostStatus

    solution = thread.solution.post if thread.solution else None
    if solution is not None and solution.status != PostStatus.VISIBLE:
        solution = None
    replies = [
        post.body
        for post in thread.posts
        if not post.is_question and post.status == PostStatus.VISIBLE and post is not solution
    ]
    # The question from the posts already loaded: thread.question would cost a query per thread.
    question = next((post for post in thread.posts if post.is_question), None) or thread.question
    body = plain_text(question.body)
    return Document(
        doc_key("thread", thread.id),
        "thread",
        thread.title,
        body,
        solution=plain_text(solution.body) if solution else "",
        replies=plain_text("\n\n".join(replies)),
        tags=[tag.slug for tag in thread.tags],
        solved=solution is not None,
        language=guess_language(f"{thread.title} {body}"),
        updated=thread.last_activity_at,
        url=_url("community.thread", thread_id=thread.id),
    )


def _public_thread_ids(session: Session, ids: Sequence[int] | None = None) -> list[int]:
    # Public means the question is visible: held, hidden and deleted questions hide the thread.
    from community.models import Post, PostStatus

    query = select(Post.thread_id).where(
        Post.is_question.is_(True), Post.status == PostStatus.VISIBLE.value
    )
    if ids is not None:
        query = query.where(Post.thread_id.in_(ids))
    return list(session.scalars(query.order_by(Post.thread_id)))


def _public_threads(session: Session, ids: Sequence[int]) -> dict[int, Document]:
    from community.models import AcceptedSolution, Thread

    rows = session.scalars(
        select(Thread)
        .where(Thread.id.in_(_public_thread_ids(session, ids)))
        .options(
            selectinload(Thread.posts),
            selectinload(Thread.tags),
            selectinload(Thread.solution).selectinload(AcceptedSolution.post),
        )
    )
    return {thread.id: thread_document(thread) for thread in rows}


def _visible_thread_ids(session: Session, viewer, ids: Sequence[int]) -> set[int]:
    # Authors and moderators see held questions on the thread page, but search lists public ones.
    return set(_public_thread_ids(session, ids))


register(Source("thread", "Question", _public_threads, _public_thread_ids, _visible_thread_ids))
