"""Knowledge-base pages over HTTP: status codes, redirects, permissions, bad input."""

import json
import re

import pytest

from kb import suggestions
from kb.models import Article, Feedback
from portal.permissions import Role
from tests.factories import make_article, make_tag, make_user


@pytest.fixture
def agent(db):
    return make_user(db.session, "sam", role=Role.AGENT)


@pytest.fixture
def wifi(db):
    return make_tag(db.session, "Wi-Fi", "Wireless coverage")


def article_form(**changes):
    return {
        "title": "Pick a quieter Wi-Fi channel",
        "summary": "When neighbours crowd the air.",
        "body": "## Check\n\nOpen the app.\n\n## Change\n\nPick channel 1, 6 or 11.\n",
        "tags": ["wi-fi"],
        "language": "en",
        "note": "",
        "action": "publish",
        **changes,
    }


def test_agent_writes_and_publishes(client, auth, db, agent, wifi):
    db.session.commit()
    auth.login("sam")
    assert client.get("/kb/new").status_code == 200
    response = client.post("/kb/new", data=article_form())
    assert response.status_code == 302
    assert response.headers["Location"] == "/kb/pick-a-quieter-wi-fi-channel"
    page = client.get("/kb/pick-a-quieter-wi-fi-channel")
    assert b"Pick channel 1, 6 or 11." in page.data and b'href="#sec-check"' in page.data
    assert b"Article tools" in page.data


def test_preview_saves_nothing(client, auth, db, agent, wifi):
    db.session.commit()
    auth.login("sam")
    response = client.post("/kb/new", data=article_form(action="preview", body="**Bold** text"))
    assert response.status_code == 200 and b"<strong>Bold</strong>" in response.data
    assert db.session.query(Article).count() == 0


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": ""}, b"This field is required."),
        ({"body": ""}, b"This field is required."),
        ({"tags": ["no-such-topic"]}, b"Unknown tag: no-such-topic."),
        ({"tags": []}, b"Choose 1 to 5 tags."),
        ({"body": "x" * 210_000}, b"at most 200 kB"),
        ({"language": "de"}, b"Not a valid choice"),
    ],
)
def test_bad_input_re_renders_with_the_text(client, auth, db, agent, wifi, changes, message):
    db.session.commit()
    auth.login("sam")
    response = client.post("/kb/new", data=article_form(summary="kept summary", **changes))
    assert response.status_code == 422
    assert message in response.data and b"kept summary" in response.data


def test_stale_edit_shows_both_texts_and_overwrites_nothing(client, auth, db, agent, wifi):
    article = make_article(db.session, agent, "Hub lights", body="Original text\n", tags=[wifi])
    db.session.commit()
    auth.login("sam")
    form = article_form(title="Hub lights", body="My text\n", base_version="1", action="save")
    other = make_user(db.session, "nina", role=Role.AGENT)
    from kb import service

    service.update_article(
        db.session,
        other,
        db.session.get(Article, article.id),
        base_version=1,
        title="Hub lights",
        summary="",
        body="Their text\n",
        tag_slugs=["wi-fi"],
    )
    db.session.commit()
    response = client.post("/kb/hub-lights/edit", data=form)
    assert response.status_code == 409
    assert b"nina saved revision 2" in response.data
    assert b"Their text" in response.data and b"My text" in response.data
    assert b'name="base_version" type="hidden" value="2"' in response.data
    db.session.expire_all()
    assert db.session.get(Article, article.id).body == "Their text\n"
    # Saving again from the conflict page is a deliberate choice: it goes through.
    assert client.post("/kb/hub-lights/edit", data={**form, "base_version": "2"}).status_code == 302


def test_rename_redirects_old_slug(client, auth, db, agent, wifi):
    make_article(db.session, agent, "Hub lights", tags=[wifi])
    db.session.commit()
    auth.login("sam")
    client.post(
        "/kb/hub-lights/edit",
        data=article_form(title="What the hub lights mean", base_version="1", action="save"),
    )
    response = client.get("/kb/hub-lights")
    assert response.status_code == 301
    assert response.headers["Location"] == "/kb/what-the-hub-lights-mean"


def test_drafts_and_archived_are_404_for_readers(client, auth, db, agent, wifi):
    make_article(db.session, agent, "Draft", tags=[wifi], publish=False)
    archived = make_article(db.session, agent, "Old", tags=[wifi])
    make_user(db.session, "jordan")
    db.session.commit()
    auth.login("sam")
    asked = client.post("/kb/old/archive")
    assert asked.status_code == 200 and b"Archive \xe2\x80\x9cOld\xe2\x80\x9d?" in asked.data
    assert client.post("/kb/old/archive", data={"confirmed": "1"}).status_code == 302
    assert client.get("/kb/draft").status_code == 200
    auth.logout()
    for path in ["/kb/draft", "/kb/old", "/kb/nothing-here", "/kb/topics/nothing"]:
        assert client.get(path).status_code == 404, path
    auth.login("jordan")
    assert client.get("/kb/old").status_code == 404
    assert client.post(f"/kb/{archived.slug}/feedback", data={"helpful": "yes"}).status_code == 404


