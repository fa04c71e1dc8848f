"""The demo threads, one Markdown file each in demo_data/threads/ (format in its README.md).

Written for this project; Brightwave, its products and its customers are fictional.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from portal.demo_files import DemoFile, load_folder
from portal.text_language import CONTENT_LANGUAGES

FOLDER = Path(__file__).parent / "demo_data" / "threads"
FIELDS = {"title": str, "author": str, "tags": list, "asked": str}
OPTIONAL = {
    "votes": int,
    "locked": bool,
    "duplicate_of": str,
    "edited_from": str,
    "formerly": str,
}

_DELAY = re.compile(r"^(\d+(?:\.\d+)?) (minute|hour|day)s? (ago|later)$")
_HOURS = {"minute": 1 / 60, "hour": 1, "day": 24}
_VOTES = re.compile(r"^[+-]\d+$")


@dataclass(frozen=True)
class DemoReply:
    """A reply: who, what, how many hours after the question, votes, and its language
    when it is not the thread's (None: the thread's)."""

    author: str
    body: str
    after_hours: float
    up: int = 0
    down: int = 0
    lang: str | None = None


@dataclass(frozen=True)
class DemoThread:
    """A thread; solved is the index of the accepted reply."""

    title: str
    lang: str
    author: str
    tags: tuple[str, ...]
    hours_ago: float
    body: str
    replies: tuple[DemoReply, ...] = ()
    solved: int | None = None
    up: int = 0
    locked: bool = False
    duplicate_of: str | None = None
    edited_from: str | None = None
    formerly: str | None = None  # its title in older demo databases


@cache
def demo_threads() -> tuple[DemoThread, ...]:
    """The demo's threads in seeding order (the file names' order, which picks the voters)."""
    return tuple(load_threads(FOLDER))


def load_threads(folder: Path) -> list[DemoThread]:
    """Every thread written in the folder, in file-name order."""
    return [_thread(file) for file in load_folder(folder, FIELDS, OPTIONAL, part="reply")]


def _hours(file: DemoFile, field: str, text: str, word: str) -> float:
    """'3 hours later' → 3, '40 days ago' → 960, '20 minutes later' → 1/3."""
    match = _DELAY.match(text)
    if match is None or match[3] != word:
        raise file.error(field, f"write how long {word} like '3 hours {word}', not {text!r}")
    return float(match[1]) * _HOURS[match[2]]


def _reply(file: DemoFile, number: int, heading: str, body: str) -> tuple[DemoReply, bool]:
    """A reply from its line: '--- reply: priya · 3 hours later · +9 -1 · accepted · fr'."""
    field, usage = f"reply {number}", "write 'author · 3 hours later · +2 · accepted · fr'"
    parts = [part.strip() for part in heading.split("·")]
    if len(parts) < 2 or not parts[0]:
        raise file.error(field, f"{usage}, not {heading!r}")
    author, delay, *rest = parts
    words = " ".join(rest).split()
    known = {"accepted", *CONTENT_LANGUAGES}
    if any(word not in known and _VOTES.match(word) is None for word in words):
        raise file.error(field, f"{usage}, not {heading!r}")
    up = sum(int(word) for word in words if word.startswith("+"))
    down = -sum(int(word) for word in words if word.startswith("-"))
    lang = next((word for word in words if word in CONTENT_LANGUAGES), None)
    reply = DemoReply(author, body, _hours(file, field, delay, "later"), up, down, lang)
    return reply, "accepted" in words


def _thread(file: DemoFile) -> DemoThread:
    fields = file.fields
    replies, accepted = [], []
    for number, (heading, body) in enumerate(file.parts, start=1):
        reply, is_accepted = _reply(file, number, heading, body)
        replies.append(reply)
        if is_accepted:
            accepted.append(number - 1)
    if len(accepted) > 1:
        raise file.error(f"reply {accepted[1] + 1}", "only one reply can be accepted")
    return DemoThread(
        title=fields["title"],
        lang=fields["lang"],
        author=fields["author"],
        tags=tuple(fields["tags"]),
        hours_ago=_hours(file, "asked", fields["asked"], "ago"),
        body=file.body,
        replies=tuple(replies),
        solved=accepted[0] if accepted else None,
        up=fields.get("votes", 0),
        locked=fields.get("locked", False),
        duplicate_of=fields.get("duplicate_of"),
        edited_from=fields.get("edited_from"),
        formerly=fields.get("formerly"),
    )
