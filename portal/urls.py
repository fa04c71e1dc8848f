"""Absolute links, built from SITE_URL: a request's Host header is whatever the sender
wrote (`Host: evil.example`), so it never goes into a link that leaves the page."""

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    """The absolute address of a page at the site's public address (SITE_URL, which may
    carry a path prefix): for sitemaps, canonical links, links pasted into replies."""
    site = urlsplit(current_app.config["SITE_URL"])
    adapter = current_app.url_map.bind(
        site.netloc, script_name=site.path or "/", url_scheme=site.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def site_path(endpoint: str, **values) -> str:
    """A page's path under SITE_URL's, without a request: for HTML rendered by a job or a
    command and stored (a mention's profile link)."""
    site = urlsplit(current_app.config["SITE_URL"])
    return current_app.url_map.bind(site.netloc, script_name=site.path or "/").build(
        endpoint, values
    )


def init_app(app) -> None:
    app.jinja_env.globals["external_url"] = external_url
