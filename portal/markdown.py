"""The one Markdown renderer: python-markdown, then the nh3 allowlist. Used for every body.

Templates use the ``markdown`` filter (customer text) or ``markdown_staff`` (articles and
answers written by staff); never ``|safe`` on anything a user typed.
"""

from urllib.parse import urlsplit

import markdown as md
import markdown.extensions.toc
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code",
    "em", "strong", "del", "ul", "ol", "li", "a", "img", "table", "thead", "tbody",
    "tr", "th", "td", "div", "span", "sup", "sub", "kbd",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "div": {"class"},
}  # fmt: skip
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["fenced_code", "tables", "sane_lists", "toc"]


def _section_id(value: str, separator: str) -> str:
    # Prefixed so a heading can never take the id of an element of the page around it.
    return "sec-" + md.extensions.toc.slugify_unicode(value, separator)


EXTENSION_CONFIGS = {"toc": {"permalink": False, "toc_depth": "2-3", "slugify": _section_id}}


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Images only from this portal (a path) or over https; drop everything else."""
    if tag == "img" and attribute == "src":
        parts = urlsplit(value)
        if parts.scheme == "https" or (
            not parts.scheme and not parts.netloc and value.startswith("/")
        ):
            return value
        return None
    return value


def sanitize(html: str, *, user_content: bool = True) -> str:
    """Strip a rendered fragment down to the allowlist; customer links get nofollow ugc."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener noreferrer" if user_content else "noopener noreferrer",
    )


def render_markdown_with_toc(text: str, *, user_content: bool = True) -> tuple[Markup, Markup]:
    """Markdown → (safe HTML, safe table-of-contents HTML, empty when under two headings)."""
    converter = md.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    html = converter.convert(text or "")
    toc_tokens = getattr(converter, "toc_tokens", [])
    toc = converter.toc if sum(1 + len(t.get("children", [])) for t in toc_tokens) >= 2 else ""
    return Markup(sanitize(html, user_content=user_content)), Markup(
        sanitize(toc, user_content=False)
    )


def render_markdown(text: str, *, user_content: bool = True) -> Markup:
    """Markdown → HTML that is safe to put on a page."""
    return render_markdown_with_toc(text, user_content=user_content)[0]


def init_app(app) -> None:
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(
        lambda text: render_markdown(text, user_content=False), "markdown_staff"
    )
