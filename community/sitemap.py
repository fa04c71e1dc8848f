"""The community's pages in /sitemap.xml (the KB owns the sitemap and asks by event)."""

from sqlalchemy.orm import Session

from community import queries
from portal.urls import external_url


def add_threads(sender, *, session: Session, entries: list, **data) -> None:
    """Append the community home and every public thread to the sitemap entries."""
    entries.append((external_url("community.index"), None))
    entries.extend(
        (external_url("community.thread", thread_id=thread_id), last_activity)
        for thread_id, last_activity in queries.sitemap_threads(session)
    )
