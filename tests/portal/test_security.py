"""Security headers, private caching, Secure cookies, the trusted proxy, the request size
cap and absolute links from SITE_URL (portal/security.py, portal/urls.py)."""

import re
from pathlib import Path

from sqlalchemy import select

from portal import create_app
from portal.extensions import db as _db
from portal.models import LoginAttempt
from tests.factories import PASSWORD, make_article, make_tag, make_thread

ROOT = Path(__file__).resolve().parents[2]
SITE = "https://help.example.com"


def fresh_app(database_url: str, **config):
    """An app of its own, for settings read when the app is built (the proxy hops)."""
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
            **config,
        }
    )


def cookies(response) -> dict[str, str]:
    """Set-Cookie headers of a response by cookie name."""
    headers = response.headers.getlist("Set-Cookie")
    return {header.split("=", 1)[0]: header for header in headers}


def test_every_response_carries_the_security_headers(app, client, database_url):
    responses = [
        client.get("/"),
        client.get("/no-such-page"),
        client.get("/healthz"),
        client.get("/static/portal.css"),
        client.get("/sitemap.xml"),
        client.post("/login", data={"identifier": "x", "password": "y"}),
    ]
    broken = fresh_app(database_url, TESTING=False)  # so the error becomes the 500 page

    @broken.route("/__boom")
    def boom():
        raise RuntimeError("boom")

    responses.append(broken.test_client().get("/__boom"))
    assert [response.status_code for response in responses] == [200, 404, 200, 200, 200, 422, 500]
    for response in responses:
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "style-src 'self';" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "Strict-Transport-Security" not in response.headers  # plain http


