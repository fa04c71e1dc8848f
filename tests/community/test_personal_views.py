"""A member's own pages: my activity, following, unanswered in my topics; the user menu."""

import pytest

from community import listing, subscriptions
from community.models import PostStatus
from portal.permissions import Role
from tests.factories import make_reply, make_tag, make_thread, make_user


@pytest.fixture
def topics(db):
    wifi, billing = make_tag(db.session, "Wi-Fi"), make_tag(db.session, "Billing")
    db.session.commit()
    return wifi, billing


def test_pages_need_sign_in(client):
    for path in ("/community/mine", "/community/following", "/community/unanswered-in-my-topics"):
        assert client.get(path).status_code == 302


def test_my_activity_lists_my_questions_held_too_and_the_threads_i_answered(
    client, auth, db, topics
):
    jordan = make_user(db.session, "jordan")
    mine = make_thread(db.session, jordan, title="My Hub blinks orange at night", tags=[topics[0]])
    held = make_thread(db.session, jordan, title="Second question still in review")
    held.question.status = PostStatus.HELD.value
    listing.refresh(db.session, held)  # the row was changed behind the services' back
    other = make_thread(db.session, title="Somebody else's router question")
    answered = make_thread(db.session, title="A thread Jordan answered well")
    make_reply(db.session, answered, jordan)
    db.session.commit()
    auth.login("jordan")

    page = client.get("/community/mine").get_data(as_text=True)
    assert mine.title in page and held.title in page and "Waiting for review" in page
    assert other.title not in page and answered.title not in page
    replies = client.get("/community/mine?show=replies").get_data(as_text=True)
    assert answered.title in replies and mine.title not in replies
    assert client.get("/community/mine?show=bogus&page=9").status_code == 200


def test_following_lists_threads_and_topics_with_unfollow(client, auth, db, topics):
    jordan = make_user(db.session, "jordan")
    followed = make_thread(db.session, title="A thread Jordan follows")
    subscriptions.follow_thread(db.session, jordan, followed)
    subscriptions.follow_tag(db.session, jordan, topics[1])
    make_thread(db.session, title="A thread Jordan ignores")
    db.session.commit()
    auth.login("jordan")

    page = client.get("/community/following").get_data(as_text=True)
    assert "A thread Jordan follows" in page and "A thread Jordan ignores" not in page
    assert "Unfollow Billing" in page and "Wi-Fi" not in page.split('id="topics-title"')[1]


def test_unanswered_in_my_topics_for_a_super_user(client, auth, db, topics):
    wifi, billing = topics
    priya = make_user(db.session, "priya", role=Role.SUPERUSER)
    waiting = make_thread(db.session, title="Mesh node drops every evening", tags=[wifi])
    make_thread(db.session, title="Invoice shows the wrong amount", tags=[billing])
    answered = make_thread(db.session, title="Extender lights stay red", tags=[wifi])
    make_reply(db.session, answered)
    make_thread(db.session, priya, title="Priya's own Wi-Fi question here", tags=[wifi])
    db.session.commit()
    auth.login("priya")

    # She follows no topic and answered nothing yet: the page says how to choose topics.
    page = client.get("/community/unanswered-in-my-topics").get_data(as_text=True)
    assert "Follow a topic" in page and waiting.title not in page

    subscriptions.follow_tag(db.session, priya, wifi)
    db.session.commit()
    page = client.get("/community/unanswered-in-my-topics").get_data(as_text=True)
    assert waiting.title in page
    assert "Invoice shows the wrong amount" not in page  # not her topic
    assert answered.title not in page and "Priya's own" not in page
    # The topic link keeps the Unanswered filter.
    assert "/community/tags/wi-fi?filter=unanswered" in page


def test_the_user_menu_links_the_personal_pages_and_requests(client, auth, db):
    make_user(db.session, "jordan")
    make_user(db.session, "sam", role=Role.AGENT)
    db.session.commit()
    auth.login("jordan")
    page = client.get("/").get_data(as_text=True)
    menu = page.split('class="user-menu"')[1].split("</details>")[0]
    for link in ("/community/mine", "/community/following", "/support/cases", "/settings"):
        assert f'href="{link}"' in menu
    assert 'class="link-button">Sign out' in menu
    auth.logout()
    auth.login("sam")  # agents have the desk, not "Your requests"
    page = client.get("/").get_data(as_text=True)
    assert 'href="/support/cases"' not in page.split('class="user-menu"')[1]


def test_topic_links_keep_the_unanswered_filter(client, db, topics):
    make_thread(db.session, title="Mesh node drops every evening", tags=[topics[0]])
    db.session.commit()
    page = client.get("/community/?filter=unanswered").get_data(as_text=True)
    aside = page.split('id="topics-title"')[1]
    assert "/community/tags/wi-fi?filter=unanswered" in aside
    rows = page.split('class="thread-list"')[1].split("</ul>")[0]
    assert "/community/tags/wi-fi?filter=unanswered" in rows
    assert "/community/tags/wi-fi?filter" not in client.get("/community/").get_data(as_text=True)
