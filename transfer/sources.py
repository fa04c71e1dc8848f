"""Readers of article sources: Markdown files with front matter, a CSV, a Zendesk export.

Each returns ``ArticleItem``s; an item that cannot be read carries its ``problem`` and is
reported, not imported, so one bad file does not stop the others.

Markdown files::

    ---
    title: Reset the router          # required
    summary: Two minutes, no tools   # optional, like every field below
    tags: [router, wi-fi]            # a list, or "router, wi-fi"
    lang: en                         # en or fr; left out: detected from the text
    status: published                # or draft
    id: kb-17                        # the item's id in its source; default: the file's path
    created_at: 2024-03-05T14:02:11Z
    ---
    The article, in Markdown.

A CSV has a header row with the same names (``body`` holds the Markdown; ``tags``
separated by commas or spaces). A Zendesk Help Center export is the JSON the Help Center
API returns for articles: ``{"articles": [...]}`` (with ``"sections": [...]`` when
sideloaded), or a list of articles; several pages may be given at once.
"""

import csv
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import yaml

from portal.i18n import N_
from transfer import html
from transfer.articles import ArticleItem, is_published, language_of

_FRONT_MATTER = re.compile(r"\A\ufeff?---\r?\n(.*?\r?\n)---\r?\n?(.*)\Z", re.DOTALL)
_SEPARATORS = re.compile(r"[,\s]+")


def _time(value) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _tag_list(value) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(item).strip() for item in value if str(item).strip())
    return tuple(part for part in _SEPARATORS.split(str(value or "")) if part)


def item_from_fields(source_id: str, fields: dict, body: str) -> ArticleItem:
    """An item from named fields (front matter, a CSV row), checked."""
    language = language_of(fields.get("lang") or fields.get("language"))
    item = ArticleItem(
        source_id=str(fields.get("id") or source_id),
        title=" ".join(str(fields.get("title") or "").split()),
        summary=" ".join(str(fields.get("summary") or "").split()),
        body=(body or "").strip(),
        tags=_tag_list(fields.get("tags")),
        language=language,
        published=is_published(fields.get("status")),
        created_at=_time(fields.get("created_at")),
        updated_at=_time(fields.get("updated_at")),
    )
    if language == "":
        wanted = fields.get("lang") or fields.get("language")
        item.problem = (N_("the language %(code)s is not one of the site's"), {"code": wanted})
    elif not item.title:
        item.problem = (N_("it has no title"), {})
    elif not item.body:
        item.problem = (N_("it has no text"), {})
    return item


def markdown_items(folder: Path) -> list[ArticleItem]:
    """Every *.md file under ``folder`` (README.md excepted), in path order."""
    paths = sorted(p for p in folder.rglob("*.md") if p.name.lower() != "readme.md")
    items = []
    for path in paths:
        relative = path.relative_to(folder).as_posix()
        match = _FRONT_MATTER.match(path.read_text(encoding="utf-8"))
        try:
            fields = yaml.safe_load(match[1]) if match else None
        except yaml.YAMLError:
            fields = None
        if not isinstance(fields, dict):
            problem = (N_("it does not start with front matter between two --- lines"), {})
            items.append(ArticleItem(relative, "", "", problem=problem))
            continue
        items.append(item_from_fields(relative, fields, match[2]))
    return items


def csv_items(path: Path) -> list[ArticleItem]:
    """One item per row of a CSV with a header (id, title, summary, body, tags, lang…)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return [
            item_from_fields(f"row-{number}", row, row.get("body") or "")
            for number, row in enumerate(reader, start=2)  # line 1 is the header
        ]


class NotAnExport(ValueError):
    """A file that is not a page of a Help Center articles export (its path)."""


def zendesk_items(paths: list[Path]) -> Iterator[ArticleItem]:
    """The articles of one or more pages of a Help Center articles export."""
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise NotAnExport(path) from None
        articles = data if isinstance(data, list) else data.get("articles", [])
        if not isinstance(articles, list) or not all(isinstance(a, dict) for a in articles):
            raise NotAnExport(path)
        sections = {}
        if isinstance(data, dict):
            sections = {s.get("id"): s.get("name", "") for s in data.get("sections", [])}
        for article in articles:
            yield zendesk_item(article, sections)


def zendesk_item(article: dict, sections: dict) -> ArticleItem:
    labels = list(article.get("label_names") or [])
    section = sections.get(article.get("section_id"))
    fields = {
        "id": f"article-{article.get('id')}",
        "title": article.get("title"),
        "lang": article.get("locale") or "en",
        "status": "draft" if article.get("draft") else "published",
        "tags": [*labels, *([section] if section else [])],
        "created_at": article.get("created_at"),
        "updated_at": article.get("edited_at") or article.get("updated_at"),
    }
    return item_from_fields(fields["id"], fields, html.to_markdown(article.get("body") or ""))
