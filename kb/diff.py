"""Diffs between two states of an article: title, summary, tags and body in one text."""

from flask_babel import gettext as _

from portal.diff import Diff, diff_texts


def as_document(item) -> str:
    """An article or revision as one text: title, summary, tags, body — so all show in a diff."""
    tags = getattr(item, "tag_slugs", None)
    if tags is None:
        tags = " ".join(tag.slug for tag in item.tags)
    head = [
        _("Title: %(title)s", title=item.title),
        _("Summary: %(summary)s", summary=item.summary),
        _("Tags: %(tags)s", tags=tags),
        "",
    ]
    return "\n".join(head) + "\n" + item.body


def diff_items(old, new, context: int = 3) -> Diff:
    """Diff two articles or revisions."""
    return diff_texts(as_document(old), as_document(new), context)
