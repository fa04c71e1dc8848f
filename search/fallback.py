"""Search straight from the database, while no index can answer (being built or repaired).

Plain word matching on titles and texts, every word of the query required, the latest
first: worse than the index, much better than an error page or nothing. Only what a
visitor may open is returned (published articles, public questions), so the usual
visibility check afterwards has nothing to remove.
"""

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from community.models import AcceptedSolution, Post, PostStatus, Thread, thread_tags
from kb.models import Article, ArticleStatus, article_tags
from portal.models import Tag
from search import documents

MAX_WORDS = 6
MIN_WORD = 3


def words_of(text: str) -> list[str]:
    """The query's words worth matching, lowercase, with LIKE's wildcards taken literally."""
    words = [word.strip(".,;:!?¿¡()[]\"'«»").lower() for word in text.split()]
    kept = [word for word in dict.fromkeys(words) if len(word) >= MIN_WORD]
    return [w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in kept][
        :MAX_WORDS
    ]


def _contains_all(words: list[str], *columns):
    return and_(
        *(
            or_(*(func.lower(column).like(f"%{word}%", escape="\\") for column in columns))
            for word in words
        )
    )


def fallback_keys(
    session: Session,
    text: str,
    *,
    kind: str | None = None,
    tag: str | None = None,
    solved_only: bool = False,
    language: str | None = None,
    limit: int = 100,
) -> list[str]:
    """Keys of public documents containing every word of ``text``, the latest first.

    ``language`` keeps articles of that language only; threads store none yet (their
    language is documents.thread_language's), so the caller filters those.
    """
    words = words_of(text)
    if not words:
        return []
    found: list[tuple] = []
    if kind in (None, "article") and not solved_only:
        query = select(Article.id, Article.updated_at).where(
            Article.status == ArticleStatus.PUBLISHED.value,
            _contains_all(words, Article.title, Article.summary, Article.body),
        )
        if tag:
            query = query.join(article_tags, article_tags.c.article_id == Article.id).join(
                Tag, and_(Tag.id == article_tags.c.tag_id, Tag.slug == tag)
            )
        if language:
            query = query.where(Article.language == language)
        found += [("article", i, when) for i, when in session.execute(query.limit(limit))]
    if kind in (None, "thread"):
        question = select(Post.id).where(
            Post.thread_id == Thread.id,
            Post.is_question.is_(True),
            Post.status == PostStatus.VISIBLE.value,
        )
        query = select(Thread.id, Thread.last_activity_at).where(
            exists(question),
            or_(
                _contains_all(words, Thread.title),
                exists(question.where(_contains_all(words, Post.body))),
            ),
        )
        if tag:
            query = query.join(thread_tags, thread_tags.c.thread_id == Thread.id).join(
                Tag, and_(Tag.id == thread_tags.c.tag_id, Tag.slug == tag)
            )
        if solved_only:
            query = query.where(exists().where(AcceptedSolution.thread_id == Thread.id))
        found += [("thread", i, when) for i, when in session.execute(query.limit(limit))]
    found.sort(key=lambda item: item[2], reverse=True)
    return [documents.doc_key(found_kind, i) for found_kind, i, _ in found[:limit]]
