"""Demo content as files: one Markdown file per item, its metadata in YAML front matter.

    ---
    title: Wi-Fi drops every evening around 8 pm
    lang: en
    ---
    The text, in Markdown.

    --- reply: priya · 3 hours later · +9 · accepted
    A part of the same item, for content that has parts (a thread's replies).

Writers and translators edit these files, not code, so every mistake is reported with the
file and the field it is in.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("en", "fr")

_FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n(.*)\Z", re.DOTALL)
_PART = re.compile(r"^--- (\w+):(.*)$", re.MULTILINE)
_TYPE_NAMES = {str: "a text", int: "a whole number", bool: "true or false", list: "a list"}


class DemoFileError(ValueError):
    """A demo file that cannot be used, with the file and the field to fix."""

    def __init__(self, path: Path, field: str, problem: str):
        super().__init__(f"{path}: {field}: {problem}")
        self.path, self.field = path, field


@dataclass(frozen=True)
class DemoFile:
    """One item: its front matter, its body and its parts as (heading, text) pairs."""

    path: Path
    fields: dict[str, Any]
    body: str
    parts: tuple[tuple[str, str], ...] = ()

    def error(self, field: str, problem: str) -> DemoFileError:
        return DemoFileError(self.path, field, problem)


def load_folder(
    folder: Path, fields: dict[str, Any], optional: dict[str, Any] | None = None,
    part: str | None = None,
) -> list[DemoFile]:  # fmt: skip
    """Every *.md file of the folder in file-name order (README.md excepted)."""
    paths = sorted(path for path in folder.glob("*.md") if path.name != "README.md")
    return [load_file(path, fields, optional or {}, part) for path in paths]


def load_file(
    path: Path, fields: dict[str, Any], optional: dict[str, Any], part: str | None
) -> DemoFile:
    """One file, checked: fields maps each required field to its type (str, int, bool,
    list of texts) or to a tuple of the texts it may be; optional likewise; part is the
    word of the `--- word: heading` lines that open the item's parts, if it has any."""
    match = _FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    if match is None:
        raise DemoFileError(path, "front matter", "the file must start with a '---' line, "
                            "then the fields, then another '---' line")  # fmt: skip
    try:
        values = yaml.safe_load(match[1])
    except yaml.YAMLError as error:
        raise DemoFileError(path, "front matter", f"not valid YAML ({error})") from None
    if not isinstance(values, dict):
        raise DemoFileError(path, "front matter", "write one 'field: value' per line")
    expected = {"lang": LANGUAGES, **fields, **optional}
    missing = [name for name in expected if name not in values and name not in optional]
    if missing:
        raise DemoFileError(path, missing[0], "missing")
    for name, value in values.items():
        if name not in expected:
            raise DemoFileError(path, str(name), f"not a known field ({', '.join(expected)})")
        _check(path, name, value, expected[name])
    body, *rest = _PART.split(match[2])
    parts = []
    for kind, heading, text in zip(rest[::3], rest[1::3], rest[2::3], strict=True):
        if kind != part:
            raise DemoFileError(path, f"--- {kind}:", "not a part this content can have")
        if not text.strip():
            raise DemoFileError(path, f"--- {kind}:{heading}", "no text under this line")
        parts.append((heading.strip(), text.strip()))
    if not body.strip():
        raise DemoFileError(path, "body", "the text after the front matter is empty")
    return DemoFile(path, values, body.strip(), tuple(parts))


def _check(path: Path, name: str, value: Any, expected: Any) -> None:
    if isinstance(expected, tuple):
        if value not in expected:
            raise DemoFileError(path, name, f"{value!r} is not one of {', '.join(expected)}")
    # bool is an int to Python, not to a writer: compare the types exactly.
    elif type(value) is not expected:
        raise DemoFileError(path, name, f"{value!r} should be {_TYPE_NAMES[expected]}")
    elif expected is list and not all(isinstance(item, str) and item for item in value):
        raise DemoFileError(path, name, "every item of the list should be a text")
    elif expected is str and not value.strip():
        raise DemoFileError(path, name, "empty")
