"""Community pages over HTTP: status codes, redirects, permissions, kept text."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community import service
from community.models import AcceptedSolution, Post, Thread, Vote
from portal.permissions import Role
from tests.factories import make_reply, make_tag, make_thread, make_user


@pytest.fixture
def wifi(db):
    tag = make_tag(db.session, "Wi-Fi", "Coverage and mesh.")
    db.session.commit()
    return tag


def test_lists_show_solved_marks_filters_and_counts(client, db, wifi):
    solved = make_thread(db.session, title="Mesh node keeps blinking red", tags=[wifi])
    service.accept_solution(db.session, solved.author, solved, make_reply(db.session, solved))
    make_thread(db.session, title="Slow Wi-Fi upstairs only", tags=[wifi])
    db.session.commit()
    page = client.get("/community/")
    assert page.status_code == 200
    assert b"Mesh node keeps blinking red" in page.data and b"Solved" in page.data
    unanswered = client.get("/community/tags/wi-fi?filter=unanswered&sort=newest")
    assert b"Slow Wi-Fi upstairs only" in unanswered.data
    assert b"Mesh node keeps blinking red" not in unanswered.data
    assert client.get("/community/?filter=bogus&sort=bogus&page=99").status_code == 200
    assert client.get("/community/tags/nope").status_code == 404


def test_ask_needs_sign_in_then_posts(client, auth, db, wifi):
    make_user(db.session, "jordan")
    db.session.commit()
    assert client.get("/community/ask").status_code == 302
    auth.login("jordan")
    assert client.get("/community/ask?tag=wi-fi").status_code == 200
    response = client.post(
        "/community/ask",
        data={"title": "Wi-Fi drops at 8 pm", "body": "Every *evening*.", "tags": "wi-fi"},
    )
    assert response.status_code == 302
    thread = db.session.scalar(select(Thread))
    assert response.headers["Location"] == f"/community/threads/{thread.id}"
    page = client.get(response.headers["Location"])
    assert b"Wi-Fi drops at 8 pm" in page.data and b"<em>evening</em>" in page.data


@pytest.mark.parametrize(
    "body, tags, message",
    [
        ("", "wi-fi", b"This field is required."),
        ("x" * 50_001, "wi-fi", b"keep it under 50 kB"),
        ("Fine body", "unicorns", b"Unknown tag: unicorns"),
    ],
)
def test_bad_questions_keep_the_text(client, auth, db, wifi, body, tags, message):
    make_user(db.session, "jordan")
    db.session.commit()
    auth.login("jordan")
    response = client.post(
        "/community/ask", data={"title": "A title that is kept", "body": body, "tags": tags}
    )
    assert response.status_code == 422 and message in response.data
    assert b"A title that is kept" in response.data
    assert db.session.scalar(select(func.count(Thread.id))) == 0


def test_reply_and_its_errors(client, auth, db):
    thread = make_thread(db.session)
    make_user(db.session, "emma")
    db.session.commit()
    auth.login("emma")
    url = f"/community/threads/{thread.id}"
    ok = client.post(url + "/reply", data={"body": "Check the cable."})
    assert ok.status_code == 302 and "#post-" in ok.headers["Location"]
    empty = client.post(url + "/reply", data={"body": ""})
    assert empty.status_code == 422
    huge = client.post(url + "/reply", data={"body": "word " * 10_001})
    assert huge.status_code == 422 and b"word word" in huge.data
    moderator = make_user(db.session, role=Role.MODERATOR)
    service.lock_thread(db.session, moderator, db.session.get(Thread, thread.id))
    db.session.commit()
    locked = client.post(url + "/reply", data={"body": "Still there?"})
    assert locked.status_code == 422 and b"locked" in locked.data


def test_a_reply_sent_twice_is_posted_once(client, auth, db, app, monkeypatch):
    thread = make_thread(db.session)
    make_user(db.session, "emma")
    db.session.commit()
    auth.login("emma")
    url = f"/community/threads/{thread.id}/reply"
    first = client.post(url, data={"body": "Check the cable."})
    again = client.post(url, data={"body": "Check the cable.\n"})
    assert again.status_code == 302 and again.headers["Location"] == first.headers["Location"]
    page = client.get(again.headers["Location"])
    assert b"You had just posted this reply; here it is." in page.data
    replies = select(func.count(Post.id)).where(Post.is_question.is_(False))
    assert db.session.scalar(replies) == 1
    client.post(url, data={"body": "Check the cable, then the plug."})  # something new
    assert db.session.scalar(replies) == 2
    # A minute later the same words are a new reply, not a double click.
    earlier = db.session.scalar(select(Post).where(Post.body == "Check the cable."))
    earlier.created_at -= timedelta(seconds=61)
    db.session.commit()
    later = client.post(url, data={"body": "Check the cable."})
    assert later.headers["Location"] != first.headers["Location"]
    monkeypatch.setitem(app.config, "POST_RESUBMIT_SECONDS", 0)  # 0: the check is off
    client.post(url, data={"body": "Check the cable."})
    assert db.session.scalar(replies) == 4


def test_accept_from_a_page_that_showed_another_solution_changes_nothing(client, auth, db):
    thread = make_thread(db.session)
    first, second = make_reply(db.session, thread), make_reply(db.session, thread)
    service.accept_solution(db.session, make_user(db.session, role=Role.AGENT), thread, first)
    db.session.commit()
    auth.login(thread.author.username)
    accept = f"/community/threads/{thread.id}/accept/{second.id}"
    stale = client.post(accept, data={"replacing": ""}, follow_redirects=True)
    assert b"Another reply was accepted a moment ago" in stale.data
    assert db.session.scalar(select(AcceptedSolution.post_id)) == first.id
    assert f'name="replacing" value="{first.id}"'.encode() in stale.data
    assert client.post(accept, data={"replacing": "x1"}).status_code == 400
    client.post(accept, data={"replacing": str(first.id)})
    assert db.session.scalar(select(AcceptedSolution.post_id)) == second.id


def test_votes_are_post_forms_counted_once(client, auth, db):
    thread = make_thread(db.session)
    reply = make_reply(db.session, thread)
    make_user(db.session, "emma")
    db.session.commit()
    auth.login("emma")
    for _ in range(2):
        response = client.post(f"/community/posts/{reply.id}/vote", data={"value": "up"})
        assert response.status_code == 302
    assert db.session.scalar(select(func.count(Vote.id))) == 1
    assert client.get(f"/community/posts/{reply.id}/vote").status_code == 405
    assert client.post(f"/community/posts/{reply.id}/vote", data={"value": "x"}).status_code == 400
    client.post("/logout")
    auth.login(reply.author.username)
    own = client.post(f"/community/posts/{reply.id}/vote", data={"value": "up"})
    assert own.status_code == 403 and b"own post" in own.data


def test_accepting_rules_over_http(client, auth, db):
    thread, other = make_thread(db.session), make_thread(db.session)
    reply, elsewhere = make_reply(db.session, thread), make_reply(db.session, other)
    make_user(db.session, "stranger")
    db.session.commit()
    accept = f"/community/threads/{thread.id}/accept/"
    auth.login("stranger")
    refused = client.post(accept + str(reply.id))
    assert refused.status_code == 403 and b"Only the person who asked" in refused.data
    client.post("/logout")
    auth.login(thread.author.username)
    wrong = client.post(accept + str(elsewhere.id))
    assert wrong.status_code == 400 and b"belongs to another thread" in wrong.data
    done = client.post(accept + str(reply.id), follow_redirects=True)
    assert done.status_code == 200 and b"Solution" in done.data
    assert b"Jump to it in context" in done.data
    assert db.session.scalar(select(AcceptedSolution.post_id)) == reply.id
    # Withdrawing asks first (a page that posts again with confirmed=1).
    asked = client.post(f"/community/threads/{thread.id}/unaccept")
    assert asked.status_code == 200 and b"Withdraw the solution?" in asked.data
    assert b'name="confirmed" value="1"' in asked.data
    assert db.session.scalar(select(func.count(AcceptedSolution.id))) == 1
    client.post(f"/community/threads/{thread.id}/unaccept", data={"confirmed": "1"})
    assert db.session.scalar(select(func.count(AcceptedSolution.id))) == 0


def test_edit_history_and_delete(client, auth, db):
    thread = make_thread(db.session, body="First words")
    make_user(db.session, "emma")
    db.session.commit()
    question_id = thread.question.id
    auth.login("emma")
    assert client.get(f"/community/posts/{question_id}/edit").status_code == 403
    client.post("/logout")
    auth.login(thread.author.username)
    assert client.get(f"/community/posts/{question_id}/edit").status_code == 200
    short = client.post(
        f"/community/posts/{question_id}/edit", data={"title": "Short", "body": "kept body"}
    )
    assert short.status_code == 422 and b"kept body" in short.data
    client.post(
        f"/community/posts/{question_id}/edit",
        data={"title": thread.title, "body": "Better words"},
    )
    history = client.get(f"/community/posts/{question_id}/history")
    assert b"First words" in history.data
    assert b'<span class="visually-hidden">Added: </span>Better words</ins>' in history.data
    asked = client.post(f"/community/posts/{question_id}/delete")
    assert asked.status_code == 200 and b"Delete this question?" in asked.data
    assert b"Better words" in asked.data  # the page quotes what goes
    assert client.get(f"/community/threads/{thread.id}").status_code == 200
    client.post(f"/community/posts/{question_id}/delete", data={"confirmed": "1"})
    gone = client.get(f"/community/threads/{thread.id}")
    assert gone.status_code == 404 and b"removed by its author or a moderator" in gone.data
    reply = client.post(f"/community/threads/{thread.id}/reply", data={"body": "Hello?"})
    assert reply.status_code == 404 and b"removed" in reply.data


def test_curators_retag_and_close_duplicates(client, auth, db, wifi):
    original, copy = make_thread(db.session), make_thread(db.session)
    make_user(db.session, "priya", role=Role.SUPERUSER)
    db.session.commit()
    auth.login(copy.author.username)
    assert client.get(f"/community/threads/{copy.id}/retag").status_code == 403
    client.post("/logout")
    auth.login("priya")
    unknown = client.post(f"/community/threads/{copy.id}/duplicate", data={"original": "99999"})
    assert unknown.status_code == 422 and b"no thread with that number" in unknown.data
    client.post(f"/community/threads/{copy.id}/retag", data={"tags": "wi-fi"})
    client.post(f"/community/threads/{copy.id}/duplicate", data={"original": str(original.id)})
    page = client.get(f"/community/threads/{copy.id}")
    assert b"Closed as a duplicate of" in page.data and original.title.encode() in page.data
    assert b"takes no new replies" in page.data and b"Wi-Fi" in page.data


def test_follow_leaderboard_and_profile(client, auth, db, wifi):
    thread = make_thread(db.session, tags=[wifi])
    reply = make_reply(db.session, thread, author=make_user(db.session, "priya"))
    service.accept_solution(db.session, thread.author, thread, reply)
    db.session.commit()
    auth.login("priya")
    assert client.post("/community/tags/wi-fi/follow", data={"follow": "1"}).status_code == 302
    assert b"Unfollow topic" in client.get("/community/tags/wi-fi").data
    board = client.get("/community/leaderboard")
    assert board.status_code == 200 and b"priya" in board.data and b"1 solved" in board.data
    profile = client.get("/u/priya")
    assert b"Reputation" in profile.data and b"Solutions" in profile.data


def test_mentions_link_to_profiles_of_existing_users(client, db):
    make_user(db.session, "priya", role=Role.SUPERUSER)
    thread = make_thread(db.session, body="Can @priya or @ghost help? Code: `@priya`")
    make_reply(db.session, thread, body="Ask **@Priya**, she knows <script>x()</script>.")
    db.session.commit()
    page = client.get(f"/community/threads/{thread.id}").data.decode()
    assert page.count('<a href="/u/priya" rel="nofollow ugc noopener noreferrer">@') == 2
    assert "@ghost" in page and "<code>@priya</code>" in page and "<script>x()" not in page


def test_ask_accepts_topic_names_and_offers_them(client, auth, db, wifi):
    make_user(db.session, "jordan")
    db.session.commit()
    auth.login("jordan")
    form = client.get("/community/ask").get_data(as_text=True)
    assert 'list="tag-names"' in form and '<option value="Wi-Fi">' in form
    assert "Topics to choose from: Wi-Fi." in form
    response = client.post(
        "/community/ask",
        data={"title": "Wi-Fi drops at 9 pm", "body": "Every evening.", "tags": "wifi"},
    )
    assert response.status_code == 302
    thread = db.session.scalar(select(Thread).where(Thread.title == "Wi-Fi drops at 9 pm"))
    assert [tag.slug for tag in thread.tags] == ["wi-fi"]


def test_reputation_next_to_names_says_what_it_is(client, db, wifi):
    thread = make_thread(db.session, tags=[wifi])
    make_reply(db.session, thread)
    db.session.commit()
    page = client.get(f"/community/threads/{thread.id}").get_data(as_text=True)
    assert (
        'title="Reputation: points earned from up-votes and accepted answers">0 reputation points'
        in page
    )
