"""What search indexes, per kind of content, and which of it a viewer may see.

Each kind ("article", "thread") is a ``Source``: it loads the public ``Document`` of ids
(an id that is not public — a draft, an archived article, a held, hidden or deleted
question — is simply absent, and that is how it leaves the index), lists every id for a
full reindex, and tells which ids a viewer may open now. Only public content is indexed,
so the visibility check at query time is a second fence against a stale index.

Each document carries its content's language (the index stores it: search filters and
labels results by it). Articles store theirs; a thread's comes from ``thread_language``,
the one place that decides it.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from flask import has_request_context, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from community.models import AcceptedSolution, Post, PostStatus, Thread, thread_tags
from kb.models import Article, ArticleStatus
from portal.i18n import N_
from portal.inputs import parse_id
from portal.models import Tag
from search.analysis import guess_language
from search.fulltext import Document


@dataclass(frozen=True)
class Source:
    """How one kind of content becomes search documents."""

    kind: str
    label: str  # shown on results: "Article", "Question" (marked with N_, translated where shown)
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
    object_id = parse_id(number)
    if kind not in _sources or object_id is None:
        return None
    return kind, object_id


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
        route=("kb.article", {"slug": article.slug}),
    )


def _published_articles(session: Session, ids: Sequence[int]) -> dict[int, Document]:
    rows = session.scalars(
        select(Article).where(Article.id.in_(ids), Article.status == ArticleStatus.PUBLISHED)
    )
    return {article.id: article_document(article) for article in rows}


def _all_article_ids(session: Session) -> list[int]:
    return list(
        session.scalars(select(Article.id).where(Article.status == ArticleStatus.PUBLISHED))
    )


def _visible_article_ids(session: Session, viewer, ids: Sequence[int]) -> set[int]:
    # Search lists published articles only, for everyone: writers find drafts in /kb/manage.
    return set(
        session.scalars(
            select(Article.id).where(Article.id.in_(ids), Article.status == ArticleStatus.PUBLISHED)
        )
    )


register(
    Source("article", N_("Article"), _published_articles, _all_article_ids, _visible_article_ids)
)


# ------------------------------------------------------------------------ community
@dataclass(frozen=True)
class ThreadPost:
    """The part of a community post a search document is made of."""

    id: int
    is_question: bool
    status: str
    body: str


def thread_language(title: str, question_body: str, stored: str | None = None) -> str:
    """The language a thread is indexed, filtered and labelled in.

    Today guessed from the words of its title and question, as posts store none. Once
    community stores each post's language (set by its author or detected when written),
    ``_public_threads`` reads the question's and passes it as ``stored``: the guess is then
    only for rows written before, and disappears with them.
    """
    return stored or guess_language(f"{title} {question_body}")


def thread_document(
    thread_id: int,
    title: str,
    updated,
    posts: Sequence[ThreadPost],
    solution_post_id: int | None,
    tags: Sequence[str],
    language: str | None = None,
) -> Document:
    """A public community thread: question, accepted solution and the other visible replies.

    ``posts`` in thread order (the question first); plain values, not ORM objects, so that
    a page of results or a full reindex is a few plain queries (see ``_public_threads``).
    """

    question = next(post for post in posts if post.is_question)
    solution = next((post for post in posts if post.id == solution_post_id), None)
    if solution is not None and solution.status != PostStatus.VISIBLE:
        solution = None
    replies = [
        post.body
        for post in posts
        if not post.is_question and post.status == PostStatus.VISIBLE and post is not solution
    ]
    body = plain_text(question.body)
    return Document(
        doc_key("thread", thread_id),
        "thread",
        title,
        body,
        solution=plain_text(solution.body) if solution else "",
        replies=plain_text("\n\n".join(replies)),
        tags=list(tags),
        solved=solution is not None,
        language=thread_language(title, body, language),
        updated=updated,
        url=_url("community.thread", thread_id=thread_id),
        route=("community.thread", {"thread_id": thread_id}),
    )


def _public_thread_ids(session: Session, ids: Sequence[int] | None = None) -> list[int]:
    # Public means the question is visible: held, hidden and deleted questions hide the thread.
    query = select(Post.thread_id).where(
        Post.is_question.is_(True), Post.status == PostStatus.VISIBLE.value
    )
    if ids is not None:
        query = query.where(Post.thread_id.in_(ids))
    return list(session.scalars(query.order_by(Post.thread_id)))


def _public_threads(session: Session, ids: Sequence[int]) -> dict[int, Document]:
    """Documents of the public threads among ids: four plain queries, no ORM objects.

    Building ORM objects (and their garbage) was most of the time of loading a page of
    results, and of a full reindex.
    """

    threads = session.execute(
        select(Thread.id, Thread.title, Thread.last_activity_at)
        .join(Post, (Post.thread_id == Thread.id) & Post.is_question.is_(True))
        .where(Thread.id.in_(list(ids)), Post.status == PostStatus.VISIBLE.value)
    ).all()
    if not threads:
        return {}
    found = [row.id for row in threads]
    posts: dict[int, list[ThreadPost]] = {thread_id: [] for thread_id in found}
    for row in session.execute(
        select(Post.thread_id, Post.id, Post.is_question, Post.status, Post.body)
        .where(Post.thread_id.in_(found))
        .order_by(Post.created_at, Post.id)  # the order of Thread.posts
    ):
        posts[row.thread_id].append(ThreadPost(row.id, row.is_question, row.status, row.body))
    solutions = dict(
        session.execute(
            select(AcceptedSolution.thread_id, AcceptedSolution.post_id).where(
                AcceptedSolution.thread_id.in_(found)
            )
        ).all()
    )
    tags: dict[int, list[str]] = {thread_id: [] for thread_id in found}
    for thread_id, slug in session.execute(
        select(thread_tags.c.thread_id, Tag.slug)
        .join(Tag, Tag.id == thread_tags.c.tag_id)
        .where(thread_tags.c.thread_id.in_(found))
        .order_by(Tag.name)  # the order of Thread.tags
    ):
        tags[thread_id].append(slug)
    return {
        row.id: thread_document(
            row.id, row.title, row.last_activity_at, posts[row.id], solutions.get(row.id),
            tags[row.id],
        )
        for row in threads
    }  # fmt: skip


def _visible_thread_ids(session: Session, viewer, ids: Sequence[int]) -> set[int]:
    # Authors and moderators see held questions on the thread page, but search lists public ones.
    return set(_public_thread_ids(session, ids))


register(Source("thread", N_("Question"), _public_threads, _public_thread_ids, _visible_thread_ids))
