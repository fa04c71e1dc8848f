"""Edit history of a post as a list of versions with line diffs."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext

from community.models import Post
from portal.diff import ALL_LINES, Diff, diff_texts


@dataclass
class Version:
    number: int
    title: str | None
    body: str
    editor: object
    at: datetime
    diff: Diff | None = None  # against the version before; None for the first


def as_text(title: str | None, body: str) -> str:
    """A version as one text, the question's title first, so title edits show in the diff."""
    return body if title is None else gettext("Title: %(title)s", title=title) + f"\n\n{body}"


def versions(post: Post) -> list[Version]:
    """Every version of a post, newest first; each edit with its diff against the one before."""
    revisions = post.revisions
    states = [(r.previous_title, r.previous_body) for r in revisions]
    states.append((post.thread.title if post.is_question else None, post.body))
    authors = [(post.author, post.created_at)] + [(r.editor, r.edited_at) for r in revisions]
    result = []
    for number, ((title, body), (editor, at)) in enumerate(zip(states, authors, strict=True)):
        version = Version(number + 1, title, body, editor, at)
        if number:
            version.diff = diff_texts(as_text(*states[number - 1]), as_text(title, body), ALL_LINES)
        result.append(version)
    return list(reversed(result))
