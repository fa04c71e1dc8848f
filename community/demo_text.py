"""A compact text format for demo threads, so a hundred threads read like a forum, not code.

One thread::

    # Title of the question
    author | tag-slug other-slug | 12d | +3          (age: 12d or 30h; +3: question votes)
    The question, on as many lines as needed; a blank line starts a new paragraph,
    and lines starting with "- " or "1. " stay list items.
    > priya 3h +9 -1 ok                              (delay after the question, votes, ok: accepted)
    The reply.
    > sam 1d +2
    Another reply.

Options after the question votes: ``locked``.
"""

import re

from community.demo_content import DAY, Q, R

_LIST_ITEM = re.compile(r"^(- |\d+\. )")
_DELAY = re.compile(r"^(\d+(?:\.\d+)?)([hdm])$")
_UNITS = {"m": 1 / 60, "h": 1, "d": DAY}


def hours(text: str) -> float:
    """'3h' → 3, '2d' → 48, '30m' → 0.5."""
    match = _DELAY.match(text)
    if match is None:
        raise ValueError(f"not a delay: {text!r}")
    return float(match[1]) * _UNITS[match[2]]


def join_lines(lines: list[str]) -> str:
    """Wrapped lines back into Markdown paragraphs (list items keep their own lines)."""
    paragraphs, current = [], ""
    for line in lines:
        line = line.strip()
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
        elif not current:
            current = line
        else:
            current += ("\n" if _LIST_ITEM.match(line) else " ") + line
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def _votes(tokens: list[str]) -> tuple[int, int]:
    up = sum(int(t) for t in tokens if t.startswith("+"))
    down = -sum(int(t) for t in tokens if t.startswith("-"))
    return up, down


def _thread(title: str, lines: list[str]) -> Q:
    author, tags, age, *options = (part.strip() for part in lines[0].split("|"))
    up, _ = _votes(" ".join(options).split())
    thread = Q(title, author, tags.split(), hours(age), "", up=up, locked="locked" in options)
    chunks: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in lines[1:]:
        if line.startswith("> "):
            chunks.append((line[2:], []))
        else:
            chunks[-1][1].append(line)
    thread.body = join_lines(chunks[0][1])
    for index, (meta, body) in enumerate(chunks[1:]):
        name, delay, *rest = meta.split()
        reply_up, reply_down = _votes(rest)
        thread.replies.append(R(name, join_lines(body), hours(delay), reply_up, reply_down))
        if "ok" in rest:
            thread.solved = index
    return thread


def parse(text: str) -> list[Q]:
    """Every thread written in the format above."""
    threads, title, lines = [], None, []
    for line in text.strip().splitlines():
        if line.startswith("# "):
            if title is not None:
                threads.append(_thread(title, lines))
            title, lines = line[2:].strip(), []
        else:
            lines.append(line)
    if title is not None:
        threads.append(_thread(title, lines))
    return threads
