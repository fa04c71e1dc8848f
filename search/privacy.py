"""A deleted account in search's analytics, and a member's searches for download.

Searches and deflection steps stay for the numbers (content gaps, deflection rate) but are
no longer tied to the account: their user_id is emptied. They still share the browser's
random session id, which names no one. The index holds no author names.
"""

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.models import User
from search.models import DeflectionEvent, SearchQuery


def on_user_deleting(sender, *, session: Session, user: User, **data) -> None:
    for model in (SearchQuery, DeflectionEvent):
        session.execute(update(model).where(model.user_id == user.id).values(user_id=None))


def on_data_collecting(sender, *, session: Session, user: User, data: dict, **extra) -> None:
    queries = session.scalars(
        select(SearchQuery).where(SearchQuery.user_id == user.id).order_by(SearchQuery.id)
    )
    steps = session.scalars(
        select(DeflectionEvent)
        .where(DeflectionEvent.user_id == user.id)
        .order_by(DeflectionEvent.id)
    )
    data["search"] = {
        "searches": [
            {
                "text": query.text,
                "results": query.results_count,
                "opened": query.clicked_key,
                "at": query.created_at,
            }
            for query in queries
        ],
        "suggestions_and_answers": [
            {
                "step": step.step,
                "document": step.doc_key,
                "typed": step.query_text,
                "at": step.created_at,
            }
            for step in steps
        ],  # fmt: skip
    }
