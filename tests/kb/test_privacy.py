"""A deleted reader's votes on articles stay; their comments go. Downloads list both."""

from kb import feedback
from portal import privacy
from tests.factories import PASSWORD, make_article, make_user


def test_a_deleted_readers_vote_counts_but_its_comment_is_erased(db):
    reader, article = make_user(db.session), make_article(db.session)
    vote = feedback.record_vote(
        db.session, article, user=reader, voter_key=None, helpful=False, comment="I am Jo, 555"
    )
    exported = privacy.collect_data(db.session, reader)["knowledge_base"]
    assert exported["feedback"][0]["comment"] == "I am Jo, 555"

    privacy.delete_account(db.session, reader, reader, password=PASSWORD)

    assert (vote.user_id, vote.helpful, vote.comment) == (reader.id, False, "")


def test_an_agent_downloads_the_articles_they_wrote(db):
    article = make_article(db.session)
    data = privacy.collect_data(db.session, article.author)["knowledge_base"]
    assert data["articles_written"][0]["slug"] == article.slug
    assert data["revisions_and_suggestions"][0]["number"] == 1
    assert "body" not in data["revisions_and_suggestions"][0]  # the article's, not theirs
