"""The checks an article's fields pass before any is stored: the messages name the field,
so the editor shows each one beside it."""

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from kb.models import (
    BODY_MAX_BYTES,
    LANGUAGES,
    NOTE_MAX,
    SUMMARY_MAX,
    TAGS_MAX,
    TAGS_MIN,
    TITLE_MAX,
)
from portal.errors import ValidationFailed
from portal.models import Tag
from portal.service import tags_by_slug
from portal.text_language import detect_language


def clean_text(title: str, summary: str, body: str) -> tuple[str, str, str]:
    """Trimmed title, summary and body, or a ValidationFailed naming the field."""
    title = " ".join((title or "").split())
    summary = " ".join((summary or "").split())
    body = (body or "").replace("\r\n", "\n").rstrip() + "\n"  # browsers send CRLF
    if not title:
        raise ValidationFailed(_("Give the article a title."), field="title")
    if len(title) > TITLE_MAX:
        raise ValidationFailed(
            _("Keep the title under %(max)s characters.", max=TITLE_MAX), field="title"
        )
    if len(summary) > SUMMARY_MAX:
        raise ValidationFailed(
            _("Keep the summary under %(max)s characters.", max=SUMMARY_MAX), field="summary"
        )
    if not body.strip():
        raise ValidationFailed(_("Write the article’s text."), field="body")
    size = len(body.encode())
    if size > BODY_MAX_BYTES:
        raise ValidationFailed(
            _(
                "The text is %(size)s kB; an article may have at most %(max)s kB. Split it "
                "into several articles.",
                size=size // 1024,
                max=BODY_MAX_BYTES // 1024,
            ),
            field="body",
        )
    return title, summary, body


def clean_tags(session: Session, tag_slugs: list[str]) -> list[Tag]:
    """The 1–5 existing tags named by these slugs."""
    tags = tags_by_slug(session, tag_slugs)  # unknown slugs are an error: only agents add tags
    if not TAGS_MIN <= len(tags) <= TAGS_MAX:
        raise ValidationFailed(
            _("Choose %(min)s to %(max)s tags.", min=TAGS_MIN, max=TAGS_MAX), field="tags"
        )
    return tags


def clean_note(note: str) -> str:
    """A revision or review note on one line, within its length."""
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX:
        raise ValidationFailed(
            _("Keep the note under %(max)s characters.", max=NOTE_MAX), field="note"
        )
    return note


def clean_language(language: str | None, title: str, summary: str, body: str) -> str:
    """The language chosen, else the one the text is written in."""
    if not language:
        return detect_language(f"{title}\n{summary}\n{body}")
    if language not in LANGUAGES:
        raise ValidationFailed(_("Choose a language from the list."), field="language")
    return language
