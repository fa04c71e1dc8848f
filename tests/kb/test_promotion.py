"""Promote to KB: a solved thread becomes one draft article, linked both ways."""

import pytest

from community import service as community_service
from kb import promotion
from kb import service as kb_service
from kb.models import Article
from portal.errors import PermissionDenied, ValidationFailed
from portal.permissions import Role
from tests.factories import make_reply, make_tag, make_thread, make_user


@pytest.fixture
def solved(db):
    """A thread about the Wi-Fi whose second reply (by a super-user) is accepted."""
    tag = make_tag(db.session, "Wi-Fi")
    asker = make_user(db.session, "jordan")
    thread = make_thread(
        db.session,
        asker,
        "Wi-Fi drops every evening [Hub 3]",
        body="My laptop loses **Wi-Fi** at 8 pm.",
        tags=[tag],
    )
    make_reply(db.session, thread, body="Same here.")
    answer = make_reply(
        db.session,
        thread,
        make_user(db.session, "priya", role=Role.SUPERUSER, display_name="Priya Raman"),
        body="Switch the 2.4 GHz band to channel 1, 6 or 11.",
    )
    community_service.accept_solution(db.session, asker, thread, answer)
    return thread


@pytest.fixture
def agent(db):
    return make_user(db.session, "sam", role=Role.AGENT)


def test_promoting_builds_a_draft_from_question_and_solution(db, solved, agent):
    article, created = promotion.promote_thread(db.session, agent, solved, link="/t/1")
    assert created and article.status == "draft" and article.source_thread_id == solved.id
    assert article.title == solved.title and [t.slug for t in article.tags] == ["wi-fi"]
    assert "My laptop loses **Wi-Fi** at 8 pm." in article.body
    assert "channel 1, 6 or 11" in article.body and "Same here." not in article.body
    assert "[Wi-Fi drops every evening \\[Hub 3\\]](/t/1)" in article.body
    assert "asked by jordan, solved by Priya Raman" in article.body
    assert kb_service.history(db.session, article)[0].note_text.startswith("Promoted from")


def test_promoting_twice_returns_the_same_article(db, solved, agent):
    first, _ = promotion.promote_thread(db.session, agent, solved)
    again, created = promotion.promote_thread(
        db.session, make_user(db.session, role=Role.ADMIN), solved
    )
    assert again.id == first.id and not created
    assert db.session.query(Article).count() == 1


def test_only_agents_promote_and_only_solved_threads(db, solved, agent):
    for role in (Role.CUSTOMER, Role.SUPERUSER, Role.MODERATOR):
        with pytest.raises(PermissionDenied):
            promotion.promote_thread(db.session, make_user(db.session, role=role), solved)
    unsolved = make_thread(db.session, tags=solved.tags)
    with pytest.raises(ValidationFailed, match="solved"):
        promotion.promote_thread(db.session, agent, unsolved)


def test_the_link_is_shown_to_readers_once_published(db, solved, agent):
    article, _ = promotion.promote_thread(db.session, agent, solved)
    customer = make_user(db.session)
    assert promotion.visible_article_from_thread(db.session, customer, solved) is None
    assert promotion.visible_article_from_thread(db.session, agent, solved) == article
    kb_service.publish_article(db.session, agent, article)
    assert promotion.visible_article_from_thread(db.session, customer, solved) == article


def test_promote_button_and_links_over_http(client, auth, db, solved, agent):
    db.session.commit()
    thread_path = f"/community/threads/{solved.id}"
    auth.login("sam")
    assert b"Promote to KB article" in client.get(thread_path).data
    response = client.post(f"/kb/from-thread/{solved.id}")
    assert response.status_code == 302
    article_path = response.headers["Location"]
    page = client.get(article_path).data
    assert b"Promoted from the community thread" in page and thread_path.encode() in page
    assert b"Turned into the article" in client.get(thread_path).data
    again = client.post(f"/kb/from-thread/{solved.id}")
    assert again.headers["Location"] == article_path
    auth.logout()
    # Readers do not see the draft, nor a link to it.
    assert b"Turned into the article" not in client.get(thread_path).data
    assert client.get(article_path).status_code == 404
    auth.login("sam")
    client.post(article_path + "/publish")
    auth.logout()
    assert b"Turned into the article" in client.get(thread_path).data


def test_promoting_an_unsolved_thread_explains_why(client, auth, db, agent):
    thread = make_thread(db.session)
    db.session.commit()
    auth.login("sam")
    response = client.post(f"/kb/from-thread/{thread.id}", follow_redirects=True)
    assert b"Only a solved thread can become an article" in response.data
    assert client.post("/kb/from-thread/999999").status_code == 404
