"""A deleted account in the knowledge base.

Articles, revisions and suggested edits stay under the emptied account: they are the
site's content. A reader's "was this helpful?" vote stays, so the articles' numbers do not
change, but the comment that came with it is erased.
"""

from sqlalchemy import update
from sqlalchemy.orm import Session

from kb.models import Feedback
from portal.models import User


def on_user_deleting(sender, *, session: Session, user: User, **data) -> None:
    session.execute(update(Feedback).where(Feedback.user_id == user.id).values(comment=""))
