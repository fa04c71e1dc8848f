"""Visitors' public pages: no cookie, no session, cacheable by a proxy, 304 on a match
(portal/public_pages.py); readers' counts written in batches (portal/batches.py)."""

import pytest

from community.models import Thread
from kb.models import Article, Feedback
from portal import batches
from tests.factories import make_article, make_reply, make_tag, make_thread, make_user


@pytest.fixture
def site(db):
    tag = make_tag(db.session, "Wi-Fi")
    agent = make_user(db.session, "sam", role="agent")
    thread = make_thread(db.session, tags=[tag], title="Evening drops on the hub")
    make_article(db.session, agent, "Hub lights", tags=[tag])
    db.session.commit()
    return {"thread": thread.id, "tag": tag.slug}


def public_paths(site):
    return [
        "/",
        "/community/",
        f"/community/tags/{site['tag']}",
        f"/community/threads/{site['thread']}",
        "/kb/",
        f"/kb/topics/{site['tag']}",
        "/kb/hub-lights",
    ]


def test_a_visitors_gets_set_no_cookie_and_may_be_kept_by_a_proxy(app, client, site):
    app.config["WTF_CSRF_ENABLED"] = True  # forms are rendered as they are for real
    try:
        for path in public_paths(site):
            response = client.get(path)
            assert response.status_code == 200, path
            assert "Set-Cookie" not in response.headers, path
            assert response.headers["Cache-Control"] == "public, max-age=0, s-maxage=10", path
            assert {"Accept-Language", "Cookie"} <= set(response.vary), path
            assert response.headers["ETag"], path
            assert client.get_cookie("session") is None, path
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_a_matching_etag_gets_304_and_a_new_reply_changes_it(client, db, site):
    path = f"/community/threads/{site['thread']}"
    first = client.get(path)
    tag = first.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.data == b""
    make_reply(db.session, db.session.get(Thread, site["thread"]), body="Move the hub up high.")
    db.session.commit()
    changed = client.get(path, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    assert b"Move the hub up high." in changed.data


def test_an_edit_and_the_language_change_the_etag(client, db, site):
    tag = client.get("/kb/hub-lights").headers["ETag"]
    article = db.session.scalar(db.select(Article).where(Article.slug == "hub-lights"))
    article.summary = "What the colours mean."
    db.session.commit()
    edited = client.get("/kb/hub-lights").headers["ETag"]
    assert edited != tag
    french = client.get("/kb/hub-lights", headers={"Accept-Language": "fr"})
    assert french.headers["ETag"] != edited
    client.set_cookie("portal_lang", "fr")
    assert client.get("/kb/hub-lights").headers["ETag"] == french.headers["ETag"]


def test_signed_in_pages_and_visitors_with_a_session_stay_private(client, auth, db, site):
    make_user(db.session, "jordan")
    db.session.commit()
    auth.login("jordan")
    for path in public_paths(site):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "no-store", path
        assert "ETag" not in response.headers, path


def test_the_switcher_works_signed_out_without_javascript(client, site):
    page = client.get("/community/").get_data(as_text=True)
    assert 'href="/language?lang=fr&amp;next=/community/?"' in page  # a plain link
    switched = client.get("/language?lang=fr&next=/community/")
    assert switched.status_code == 302 and "portal_lang=fr" in switched.headers["Set-Cookie"]
    french = client.get("/community/")
    assert 'lang="fr"' in french.get_data(as_text=True)
    assert "Set-Cookie" not in french.headers and french.headers["ETag"]


def test_csrf_is_still_enforced_and_a_visitors_form_is_confirmed_once(app, client, db, site):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = client.get("/kb/hub-lights").get_data(as_text=True)
        assert 'name="csrf_token" type="hidden" value=""' in page  # nothing stored for it
        refused = client.post("/kb/hub-lights/feedback", data={"helpful": "yes"})
        assert refused.status_code == 400  # no token field at all: not from our page
        sent = client.post("/kb/hub-lights/feedback", data={"helpful": "yes", "csrf_token": ""})
        assert sent.status_code == 200 and 'value="yes"' in sent.get_data(as_text=True)
        assert db.session.scalar(db.select(db.func.count()).select_from(Feedback)) == 0
        token = sent.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
        assert token and client.get_cookie("session") is not None  # the form page's cookie
        confirmed = client.post(
            "/kb/hub-lights/feedback",
            data={"helpful": "yes", "csrf_token": token},
            follow_redirects=True,
        )
        assert "Thank you for your feedback." in confirmed.get_data(as_text=True)  # flash shown
        assert confirmed.headers.get("Cache-Control") != "public, max-age=0, s-maxage=10"
        # A forged post with a wrong token from a browser that has a session is refused.
        forged = client.post("/kb/hub-lights/feedback", data={"helpful": "no", "csrf_token": "x"})
        assert forged.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_views_are_written_in_batches(app, client, db, site):
    article_id = db.session.scalar(db.select(Article.id).where(Article.slug == "hub-lights"))
    app.config["ARTICLE_VIEWS_FLUSH_SECONDS"] = 3600
    try:
        for _ in range(3):
            client.get("/kb/hub-lights")
        db.session.expire_all()
        assert db.session.get(Article, article_id).view_count == 0  # still in memory
        with app.app_context():
            assert batches.flush() == 3  # as the timer or the worker's exit does
        db.session.expire_all()
        assert db.session.get(Article, article_id).view_count == 3
    finally:
        app.config["ARTICLE_VIEWS_FLUSH_SECONDS"] = 0


def test_a_batch_that_cannot_be_written_is_tried_once_more_then_dropped(app, db, site):
    article_id = db.session.scalar(db.select(Article.id).where(Article.slug == "hub-lights"))
    batch = app.extensions[batches.BATCHES]
    failures = []

    def failing(session, items):
        failures.append(list(items))
        raise RuntimeError("the database went away")

    kind = batch.kinds["kb.article_views"]
    write, kind.write = kind.write, failing
    app.config["ARTICLE_VIEWS_FLUSH_SECONDS"] = 3600
    try:
        with app.app_context():
            batches.add("kb.article_views", article_id)
            assert batches.flush() == 0 and batches.flush() == 0  # tried twice, then dropped
            assert batches.flush() == 0 and failures == [[article_id], [article_id]]
            kind.write = write
            batches.add("kb.article_views", article_id)
            assert batches.flush() == 1  # the kind is not blocked by the dropped view
    finally:
        kind.write = write
        app.config["ARTICLE_VIEWS_FLUSH_SECONDS"] = 0
