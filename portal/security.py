"""What every response carries for the browser's protection, and what the proxy may tell us.

- Security headers on every response (pages, errors, JSON, files): a Content-Security-Policy
  without inline script or style, no framing, nosniff, a referrer policy, HSTS over https.
- (`Cache-Control`, `Vary` and ETags are decided in portal/public_pages.py.)
- Cookies marked Secure when SESSION_COOKIE_SECURE is set or the request came over https.
- With TRUSTED_PROXIES hops, werkzeug's ProxyFix takes the client address and scheme from
  the proxies' X-Forwarded-For and X-Forwarded-Proto (never X-Forwarded-Host: absolute
  links come from SITE_URL, portal/urls.py).

A dozen headers in one after_request step rather than a library: flask-talisman, the
usual choice, is no longer maintained, and this is all it would do for us (SECURITY.md).
"""

from flask import Flask, Response, current_app, has_request_context, request
from werkzeug.middleware.proxy_fix import ProxyFix

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SecureCookieResponse(Response):
    """A response whose cookies (session, remember me, any other) are Secure over https."""

    def set_cookie(self, key: str, *args, **kwargs) -> None:
        if has_request_context() and (
            current_app.config["SESSION_COOKIE_SECURE"] or request.is_secure
        ):
            kwargs["secure"] = True
        super().set_cookie(key, *args, **kwargs)


def is_static(endpoint: str | None) -> bool:
    return endpoint is not None and (endpoint == "static" or endpoint.endswith(".static"))


def add_security_headers(response: Response) -> Response:
    """After each request: the headers above; a view's own values of them are kept."""
    config = current_app.config
    headers = response.headers
    headers.setdefault("Content-Security-Policy", config["CONTENT_SECURITY_POLICY"])
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if request.is_secure and config["STRICT_TRANSPORT_SECURITY"]:
        headers.setdefault("Strict-Transport-Security", config["STRICT_TRANSPORT_SECURITY"])
    return response


def init_app(app: Flask) -> None:
    hops = int(app.config["TRUSTED_PROXIES"])
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    app.response_class = SecureCookieResponse
    app.after_request(add_security_headers)