def test_private_pages_and_answers_to_forms_are_not_stored(client, jordan):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    refused = client.post("/login", data={"identifier": jordan, "password": "wrong"})
    assert refused.headers["Cache-Control"] == "no-store"
    signed_in = client.post("/login", data={"identifier": jordan, "password": PASSWORD})
    assert signed_in.headers["Cache-Control"] == "no-store"
    for path in ("/", "/settings", "/notifications/", "/no-such-page"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    assert "no-store" not in client.get("/static/portal.css").headers.get("Cache-Control", "")


def test_hsts_and_secure_cookies_over_https_only(client, jordan):
    data = {"identifier": jordan, "password": PASSWORD, "remember": "y"}
    over_http = cookies(client.post("/login", data=data))
    assert over_http and not any("Secure" in header for header in over_http.values())

    https = client.application.test_client()
    response = https.post("/login", data=data, base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    over_https = cookies(response)
    assert set(over_https) == {"session", "remember_token", "known_device"}
    assert all("; Secure" in header for header in over_https.values())
    signed_out = https.post("/logout", base_url="https://localhost")
    assert all("; Secure" in header for header in cookies(signed_out).values())


def test_secure_cookie_setting_applies_to_every_cookie(database_url, jordan):
    app = fresh_app(database_url, SESSION_COOKIE_SECURE=True)
    response = app.test_client().post(
        "/login", data={"identifier": jordan, "password": PASSWORD, "remember": "y"}
    )
    sent = cookies(response)
    assert set(sent) == {"session", "remember_token", "known_device"}
    assert all("; Secure" in header for header in sent.values())


def attempted_from(app, response) -> tuple[str, bool]:
    """The address recorded for the sign-in attempt, and whether HSTS was sent."""
    with app.app_context():
        ip = _db.session.scalars(select(LoginAttempt.ip_address)).one()
        _db.session.execute(LoginAttempt.__table__.delete())
        _db.session.commit()
    return ip, "Strict-Transport-Security" in response.headers


def test_forwarded_headers_count_only_from_trusted_proxies(app, database_url, jordan):
    forwarded = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    data = {"identifier": jordan, "password": "wrong"}

    direct = fresh_app(database_url)  # PORTAL_TRUSTED_PROXIES=0: anyone may send the headers
    response = direct.test_client().post("/login", data=data, headers=forwarded)
    assert attempted_from(app, response) == ("127.0.0.1", False)

    behind_proxy = fresh_app(database_url, TRUSTED_PROXIES=1)
    response = behind_proxy.test_client().post("/login", data=data, headers=forwarded)
    assert attempted_from(app, response) == ("203.0.113.7", True)
    assert all("; Secure" in header for header in cookies(response).values())


def test_oversized_request_gets_the_413_page_without_being_read(client):
    ten_megabytes = "x" * (10 * 1024 * 1024)
    response = client.post(
        "/register",
        data={"username": ten_megabytes, "email": "a@example.com", "password": "p", "confirm": "p"},
    )
    assert response.status_code == 413
    assert b"Too large" in response.data and b"site-header" in response.data
    assert len(response.data) < 20_000  # nothing echoed back
    assert response.headers["Cache-Control"] == "no-store"


def test_absolute_links_come_from_site_url_never_the_host_header(
    app, client, db, monkeypatch, tmp_path
):
    monkeypatch.setitem(app.config, "SITE_URL", SITE + "/support")
    monkeypatch.setitem(app.config, "SEARCH_INDEX_DIR", str(tmp_path / "index"))
    router = make_tag(db.session, "Router")
    article = make_article(db.session, title="Restart the hub", tags=[router])
    thread = make_thread(db.session, tags=[router])
    db.session.commit()
    evil = {"Host": "evil.example"}

    sitemap = client.get("/sitemap.xml", headers=evil).get_data(as_text=True)
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert f"{SITE}/support/kb/{article.slug}" in locations
    assert f"{SITE}/support/community/threads/{thread.id}" in locations
    assert all(location.startswith(SITE + "/support/") for location in locations)

    page = client.get(f"/kb/{article.slug}", headers=evil).get_data(as_text=True)
    assert f'<link rel="canonical" href="{SITE}/support/kb/{article.slug}">' in page
    assert f'"url": "{SITE}/support/kb/{article.slug}"' in page  # the JSON-LD
    for path in ("/kb/", f"/kb/topics/{router.slug}"):
        assert "evil.example" not in client.get(path, headers=evil).get_data(as_text=True)


def test_link_an_agent_inserts_into_a_reply_comes_from_site_url(
    app, client, db, auth, monkeypatch, tmp_path
):
    from tests.moderation.cases.helpers import make_agent, make_case

    monkeypatch.setitem(app.config, "SITE_URL", SITE)
    monkeypatch.setitem(app.config, "SEARCH_INDEX_DIR", str(tmp_path / "index"))
    router = make_tag(db.session, "Router")
    agent = make_agent(db.session, "sam")
    article = make_article(db.session, agent, "Router basics", tags=[router])
    case = make_case(db.session, subject="Qwzx vbnm", body="Plkj mnbv.", tags=[router])
    db.session.commit()
    auth.login("sam")
    page = client.get(
        f"/desk/cases/{case.id}?article={article.slug}", headers={"Host": "evil.example"}
    ).get_data(as_text=True)
    assert f"[Router basics]({SITE}/kb/{article.slug})" in page and "evil.example" not in page


def test_templates_have_no_inline_script_style_or_handlers():
    """The CSP allows no inline script or style: keep them in the static files.

    E-mail templates (templates/email/) are not pages: no CSP reaches a mail client, and
    mail clients drop style sheets, so their little styling sits on the elements."""
    inline = re.compile(
        r"""\sstyle\s*=|\son[a-z]+\s*=|javascript:|<style|<script(?![^>]*\bsrc=)(?![^>]*"application/ld\+json")""",
        re.IGNORECASE,
    )
    templates = [
        path
        for path in ROOT.glob("*/**/templates/**/*.html")
        if ".venv" not in path.parts and "email" not in path.relative_to(ROOT).parts[-2:-1]
    ]
    assert len(templates) > 50
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in templates
        for match in inline.finditer(path.read_text())
    ]
    assert offenders == []
