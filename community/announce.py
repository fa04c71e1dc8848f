"""The announcement every community change makes for derived data (the search index)."""

from sqlalchemy.orm import Session

from portal import events


def changed(session: Session, thread, post, change: str) -> None:
    """Publish "community.thread_changed" in the transaction: search records it in its feed."""
    events.publish(
        "community.thread_changed",
        session=session,
        thread_id=thread.id,
        post_id=post.id if post is not None else None,
        change=change,
    )
