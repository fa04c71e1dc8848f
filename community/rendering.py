"""A post's body as HTML: stored with the post (portal/stored_html.py), shown from there."""

from markupsafe import Markup
from sqlalchemy.orm import object_session

from community.models import Post
from portal import stored_html
from portal.markdown import RENDERER_VERSION, profile_links, render_markdown
from portal.models import User
from portal.permissions import is_staff


def render_post(post: Post) -> dict:
    """The columns of a post's stored HTML: staff links without nofollow, @mentions linked."""
    author = post.author
    if author is None and post.author_id is not None:  # a new row given only author_id
        author = object_session(post).get(User, post.author_id)
    html = render_markdown(
        post.body, user_content=not is_staff(author), mention_links=profile_links(post.body)
    )
    return {"body_html": str(html), "html_version": RENDERER_VERSION}


def post_html(post: Post) -> Markup:
    """For templates: the stored HTML, or the body rendered now when it is stale."""
    stored = stored_html.fragment(post.body_html, post.html_version)
    return stored if stored is not None else Markup(render_post(post)["body_html"])


def init_app(app) -> None:
    stored_html.register("posts", Post, ("body",), render_post)
    app.jinja_env.globals["post_html"] = post_html
