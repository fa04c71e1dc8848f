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
        ("published", "fr"): 5,
        ("draft", "en"): 3,
    }
    assert len({a["title"] for a in articles}) == len(articles) == 38
    refund = next(file for file in demo_articles() if file.fields["title"] == "Get a refund")
    assert refund.fields["author"] == "nina"
    assert refund.body.startswith("Most amounts we owe you are first **credited**")
