"""The after-commit announcement every community change makes for derived data."""

from sqlalchemy.orm import Session

from portal import events


def changed(session: Session, thread, post, change: str) -> None:
    """Queue "community.thread_changed" (plain ids) for after the commit: search reindexes."""
    events.publish_after_commit(
        session,
        "community.thread_changed",
        thread_id=thread.id,
        post_id=post.id if post is not None else None,
        change=change,
    )
