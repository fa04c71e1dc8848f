"""Promote to KB: an agent turns a solved community thread into a draft article.

The article keeps the thread's id (``Article.source_thread_id``, unique), so a thread
becomes at most one article and each side can link to the other. The draft is written in
the thread's language: its headings and attribution are part of the article's text.
"""

import re

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from community.models import PostStatus, Thread
from community.notify import thread_link
from kb.models import TAGS_MAX, Article
from kb.service import create_article
from portal.errors import Conflict, ValidationFailed
from portal.i18n import N_
from portal.models import User
from portal.permissions import can_promote_to_kb, can_read_article, require
from portal.text_language import detect_language

# Characters that would end or open a Markdown link text inside the attribution line.
_LINK_TEXT_MARKS = re.compile(r"([\[\]\\*_`])")


def article_from_thread(session: Session, thread: Thread) -> Article | None:
    """The article promoted from this thread, whatever its status, or None."""
    return session.scalar(select(Article).where(Article.source_thread_id == thread.id))


def visible_article_from_thread(session: Session, viewer, thread: Thread) -> Article | None:
    """The promoted article if this viewer may open it (published, or a writer), else None."""
    article = article_from_thread(session, thread)
    return article if article is not None and can_read_article(viewer, article) else None


def thread_language(thread: Thread) -> str:
    """The language the thread's question is written in."""
    return detect_language(f"{thread.title}\n{thread.question.body}")


def draft_body(thread: Thread, link: str, language: str = "en") -> str:
    """The question, the accepted solution and an attribution line, as Markdown, with
    headings in the article's language."""
    question, answer = thread.question, thread.solution.post
    title = _LINK_TEXT_MARKS.sub(r"\\\1", thread.title)
    thread_markdown = f"[{title}]({link})"
    with force_locale(language):
        attribution = _(
            "From the community thread %(thread)s: asked by %(asker)s, solved by %(solver)s.",
            thread=thread_markdown,
            asker=question.author.name,
            solver=answer.author.name,
        )
        asked, solved = _("The question"), _("The solution")
    return (
        f"## {asked}\n\n{question.body.strip()}\n\n"
        f"## {solved}\n\n{answer.body.strip()}\n\n"
        f"---\n\n*{attribution}*\n"
    )


def promote_thread(
    session: Session, actor: User, thread: Thread, *, link: str | None = None
) -> tuple[Article, bool]:
    """The thread's draft article, created from its question and solution on the first call.

    Returns (article, created). Promoting a thread again returns its existing article.
    """
    require(can_promote_to_kb(actor), _("Only agents and admins turn threads into articles."))
    existing = article_from_thread(session, thread)
    if existing is not None:
        return existing, False
    question = thread.question
    if question is None or question.status != PostStatus.VISIBLE:
        raise ValidationFailed(_("This question was removed: it cannot become an article."))
    if thread.solution is None:
        raise ValidationFailed(
            _("Only a solved thread can become an article: accept a reply first.")
        )
    language = thread_language(thread)
    try:
        # Two agents promoting at once race to the unique source_thread_id: one draft wins.
        with session.begin_nested():
            article = create_article(
                session,
                actor,
                title=thread.title,
                summary="",
                body=draft_body(thread, link or thread_link(thread), language),
                tag_slugs=[tag.slug for tag in thread.tags][:TAGS_MAX],
                language=language,
                note=N_("Promoted from community thread #%(thread)s"),
                note_params={"thread": thread.id},
                source_thread_id=thread.id,
            )
    except IntegrityError as error:
        existing = article_from_thread(session, thread)
        if existing is None:  # another article took the same slug at the same moment
            raise Conflict(
                _("Another article was saved at the same moment: please try again.")
            ) from error
        return existing, False
    return article, True
