"""An article's body and table of contents as HTML, stored with it (portal/stored_html.py)."""

from markupsafe import Markup

from kb.models import Article
from portal import stored_html
from portal.markdown import RENDERER_VERSION, render_markdown_with_toc


def render_article(article: Article) -> dict:
    """The columns of an article's stored HTML (staff text: links without nofollow)."""
    html, toc = render_markdown_with_toc(article.body, user_content=False)
    return {"body_html": str(html), "toc_html": str(toc), "html_version": RENDERER_VERSION}


def article_html(article: Article) -> tuple[Markup, Markup]:
    """(body, table of contents): stored, or rendered now when the stored ones are stale."""
    body = stored_html.fragment(article.body_html, article.html_version)
    toc = stored_html.fragment(article.toc_html, article.html_version)
    if body is None or toc is None:
        fresh = render_article(article)
        return Markup(fresh["body_html"]), Markup(fresh["toc_html"])
    return body, toc


def init_app(app) -> None:
    stored_html.register("articles", Article, ("body",), render_article)
