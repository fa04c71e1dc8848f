"""Imported HTML (Stack Exchange posts, Zendesk articles) → the Markdown every body here is.

Sanitized first with nh3's allowlist (scripts, styles and their contents, event handlers
and javascript: links go), then converted by markdownify, a maintained converter: the
stored body is plain Markdown, rendered and sanitized again on every page like any other.
"""

import re

import nh3
from markdownify import markdownify

_BLANK_LINES = re.compile(r"\n{3,}")


def to_markdown(html: str) -> str:
    """Markdown for an HTML fragment; empty when nothing readable is left."""
    if not html or not html.strip():
        return ""
    safe = nh3.clean(html)
    text = markdownify(safe, heading_style="ATX", bullets="-", escape_underscores=False)
    return _BLANK_LINES.sub("\n\n", text).strip()


def to_text(html: str) -> str:
    """Plain text of an HTML fragment on one line (a profile's "about me", a summary)."""
    return " ".join(nh3.clean(html or "", tags=set()).split())
