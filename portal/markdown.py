"""The one Markdown renderer: python-markdown, then the nh3 allowlist. Used for every body.

Templates use the ``markdown`` filter (customer text) or ``markdown_staff`` (articles and
answers written by staff); never ``|safe`` on anything a user typed. Both take
``mentions=true`` to turn @username into a link to that user's profile (existing users
only; the link is built by the renderer and still passes the allowlist).
"""

import importlib.metadata
import re
from urllib.parse import urlsplit
from xml.etree import ElementTree

import markdown as md
import markdown.extensions.toc
import nh3
from markdown.treeprocessors import Treeprocessor
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
# Stored HTML (a post's, an article's) was made by this renderer: bump RULES when the rules
# in this module change; the libraries' versions count too, since a new nh3 may clean
# differently. A fragment stored with another version is rendered again on the fly when
# shown, and `flask markdown rerender` stores it again (portal/stored_html.py).
RULES = 1
RENDERER_VERSION = f"{RULES}/md-{md.__version__}/nh3-{importlib.metadata.version('nh3')}"
EXTENSIONS = ["fenced_code", "tables", "sane_lists", "toc"]
# @username: not inside an e-mail address, a path or a longer @@ run; usernames are lowercase.
MENTION = re.compile(r"(?<![\w@/.])@([a-z0-9][a-z0-9_-]{2,31})", re.IGNORECASE)
# Below the inline processor (20): mentions are linked in the finished tree.
MENTION_PRIORITY = 5


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


class _MentionLinks(Treeprocessor):
    """@username → <a href="profile">@username</a> for the names given; others stay text.

    Runs on the finished tree, so mentions inside links, code and code blocks stay as written.
    """

    SKIP = frozenset({"a", "code", "pre"})

    def __init__(self, converter: md.Markdown, links: dict[str, str]):
        super().__init__(converter)
        self.links = links

    def run(self, root: ElementTree.Element) -> None:
        self._walk(root)

    def _walk(self, parent: ElementTree.Element) -> None:
        if parent.tag in self.SKIP:
            return
        parent.text, made = self._split(parent.text)
        for offset, link in enumerate(made):
            parent.insert(offset, link)
        for child in list(parent):
            self._walk(child)
            child.tail, made = self._split(child.tail)
            position = list(parent).index(child) + 1
            for offset, link in enumerate(made):
                parent.insert(position + offset, link)

    def _split(self, text: str | None) -> tuple[str | None, list[ElementTree.Element]]:
        """The text before the first known mention, and <a> elements carrying the rest."""
        if not text:
            return text, []
        head, links, last = None, [], 0
        for match in MENTION.finditer(text):
            url = self.links.get(match.group(1).lower())
            if url is None:
                continue
            before = text[last : match.start()]
            if links:
                links[-1].tail = before
            else:
                head = before
            link = ElementTree.Element("a", {"href": url})
            link.text = match.group(0)
            links.append(link)
            last = match.end()
        if not links:
            return text, []
        links[-1].tail = text[last:]
        return head, links


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


def render_markdown_with_toc(
    text: str, *, user_content: bool = True, mention_links: dict[str, str] | None = None
) -> tuple[Markup, Markup]:
    """Markdown → (safe HTML, safe table-of-contents HTML, empty when under two headings).

    mention_links maps lowercase usernames to profile URLs: those @mentions become links.
    """
    converter = md.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    if mention_links:
        converter.treeprocessors.register(
            _MentionLinks(converter, mention_links), "mention", MENTION_PRIORITY
        )
    html = converter.convert(text or "")
    toc_tokens = getattr(converter, "toc_tokens", [])
    toc = converter.toc if sum(1 + len(t.get("children", [])) for t in toc_tokens) >= 2 else ""
    return Markup(sanitize(html, user_content=user_content)), Markup(
        sanitize(toc, user_content=False)
    )


def render_markdown(
    text: str, *, user_content: bool = True, mention_links: dict[str, str] | None = None
) -> Markup:
    """Markdown → HTML that is safe to put on a page."""
    return render_markdown_with_toc(text, user_content=user_content, mention_links=mention_links)[0]


def profile_links(text: str) -> dict[str, str]:
    """{username: profile path} for the existing users @mentioned in a text (one query)."""
    from flask import has_request_context, url_for
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import User
    from portal.urls import site_path

    names = {name.lower() for name in MENTION.findall(text or "")}
    if not names:
        return {}
    found = db.session.scalars(select(User.username).where(User.username.in_(names)))
    # Outside a request (a job, a command storing HTML) the path comes from SITE_URL.
    build = url_for if has_request_context() else site_path
    return {username: build("portal.profile", username=username) for username in found}


def init_app(app) -> None:
    def customer_markdown(text: str, mentions: bool = False) -> Markup:
        links = profile_links(text) if mentions else None
        return render_markdown(text, mention_links=links)

    def staff_markdown(text: str, mentions: bool = False) -> Markup:
        links = profile_links(text) if mentions else None
        return render_markdown(text, user_content=False, mention_links=links)

    app.add_template_filter(customer_markdown, "markdown")
    app.add_template_filter(staff_markdown, "markdown_staff")
