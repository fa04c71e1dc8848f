"""The favicon, the admin area's one index, dark mode and the editors' Markdown preview."""

import pytest
from sqlalchemy import func, select

from community.models import Thread
from portal.permissions import Role
from tests.factories import make_tag, make_thread, make_user


@pytest.fixture
def wifi(db):
    tag = make_tag(db.session, "Wi-Fi")
    db.session.commit()
    return tag


def test_favicon_is_served_at_the_root_and_linked(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    page = client.get("/").get_data(as_text=True)
    assert 'rel="icon" href="/favicon.ico"' in page
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and b"<svg" in svg.data


def test_stylesheet_follows_the_system_dark_setting(client):
    css = client.get("/static/portal.css").get_data(as_text=True)
    assert "@media (prefers-color-scheme: dark)" in css
    assert '<meta name="color-scheme" content="light dark">' in client.get("/").get_data(
        as_text=True
    )


def test_one_admin_area_links_every_tool_from_one_header_entry(client, auth, db):
    make_user(db.session, "ada", role=Role.ADMIN)
    make_user(db.session, "agnes", role=Role.AGENT)
    db.session.commit()
    auth.login("ada")
    home = client.get("/").get_data(as_text=True)
    assert 'href="/admin/"' in home and 'href="/admin/users"' not in home
    page = client.get("/admin/").get_data(as_text=True)
    for path in (
        "/admin/users",
        "/admin/settings",
        "/admin/jobs/",
        "/moderation/rules",
        "/moderation/audit",
        "/desk/supervisor",
        "/desk/macros",
        "/desk/rules",
        "/kb/manage",
        "/search/gaps",
        "/dashboard/",
    ):
        assert f'href="{path}"' in page, path
        assert client.get(path).status_code == 200, path
    auth.logout()
    auth.login("agnes")
    assert client.get("/admin/").status_code == 403
    assert 'href="/admin/"' not in client.get("/").get_data(as_text=True)


def test_preview_without_javascript_keeps_the_text_and_saves_nothing(client, auth, db, wifi):
    make_user(db.session, "jordan")
    db.session.commit()
    auth.login("jordan")
    form = {
        "title": "Router light blinks orange all night",
        "body": "It **blinks** after <script>alert(1)</script> the update",
        "tags": "wi-fi",
        "preview": "body",
    }
    response = client.post("/community/ask", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<strong>blinks</strong>" in page  # rendered in the preview …
    assert "It **blinks** after &lt;script&gt;" in page  # … and kept as typed in the editor
    assert "<script>alert" not in page
    assert 'value="Router light blinks orange all night"' in page
    assert db.session.scalar(select(func.count(Thread.id))) == 0


def test_preview_of_a_reply_and_a_refused_preview_still_refuses(client, auth, db, wifi):
    thread = make_thread(db.session, tags=[wifi])
    make_user(db.session, "jordan")
    db.session.commit()
    auth.login("jordan")
    url = f"/community/threads/{thread.id}/reply"
    response = client.post(url, data={"body": "Try _channel 6_", "preview": "body"})
    assert response.status_code == 200 and "<em>channel 6</em>" in response.get_data(as_text=True)
    assert client.post(url, data={"body": ""}).status_code == 422


def test_live_preview_endpoint_uses_the_one_renderer(client, auth, db):
    make_user(db.session, "jordan")
    make_user(db.session, "sam")
    db.session.commit()
    assert client.post("/preview", data={"text": "x"}).status_code == 302  # signed in only
    auth.login("jordan")
    response = client.post(
        "/preview",
        data={"text": "# Hi\n\nask @sam <img src=x onerror=alert(1)> [a](javascript:alert(1))"},
    )
    html = response.get_json()["html"]
    assert response.status_code == 200
    assert "<h1" in html and 'href="/u/sam"' in html
    assert "onerror" not in html and "javascript:" not in html
    too_long = "x" * (client.application.config["POST_BODY_MAX_BYTES"] + 1)
    assert client.post("/preview", data={"text": too_long}).status_code == 413


def test_live_preview_needs_the_csrf_token(app, db):
    make_user(db.session, "jordan")
    db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        client.post("/login", data={"identifier": "jordan", "password": "x"})
        response = client.post(
            "/preview", data={"text": "x"}, headers={"Accept": "application/json"}
        )
        assert response.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_every_editor_has_a_preview(client, auth, db, wifi):
    make_user(db.session, "ada", role=Role.ADMIN)
    thread = make_thread(db.session, tags=[wifi])
    db.session.commit()
    auth.login("ada")
    for path in (
        "/community/ask",
        f"/community/threads/{thread.id}",
        f"/community/posts/{thread.question.id}/edit",
        "/support/contact",
        "/desk/macros/new",
        "/kb/new",
    ):
        page = client.get(path).get_data(as_text=True)
        assert "data-preview-source" in page and "/preview" in page, path
