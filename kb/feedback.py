""" "Was this helpful?": one vote per user or anonymous session, and what agents learn from it."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kb.models import COMMENT_MAX, Article, ArticleStatus, Feedback
from portal.database import utcnow
from portal.errors import NotFound, ValidationFailed


@dataclass(frozen=True)
class Helpfulness:
    yes: int = 0
    no: int = 0

    @property
    def votes(self) -> int:
        return self.yes + self.no

    @property
    def percent(self) -> int | None:
        """Share of "yes" votes, None before the first vote."""
        return round(100 * self.yes / self.votes) if self.votes else None


def _voter_filter(user, voter_key: str | None):
    return Feedback.user_id == user.id if user is not None else Feedback.voter_key == voter_key


def vote_of(session: Session, article: Article, user, voter_key: str | None) -> Feedback | None:
    """This reader's vote on the article, if any (user None means an anonymous visitor)."""
    if user is None and not voter_key:
        return None
    return session.scalar(
        select(Feedback).where(Feedback.article_id == article.id, _voter_filter(user, voter_key))
    )


def record_vote(
    session: Session,
    article: Article,
    *,
    user,
    voter_key: str | None,
    helpful: bool,
    comment: str = "",
) -> Feedback:
    """Store or change a reader's vote; a comment is kept only with a "no"."""
    if not article.is_published:
        raise NotFound(_("No such article."))
    if user is None and not voter_key:
        raise ValidationFailed(
            _("Your browser did not keep our session cookie: please enable cookies.")
        )
    comment = (comment or "").replace("\r\n", "\n").strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationFailed(
            _("Keep the comment under %(max)s characters.", max=COMMENT_MAX), field="comment"
        )
    vote = vote_of(session, article, user, voter_key)
    if vote is None:
        vote = Feedback(
            article_id=article.id,
            user_id=user.id if user is not None else None,
            voter_key=None if user is not None else voter_key,
            helpful=helpful,
        )
        try:
            with session.begin_nested():  # a double click races to the same unique key
                session.add(vote)
        except IntegrityError:
            vote = vote_of(session, article, user, voter_key)
    vote.helpful = helpful
    if helpful:
        vote.comment = ""
    elif comment:
        vote.comment = comment
    vote.updated_at = utcnow()
    session.flush()
    return vote


def helpfulness(session: Session, article_ids: list[int]) -> dict[int, Helpfulness]:
    """Yes and no counts per article."""
    if not article_ids:
        return {}
    rows = session.execute(
        select(
            Feedback.article_id,
            func.sum(case((Feedback.helpful, 1), else_=0)),
            func.sum(case((Feedback.helpful, 0), else_=1)),
        )
        .where(Feedback.article_id.in_(article_ids))
        .group_by(Feedback.article_id)
    )
    counts = {article_id: Helpfulness(int(yes), int(no)) for article_id, yes, no in rows}
    return {article_id: counts.get(article_id, Helpfulness()) for article_id in article_ids}


def recent_comments(session: Session, article: Article, limit: int = 10) -> list[Feedback]:
    """The latest "not helpful" votes that say why, for the agents fixing the article."""
    return list(
        session.scalars(
            select(Feedback)
            .where(Feedback.article_id == article.id, Feedback.helpful.is_(False))
            .where(Feedback.comment != "")
            .order_by(Feedback.updated_at.desc())
            .limit(limit)
        )
    )


def least_helpful(
    session: Session, *, min_votes: int, limit: int = 25
) -> list[tuple[Article, Helpfulness]]:
    """Published articles with enough votes, the lowest share of "yes" first."""
    yes = func.sum(case((Feedback.helpful, 1), else_=0))
    total = func.count(Feedback.id)
    rows = session.execute(
        select(Article, yes, total)
        .join(Feedback, Feedback.article_id == Article.id)
        .where(Article.status == ArticleStatus.PUBLISHED.value)
        .group_by(Article.id)
        .having(total >= min_votes)
        .order_by((1.0 * yes / total).asc(), total.desc(), Article.title)
        .limit(limit)
    )
    return [(article, Helpfulness(int(y), int(t) - int(y))) for article, y, t in rows]
