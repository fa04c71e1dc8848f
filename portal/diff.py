"""Readable line diffs between two texts, for edit histories (rendered escaped by _diff.html)."""

import difflib
from dataclasses import dataclass

# Show every line of short texts such as posts; long articles pass a small context.
ALL_LINES = 10**6


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


def diff_texts(old: str, new: str, context: int = 3) -> Diff:
    """A unified diff of two texts as classified lines."""
    kinds = {"+": "add", "-": "remove", " ": "same", "@": "hunk"}
    old_lines, new_lines = old.splitlines(), new.splitlines()
    whole_text = context >= max(len(old_lines), len(new_lines))  # one hunk: its header is noise
    lines = []
    raw = difflib.unified_diff(old_lines, new_lines, lineterm="", n=context)
    for index, line in enumerate(raw):
        if index < 2:  # the "--- / +++" file header; later lines may start like it (a "---" rule)
            continue
        kind = kinds.get(line[:1], "same")
        if kind == "hunk" and whole_text:
            continue
        lines.append(DiffLine(kind, line if kind == "hunk" else line[1:]))
    return Diff(lines)
