"""The announcement every community change makes for derived data (the search index)."""

from sqlalchemy.orm import Session

from community import listing
from portal import events


def changed(session: Session, thread, post, change: str) -> None:
    """Keep the lists' columns and counts in step, then publish "community.thread_changed"
    in the transaction: search records it in its feed."""
    listing.refresh(session, thread)
    events.publish(
        "community.thread_changed",
        session=session,
        thread_id=thread.id,
        post_id=post.id if post is not None else None,
        change=change,
    )
