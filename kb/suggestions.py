"""Edits suggested by super-users: pending revisions an agent accepts or declines."""

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.models import Article, ArticleRevision, RevisionState
from kb.service import append_revision, rename, snapshot
from kb.validation import clean_note, clean_text
from portal import events
from portal.database import utcnow
from portal.errors import Conflict, NotFound, ValidationFailed
from portal.models import User
from portal.permissions import can_suggest_edits, can_write_articles, require


def suggest_edit(
    session: Session,
    actor: User,
    article: Article,
    *,
    base_version: int,
    title: str,
    summary: str,
    body: str,
    note: str,
) -> ArticleRevision:
    """A super-user's proposed change to a published article, pending an agent's review."""
    require(can_suggest_edits(actor), _("Only super-users suggest edits."))
    if not article.is_published:
        raise NotFound(_("No such article."))
    title, summary, body = clean_text(title, summary, body)
    note = clean_note(note)
    if not note:
        raise ValidationFailed(_("Say briefly what you changed and why."), field="note")
    if (title, summary, body) == (article.title, article.summary, article.body):
        raise ValidationFailed(_("Your suggestion does not change anything yet."), field="body")
    suggestion = snapshot(
        article,
        actor,
        note,
        state=RevisionState.PENDING.value,
        base_number=min(max(base_version, 0), article.version),
    )
    suggestion.title, suggestion.summary, suggestion.body = title, summary, body
    session.add(suggestion)
    session.flush()
    events.publish(
        "kb.edit_suggested", session=session, article_id=article.id, revision_id=suggestion.id
    )
    return suggestion


def pending_suggestions(session: Session, article: Article | None = None):
    """Suggested edits waiting for an agent, oldest first (of one article, or all)."""
    query = select(ArticleRevision).where(ArticleRevision.state == RevisionState.PENDING.value)
    if article is not None:
        query = query.where(ArticleRevision.article_id == article.id)
    return list(session.scalars(query.order_by(ArticleRevision.created_at)))


def get_suggestion(session: Session, article: Article, suggestion_id: int) -> ArticleRevision:
    """A suggestion (pending or reviewed) made on this article."""
    suggestion = session.get(ArticleRevision, suggestion_id)
    if (
        suggestion is None
        or suggestion.article_id != article.id
        or suggestion.state == RevisionState.SAVED
    ):
        raise NotFound(_("No such suggestion."))
    return suggestion


def _review(actor: User, suggestion: ArticleRevision, state: RevisionState, note: str) -> None:
    require(can_write_articles(actor), _("Only agents and admins review suggested edits."))
    if suggestion.state != RevisionState.PENDING:
        raise Conflict(_("This suggestion has been reviewed already."))
    suggestion.state = state.value
    suggestion.reviewed_by_id, suggestion.reviewed_at = actor.id, utcnow()
    suggestion.review_note = clean_note(note)


def accept_suggestion(
    session: Session, actor: User, suggestion: ArticleRevision, note: str = ""
) -> ArticleRevision:
    """The suggested text becomes the article's next revision, credited to its author."""
    _review(actor, suggestion, RevisionState.ACCEPTED, note)
    article = suggestion.article
    rename(session, article, suggestion.title)
    article.title, article.summary, article.body = (
        suggestion.title,
        suggestion.summary,
        suggestion.body,
    )
    suggestion.tag_slugs = " ".join(tag.slug for tag in article.tags)  # as they are now
    return append_revision(session, article, suggestion)


def decline_suggestion(
    session: Session, actor: User, suggestion: ArticleRevision, note: str = ""
) -> None:
    """Turn a suggestion down; the note tells its author why."""
    _review(actor, suggestion, RevisionState.DECLINED, note)
    session.flush()
