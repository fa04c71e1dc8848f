"""Readable line diffs between two states of an article (rendered escaped by the templates)."""

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "remove", "same" or "hunk"
    text: str


@dataclass(frozen=True)
class Diff:
    lines: list[DiffLine]

    @property
    def added(self) -> int:
        return sum(line.kind == "add" for line in self.lines)

    @property
    def removed(self) -> int:
        return sum(line.kind == "remove" for line in self.lines)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed)


def as_document(item) -> str:
    """An article or revision as one text: title, summary, tags, body — so all show in a diff."""
    tags = getattr(item, "tag_slugs", None)
    if tags is None:
        tags = " ".join(tag.slug for tag in item.tags)
    head = [f"Title: {item.title}", f"Summary: {item.summary}", f"Tags: {tags}", ""]
    return "\n".join(head) + "\n" + item.body


def diff_documents(old: str, new: str, context: int = 3) -> Diff:
    """A unified diff of two texts as classified lines."""
    kinds = {"+": "add", "-": "remove", " ": "same", "@": "hunk"}
    lines = []
    raw = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=context)
    for index, line in enumerate(raw):
        if index < 2:  # the "--- / +++" file header; later lines may start like it (a "---" rule)
            continue
        kind = kinds.get(line[:1], "same")
        lines.append(DiffLine(kind, line if kind == "hunk" else line[1:]))
    return Diff(lines)


def diff_items(old, new, context: int = 3) -> Diff:
    """Diff two articles or revisions."""
    return diff_documents(as_document(old), as_document(new), context)
