"""The community's pages in /sitemap.xml (the KB owns the sitemap and asks by event)."""

from flask import url_for
from sqlalchemy.orm import Session

from community import queries


def add_threads(sender, *, session: Session, entries: list, **data) -> None:
    """Append the community home and every public thread to the sitemap entries."""
    entries.append((url_for("community.index", _external=True), None))
    entries.extend(
        (url_for("community.thread", thread_id=thread_id, _external=True), last_activity)
        for thread_id, last_activity in queries.sitemap_threads(session)
    )
