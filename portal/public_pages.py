"""Public pages a reverse proxy may keep: visitors' GETs answered without a cookie.

The rule, in one place (``@public_page`` marks the views; ``after_request`` decides):

- A *public GET* is a GET or HEAD of a ``@public_page`` view (home, community list, topic
  and thread, knowledge base, article, search) by a visitor whose request carries no
  session cookie. Such a request never writes the session: the CSRF token of any form the
  page renders is left empty (``csrf_token()``), so nothing is stored and no cookie is set.
  A visitor who then submits such a form meets a confirmation page with a real token
  (``confirm_post``): the form page itself sets the cookie, and CSRF stays enforced.
- Its answer is the same for every visitor speaking that language, so it carries
  ``Cache-Control: public, max-age=0, s-maxage=PUBLIC_PAGE_CACHE_SECONDS`` (a shared proxy
  keeps it that long; a browser revalidates every time), ``Vary: Accept-Language, Cookie``
  (the page's language comes from the ``portal_lang`` cookie or Accept-Language, and a
  session cookie — flashes, a visitor's own vote — makes it personal) and a strong ETag
  hashed from the body: the CSP has no per-response nonce, so equal pages have equal
  bytes, and any change (a new reply, an edit, another language) changes the tag. A
  matching If-None-Match gets a 304 without the body. (No Last-Modified: a page is made
  of many rows, and the tag already says whether it changed.) The tag spares the bytes,
  not the rendering: the proxy's s-maxage spares the rendering.
- Everything else keeps the old rule: a signed-in person's pages and every answer to a
  form are ``no-store`` (out of shared caches and the back-button history after sign-out),
  and so is any answer that wrote the session (a form page's token, search's flow id): it
  sets a cookie of this browser's own.
"""

from functools import wraps

from flask import Flask, Response, current_app, g, render_template, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from portal.security import SAFE_METHODS, is_static


def public_page(view):
    """Mark a view as public: visitors' GETs of it are cookie-free and cacheable."""

    @wraps(view)
    def public(*args, **kwargs):
        g.public_get = (
            request.method in {"GET", "HEAD"}
            and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies
            and not current_user.is_authenticated
        )
        return view(*args, **kwargs)

    return public


def is_public_get() -> bool:
    return bool(g.get("public_get"))


def csrf_token() -> str:
    """The CSRF token a rendered form carries; none on a public GET (see the docstring)."""
    return "" if is_public_get() else generate_csrf()


def cache_headers(response: Response) -> Response:
    """After each request: Cache-Control, Vary and ETag by the rule above."""
    headers = response.headers
    if request.method not in SAFE_METHODS or (
        not is_static(request.endpoint) and current_user.is_authenticated
    ):
        headers["Cache-Control"] = "no-store"
    elif session.modified:
        headers["Cache-Control"] = "private, no-store"
    elif is_public_get() and response.status_code == 200:
        seconds = int(current_app.config["PUBLIC_PAGE_CACHE_SECONDS"])
        headers["Cache-Control"] = f"public, max-age=0, s-maxage={seconds}"
        response.vary.update(("Accept-Language", "Cookie"))
        response.add_etag()
        response.make_conditional(request)
    return response


def confirm_post():
    """A visitor's form from a public page came without a token: show what they sent once
    more with a real token (stored in their new session), to send again."""
    fields = [
        (name, value)
        for name, values in request.form.lists()
        if name != "csrf_token"
        for value in values
    ]
    return render_template("portal/confirm_post.html", action=request.full_path, fields=fields)


def is_visitor_post() -> bool:
    """A form that a public GET rendered, sent back: its token field is there and empty.
    (Any other missing or stale token keeps the 400 page: nothing is sent back into a page,
    a password least of all.)"""
    return (
        request.method == "POST"
        and request.form.get("csrf_token") == ""
        and not current_user.is_authenticated
        and not request.files
    )


def init_app(app: Flask) -> None:
    # After CSRFProtect, which sets its own csrf_token global.
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.after_request(cache_headers)
