"""Articles keep their rendered body and contents; a stale version is rendered when shown."""

from sqlalchemy import update

from kb.models import Article
from portal import markdown
from tests.factories import make_article


def test_article_html_is_stored_and_kept_in_step(db, client):
    article = make_article(db.session)
    db.session.commit()
    assert "<h2" in article.body_html and "Restart the hub" in article.body_html
    assert "sec-steps" in article.toc_html and article.html_version == markdown.RENDERER_VERSION
    article.body = "## Now\n\nUnplug it.\n\n## Then\n\nWait.\n"
    db.session.commit()
    db.session.expire_all()
    assert "Unplug it" in article.body_html and "Restart" not in article.body_html
    page = client.get(f"/kb/{article.slug}").get_data(as_text=True)
    assert "Unplug it" in page and "sec-then" in page


def test_a_stale_article_is_rendered_when_shown(db, client):
    article = make_article(db.session)
    db.session.commit()
    db.session.execute(update(Article).values(body_html="<p>STALE</p>", html_version="0/old"))
    db.session.commit()
    page = client.get(f"/kb/{article.slug}").get_data(as_text=True)
    assert "STALE" not in page and "Restart the hub" in page
