"""Atom feeds of the knowledge base and the community's topics: valid Atom, public only."""

from xml.etree import ElementTree

from community import service as community_service
from portal.permissions import Role
from tests.factories import make_article, make_tag, make_thread, make_user

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(response) -> ElementTree.Element:
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.data)  # well-formed XML, or this raises
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    return feed


def entries(feed) -> list[tuple[str, str]]:
    return [
        (entry.findtext(f"{ATOM}title"), entry.find(f"{ATOM}link").get("href"))
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_kb_feeds_list_published_articles(client, db, app):
    wifi, billing = make_tag(db.session, "Wi-Fi"), make_tag(db.session, "Billing")
    make_article(db.session, title="Pick a quieter channel", tags=[wifi], body="Use **6**.")
    make_article(db.session, title="Read your bill", tags=[billing])
    make_article(db.session, title="Secret draft", tags=[wifi], publish=False)
    db.session.commit()
    site = app.config["SITE_URL"]
    feed = parse(client.get("/kb/feed.atom"))
    listed = entries(feed)
    assert {title for title, _ in listed} == {"Pick a quieter channel", "Read your bill"}
    assert ("Pick a quieter channel", f"{site}/kb/pick-a-quieter-channel") in listed
    contents = feed.findall(f"{ATOM}entry/{ATOM}content")
    assert all(content.get("type") == "html" for content in contents)
    assert any("<strong>6</strong>" in content.text for content in contents)
    topic = parse(client.get("/kb/topics/wi-fi/feed.atom"))
    assert [title for title, _ in entries(topic)] == ["Pick a quieter channel"]
    assert client.get("/kb/topics/nope/feed.atom").status_code == 404
    page = client.get("/kb/topics/wi-fi").get_data(as_text=True)
    assert 'rel="alternate" type="application/atom+xml" href="/kb/topics/wi-fi/feed.atom"' in page
    assert 'href="/community/tags/wi-fi/feed.atom"' in page
    assert 'type="application/atom+xml" href="/kb/feed.atom"' in client.get("/kb/").get_data(
        as_text=True
    )


def test_topic_feed_lists_public_questions_only(client, db):
    wifi = make_tag(db.session, "Wi-Fi")
    make_thread(db.session, title="Mesh node keeps blinking red", tags=[wifi])
    hidden = make_thread(db.session, title="Buy cheap followers here", tags=[wifi])
    community_service.hide_post(
        db.session, make_user(db.session, role=Role.MODERATOR), hidden.question, reason="Spam"
    )
    make_thread(db.session, title="Bill shows twice this month", tags=[make_tag(db.session)])
    db.session.commit()
    feed = parse(client.get("/community/tags/wi-fi/feed.atom"))
    assert [title for title, _ in entries(feed)] == ["Mesh node keeps blinking red"]
    everything = parse(client.get("/community/feed.atom"))
    assert len(entries(everything)) == 2
    page = client.get("/community/tags/wi-fi").get_data(as_text=True)
    assert 'type="application/atom+xml" href="/community/tags/wi-fi/feed.atom"' in page