def test_publish_and_archive_need_a_writer(client, auth, db, agent, wifi):
    make_article(db.session, agent, "Draft", tags=[wifi], publish=False)
    make_user(db.session, "priya", role=Role.SUPERUSER)
    db.session.commit()
    assert client.post("/kb/draft/publish").status_code == 302  # to sign in
    auth.login("priya")
    assert client.post("/kb/draft/publish").status_code == 403
    auth.logout()
    auth.login("sam")
    client.post("/kb/draft/publish")
    again = client.post("/kb/draft/publish", follow_redirects=True)
    assert b"published already" in again.data


def test_feedback_no_with_comment_then_agent_sees_it(client, auth, db, agent, wifi):
    make_article(db.session, agent, "Hub lights", tags=[wifi])
    make_user(db.session, "jordan")
    db.session.commit()
    page = client.get("/kb/hub-lights")
    assert b"Was this helpful?" in page.data
    assert client.post("/kb/hub-lights/feedback", data={"helpful": "yes"}).status_code == 302
    assert b"Glad it helped" in client.get("/kb/hub-lights").data  # the anonymous session
    auth.login("jordan")
    client.post("/kb/hub-lights/feedback", data={"helpful": "no"})
    assert b"What were you looking for?" in client.get("/kb/hub-lights").data
    client.post(
        "/kb/hub-lights/feedback", data={"helpful": "no", "comment": "What does <b>amber</b> mean?"}
    )
    assert b"Thank you for your comment" in client.get("/kb/hub-lights").data
    assert db.session.query(Feedback).count() == 2
    bad = client.post("/kb/hub-lights/feedback", data={"helpful": "maybe"}, follow_redirects=True)
    assert b"could not record" in bad.data
    auth.logout()
    auth.login("sam")
    page = client.get("/kb/hub-lights")
    assert b"50% helpful" in page.data and b"What does &lt;b&gt;amber&lt;/b&gt; mean?" in page.data


def test_least_helpful_list(client, auth, db, agent, wifi, app):
    article = make_article(db.session, agent, "Hub lights", tags=[wifi])
    db.session.add(Feedback(article_id=article.id, voter_key="a", helpful=False))
    db.session.commit()
    auth.login("sam")
    app.config["KB_LEAST_HELPFUL_MIN_VOTES"] = 1
    try:
        page = client.get("/kb/least-helpful")
    finally:
        app.config["KB_LEAST_HELPFUL_MIN_VOTES"] = 3
    assert b"Hub lights" in page.data and b"0%" in page.data
    assert b"No article has enough votes yet." in client.get("/kb/least-helpful").data


def test_suggest_accept_and_history_diff(client, auth, db, agent, wifi):
    make_article(db.session, agent, "Hub lights", body="Green is fine.\n", tags=[wifi])
    make_user(db.session, "priya", role=Role.SUPERUSER)
    db.session.commit()
    auth.login("priya")
    form = client.get("/kb/hub-lights/suggest")
    assert form.status_code == 200 and b"Green is fine." in form.data
    data = {"title": "Hub lights", "summary": "", "body": "Green is fine.\nAmber: updating.\n"}
    missing_note = client.post("/kb/hub-lights/suggest", data={**data, "base_version": "1"})
    assert missing_note.status_code == 422 and b"Amber: updating." in missing_note.data
    client.post("/kb/hub-lights/suggest", data={**data, "base_version": "1", "note": "Amber"})
    (suggestion,) = suggestions.pending_suggestions(db.session)
    assert client.get(f"/kb/hub-lights/suggestions/{suggestion.id}").status_code == 403
    auth.logout()
    auth.login("sam")
    assert b"Suggested edits waiting" in client.get("/kb/hub-lights").data
    review = client.get(f"/kb/hub-lights/suggestions/{suggestion.id}")
    assert b"Amber: updating." in review.data and b"diff-add" in review.data
    accepted = client.post(f"/kb/hub-lights/suggestions/{suggestion.id}/accept", data={})
    assert accepted.status_code == 302
    twice = client.post(f"/kb/hub-lights/suggestions/{suggestion.id}/decline", data={})
    assert twice.status_code == 422 and b"reviewed already" in twice.data
    history = client.get("/kb/hub-lights/history")
    assert b"suggested; accepted by sam" in history.data
    assert re.search(rb'class="diff-line diff-add">.*Amber: updating\.', history.data)
    assert client.get("/kb/hub-lights/history?from=1&to=9").status_code == 404
    assert client.get(f"/kb/hub-lights/suggestions/{suggestion.id + 99}").status_code == 404


def test_restore_from_history(client, auth, db, agent, wifi):
    make_article(db.session, agent, "Hub lights", body="First\n", tags=[wifi])
    db.session.commit()
    auth.login("sam")
    client.post(
        "/kb/hub-lights/edit",
        data=article_form(title="Hub lights", body="Second\n", base_version="1", action="save"),
    )
    response = client.post("/kb/hub-lights/history/1/restore", follow_redirects=True)
    assert b"Revision 1 restored as revision 3" in response.data
    assert b"First" in client.get("/kb/hub-lights").data
    assert client.post("/kb/hub-lights/history/7/restore").status_code == 404


