"""Atom feeds (feedgen): each package lists its entries, this module writes the XML.

Links are absolute and built from SITE_URL (portal/urls.py), never the request's Host;
entry content is the same sanitized HTML the pages show (render_markdown).
"""

from dataclasses import dataclass
from datetime import datetime

from feedgen.feed import FeedGenerator
from flask import Response, current_app

from portal.database import utcnow

FEED_ENTRIES = 30  # the newest entries a feed carries


@dataclass(frozen=True)
class Entry:
    url: str  # absolute, also the entry's id
    title: str
    updated: datetime
    published: datetime | None
    author: str
    html: str  # sanitized


def atom_response(*, title: str, subtitle: str, self_url: str, page_url: str, entries: list[Entry]):
    """An Atom document as a response (application/atom+xml)."""
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(f"{title} · {current_app.config['SITE_NAME']}")
    feed.subtitle(subtitle)
    feed.link(href=page_url, rel="alternate", type="text/html")
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.updated(max((entry.updated for entry in entries), default=utcnow()))
    # feedgen prepends each entry: add the oldest first so the newest leads the document.
    for entry in reversed(entries):
        item = feed.add_entry()
        item.id(entry.url)
        item.title(entry.title)
        item.link(href=entry.url, rel="alternate", type="text/html")
        item.updated(entry.updated)
        if entry.published:
            item.published(entry.published)
        item.author(name=entry.author)
        item.content(entry.html, type="html")
    return Response(feed.atom_str(pretty=True), mimetype="application/atom+xml")
