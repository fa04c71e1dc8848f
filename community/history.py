"""Edit history of a post as a list of versions with line diffs."""

import difflib
from dataclasses import dataclass, field
from datetime import datetime

from community.models import Post


@dataclass
class Version:
    number: int
    title: str | None
    body: str
    editor: object
    at: datetime
    diff: list[tuple[str, str]] = field(default_factory=list)  # (" " | "+" | "-", line)


def line_diff(before: str, after: str) -> list[tuple[str, str]]:
    """Lines kept, added (+) and removed (-) between two texts."""
    lines = difflib.ndiff(before.splitlines(), after.splitlines())
    return [(line[0], line[2:]) for line in lines if line[:1] in {" ", "+", "-"}]


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
            before_title, before_body = states[number - 1]
            version.diff = line_diff(before_body, body)
            if title != before_title:
                version.diff.insert(0, ("+", f"Title: {title}"))
                version.diff.insert(0, ("-", f"Title: {before_title}"))
        result.append(version)
    return list(reversed(result))