def test_diff_is_escaped(client, auth, db, agent, wifi):
    make_article(db.session, agent, "Hub", body="Safe\n", tags=[wifi])
    db.session.commit()
    auth.login("sam")
    client.post(
        "/kb/hub/edit",
        data=article_form(title="Hub", body="<script>alert(1)</script>\n", base_version="1"),
    )
    page = client.get("/kb/hub/history")
    assert b"<script>alert(1)" not in page.data and b"&lt;script&gt;alert(1)" in page.data


def test_home_topic_and_seo(client, db, agent, wifi):
    make_article(
        db.session,
        agent,
        'Say "hi" </script>',
        summary="A summary for search engines.",
        tags=[wifi],
    )
    make_article(db.session, agent, "Secret draft", tags=[wifi], publish=False)
    db.session.commit()
    home = client.get("/kb/")
    assert home.status_code == 200 and b"Wi-Fi" in home.data and b"1 article" in home.data
    topic = client.get("/kb/topics/wi-fi")
    assert b"say-hi-script" in topic.data and b"Secret draft" not in topic.data
    page = client.get("/kb/say-hi-script").data.decode()
    site = client.application.config["SITE_URL"]  # absolute links never follow the Host
    assert '<meta name="description" content="A summary for search engines.">' in page
    assert f'<link rel="canonical" href="{site}/kb/say-hi-script">' in page
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert "</script" not in ld
    data = json.loads(ld)
    assert data["@type"] == "Article" and data["headline"] == 'Say "hi" </script>'
    sitemap = client.get("/sitemap.xml")
    assert sitemap.mimetype == "application/xml"
    assert f"<loc>{site}/kb/say-hi-script</loc>".encode() in sitemap.data
    assert b"secret-draft" not in sitemap.data
    assert f"<loc>{site}/kb/topics/wi-fi</loc>".encode() in sitemap.data


def test_views_are_counted_for_readers_only(client, auth, db, agent, wifi):
    article = make_article(db.session, agent, "Hub", tags=[wifi])
    db.session.commit()
    client.get("/kb/hub")
    client.get("/kb/hub")
    auth.login("sam")
    client.get("/kb/hub")
    db.session.expire_all()
    assert db.session.get(Article, article.id).view_count == 2


def test_a_french_article_is_marked_french_on_an_english_page(client, db, agent, wifi):
    make_article(db.session, agent, "Payer sa facture", tags=[wifi], language="fr")
    db.session.commit()
    page = client.get("/kb/payer-sa-facture").data
    assert b'<html lang="en">' in page  # the interface's language
    assert b'<article class="card article" aria-labelledby="article-title" lang="fr">' in page


def test_anonymous_votes_are_limited_per_address(app, client, auth, db, agent, wifi, limits_on):
    """Scripted "not helpful" votes (a fresh cookie each time) were unlimited."""
    assert limits_on["KB_ANONYMOUS_VOTE_RATE_LIMIT"] == "10 per hour; 50 per day"
    make_article(db.session, agent, "Hub lights", tags=[wifi])
    make_user(db.session, "jordan")
    db.session.commit()
    for _ in range(10):
        assert (
            app.test_client().post("/kb/hub-lights/feedback", data={"helpful": "no"}).status_code
            == 302
        )
    refused = app.test_client().post("/kb/hub-lights/feedback", data={"helpful": "no"})
    assert refused.status_code == 429 and b"Many votes came from your network" in refused.data
    assert db.session.query(Feedback).count() == 10
    # One browser changing its vote or adding its comment is still one vote, not limited.
    assert client.post("/kb/hub-lights/feedback", data={"helpful": "no"}).status_code == 429
    other = {"REMOTE_ADDR": "192.0.2.8"}
    voter = app.test_client()
    assert (
        voter.post(
            "/kb/hub-lights/feedback", data={"helpful": "no"}, environ_base=other
        ).status_code
        == 302
    )
    comment = {"helpful": "no", "comment": "Which light?"}
    assert (
        voter.post("/kb/hub-lights/feedback", data=comment, environ_base=other).status_code == 302
    )
    # Members vote once per account; the visitors' limit is not theirs.
    auth.login("jordan")
    assert client.post("/kb/hub-lights/feedback", data={"helpful": "yes"}).status_code == 302
    assert db.session.query(Feedback).count() == 12


def test_article_files_follow_the_article(client, auth, db, agent, wifi):
    import io

    from PIL import Image
    from sqlalchemy import select

    from portal.models import Attachment

    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "PNG")
    db.session.commit()
    auth.login("sam")
    response = client.post(
        "/kb/new",
        data={
            **article_form(action="save"),
            "attachments": [(io.BytesIO(out.getvalue()), "diagram.png")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    row = db.session.scalar(select(Attachment))
    url = f"/attachments/{row.id}/diagram.png"
    assert url in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get(url).status_code == 200
    auth.logout()
    assert client.get(url).status_code == 404  # a draft's picture is the writers' only
