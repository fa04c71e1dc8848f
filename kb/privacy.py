"""A deleted account in the knowledge base, and a member's KB data for download.

Articles, revisions and suggested edits stay under the emptied account: they are the
site's content. A reader's "was this helpful?" vote stays, so the articles' numbers do not
change, but the comment that came with it is erased.
"""

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kb.models import Article, ArticleRevision, Feedback, RevisionState
from portal.models import User

SUGGESTION_STATES = (RevisionState.PENDING, RevisionState.ACCEPTED, RevisionState.DECLINED)


def on_user_deleting(sender, *, session: Session, user: User, **data) -> None:
    session.execute(update(Feedback).where(Feedback.user_id == user.id).values(comment=""))


def on_data_collecting(sender, *, session: Session, user: User, data: dict, **extra) -> None:
    feedback = session.execute(
        select(Feedback, Article.slug)
        .join(Article, Article.id == Feedback.article_id)
        .where(Feedback.user_id == user.id)
        .order_by(Feedback.id)
    )
    articles = session.scalars(
        select(Article).where(Article.author_id == user.id).order_by(Article.id)
    )
    revisions = session.scalars(
        select(ArticleRevision)
        .where(ArticleRevision.author_id == user.id)
        .order_by(ArticleRevision.id)
    )
    data["knowledge_base"] = {
        "feedback": [
            {
                "article": slug,
                "helpful": vote.helpful,
                "comment": vote.comment,
                "at": vote.created_at,
                "updated_at": vote.updated_at,
            }
            for vote, slug in feedback
        ],
        "articles_written": [
            {"id": a.id, "slug": a.slug, "title": a.title, "status": a.status} for a in articles
        ],
        # Suggested edits with their text (a member's own words); an agent's saved revisions
        # are listed only: their text is the article's, kept in its history.
        "revisions_and_suggestions": [
            {
                "article_id": revision.article_id,
                "number": revision.number,
                "state": revision.state,
                "note": revision.note_text,
                "at": revision.created_at,
                **(
                    {"title": revision.title, "summary": revision.summary, "body": revision.body}
                    if revision.state in SUGGESTION_STATES
                    else {}
                ),
            }
            for revision in revisions
        ],
    }
