"""A deleted reader's votes on articles stay; their comments go."""

from kb import feedback
from portal import privacy
from tests.factories import PASSWORD, make_article, make_user


def test_a_deleted_readers_vote_counts_but_its_comment_is_erased(db):
    reader, article = make_user(db.session), make_article(db.session)
    vote = feedback.record_vote(
        db.session, article, user=reader, voter_key=None, helpful=False, comment="I am Jo, 555"
    )
    privacy.delete_account(db.session, reader, reader, password=PASSWORD)

    assert (vote.user_id, vote.helpful, vote.comment) == (reader.id, False, "")
