"""The Brightwave demo knowledge base: enough real content, seeded once."""

from collections import Counter

from sqlalchemy import func, select

from kb.demo import demo_articles
from kb.models import Article, ArticleRevision, Feedback, article_tags
from portal.extensions import db as _db


def count(statement):
    return _db.session.scalar(statement)


def test_seed_demo_adds_articles_once(runner, db, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    published = Article.status == "published"
    assert count(select(func.count(Article.id)).where(published)) >= 30
    assert count(select(func.count(Article.id)).where(Article.status == "draft")) >= 2
    assert count(select(func.count(Article.id)).where(published, Article.language == "fr")) >= 3
    assert count(select(func.count(func.distinct(article_tags.c.tag_id)))) >= 8
    totals = [count(select(func.count(model.id))) for model in (Article, ArticleRevision, Feedback)]
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert [count(select(func.count(m.id))) for m in (Article, ArticleRevision, Feedback)] == (
        totals
    )
    # Every demo article renders, with its table of contents.
    for slug in _db.session.scalars(select(Article.slug).where(published)):
        page = client.get(f"/kb/{slug}")
        assert page.status_code == 200 and b"On this page" in page.data, slug


def test_the_demo_articles_are_read_from_their_files():
    articles = [file.fields for file in demo_articles()]
    assert Counter((a["status"], a["lang"]) for a in articles) == {
        ("published", "en"): 30,
        ("published", "fr"): 9,
        ("draft", "en"): 3,
    }
    assert len({a["title"] for a in articles}) == len(articles) == 42
    # Every French article translates an English one, named by its title.
    titles = {a["title"]: a["lang"] for a in articles}
    translated = [a["translation_of"] for a in articles if "translation_of" in a]
    assert len(translated) == 9 and all(titles[title] == "en" for title in translated)
    refund = next(file for file in demo_articles() if file.fields["title"] == "Get a refund")
    assert refund.fields["author"] == "nina"
    assert refund.body.startswith("Most amounts we owe you are first **credited**")


def test_the_demo_links_translations_and_french_readers_find_french(runner, db, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    refund = _db.session.scalar(select(Article).where(Article.title == "Get a refund"))
    french = _db.session.scalar(select(Article).where(Article.translation_of_id == refund.id))
    assert (french.title, french.language) == ("Obtenir un remboursement", "fr")
    linked = count(select(func.count(Article.id)).where(Article.translation_of_id.is_not(None)))
    assert linked == 9
    # An older demo database, whose French articles were not linked, catches up.
    french.translation_of_id = None
    _db.session.commit()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    _db.session.refresh(french)
    assert french.translation_of_id == refund.id
    # A French reader's knowledge base leads with French versions of the most read.
    home = client.get("/kb/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "L’image de la TV se fige ou saccade" in home
    assert "The TV picture freezes or buffers" not in home
    page = client.get("/kb/get-a-refund", headers={"Accept-Language": "fr"})
    assert "Cet article existe en français" in page.get_data(as_text=True)
