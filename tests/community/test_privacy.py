"""A deleted member's posts stay under "Deleted member"; what was only about them goes."""

from sqlalchemy import func, select

from community import reputation, service, solutions, subscriptions
from community.models import PostRevision, ReputationEvent, TagFollow, ThreadFollow, Vote
from portal import privacy
from tests.factories import PASSWORD, make_reply, make_tag, make_thread, make_user


def count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def active_member(db):
    """A member who asked, replied, voted, followed, earned reputation and deleted a reply."""
    member, other, tag = make_user(db.session), make_user(db.session), make_tag(db.session)
    asked = make_thread(db.session, member, tags=[tag])  # the asker follows it
    others = make_thread(db.session, other, tags=[tag])
    answer = make_reply(db.session, others, member, body="Restart the hub, then wait.")
    solutions.vote(db.session, other, answer, 1)
    solutions.vote(db.session, member, others.question, 1)
    subscriptions.follow_tag(db.session, member, tag)
    regret = make_reply(db.session, others, member, body="My address is 1 Main Street.")
    service.edit_post(db.session, member, regret, body="My address is 2 Main Street.")
    service.delete_post(db.session, member, regret)
    return member, other, asked, others, answer, regret


def test_posts_and_votes_stay_follows_and_reputation_go(db):
    member, other, asked, others, answer, regret = active_member(db)
    assert reputation.total(db.session, member) > 0

    privacy.delete_account(db.session, member, member, password=PASSWORD)

    assert asked.author_id == answer.author_id == member.id
    assert answer.body == "Restart the hub, then wait." and answer.author.name == "Deleted member"
    assert count(db, Vote, Vote.user_id == member.id) == 1 and others.question.score == 1
    assert answer.score == 1 and reputation.total(db.session, other) > 0
    assert count(db, ThreadFollow, ThreadFollow.user_id == member.id) == 0
    assert count(db, TagFollow, TagFollow.user_id == member.id) == 0
    assert count(db, ReputationEvent, ReputationEvent.user_id == member.id) == 0
    # What the member deleted themself is gone for good, history included.
    assert regret.body == "" and count(db, PostRevision, PostRevision.post_id == regret.id) == 0
    # A vote on a deleted member's post earns the emptied account nothing.
    solutions.vote(db.session, make_user(db.session), answer, 1)
    assert count(db, ReputationEvent, ReputationEvent.user_id == member.id) == 0


def test_a_thread_page_shows_deleted_member_without_a_profile_link(client, db):
    member = make_user(db.session, "jordan")
    thread = make_thread(db.session, member)
    privacy.delete_account(db.session, member, member, password=PASSWORD)
    db.session.commit()

    page = client.get(f"/community/threads/{thread.id}").data.decode()

    assert "Deleted member" in page and "/u/deleted" not in page and "jordan" not in page


def test_download_lists_posts_earlier_versions_votes_follows_and_reputation(db):
    member, other, asked, others, answer, regret = active_member(db)

    data = privacy.collect_data(db.session, member)["community"]

    assert [post["id"] for post in data["posts"]] == [asked.question.id, answer.id, regret.id]
    assert data["posts"][1]["thread_title"] == others.title
    assert data["posts"][1]["language"] == answer.language == "en"
    assert data["earlier_versions_of_your_posts"][0]["body"] == "My address is 1 Main Street."
    assert data["votes"] == [
        {"post_id": others.question.id, "value": 1, "at": data["votes"][0]["at"]}
    ]
    assert [t["id"] for t in data["followed_threads"]] == [asked.id, others.id]  # replied: follows
    assert len(data["followed_tags"]) == 1 and data["reputation"]["total"] > 0
