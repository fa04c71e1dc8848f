"""A deleted account in search's analytics.

Searches and deflection steps stay for the numbers (content gaps, deflection rate) but are
no longer tied to the account: their user_id is emptied. They still share the browser's
random session id, which names no one. The index holds no author names.
"""

from sqlalchemy import update
from sqlalchemy.orm import Session

from portal.models import User
from search.models import DeflectionEvent, SearchQuery


def on_user_deleting(sender, *, session: Session, user: User, **data) -> None:
    for model in (SearchQuery, DeflectionEvent):
        session.execute(update(model).where(model.user_id == user.id).values(user_id=None))
