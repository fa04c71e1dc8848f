"""The thread page's cost does not grow with the data; its HTML is stored with the posts."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event, update

from community import service as community_service
from community.models import Post
from portal import markdown
from portal.extensions import db as _db
from tests.factories import make_reply, make_thread, make_user


@contextmanager
def counted_statements():
    """Every statement sent to the database meanwhile."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(_db.engine, "before_cursor_execute", count)


def thread_with(session, replies: int, solved: bool = True):
    asker = make_user(session)
    thread = make_thread(session, asker, body="Hello @" + asker.username + ", **bold**")
    posts = [make_reply(session, thread, body=f"Reply *{i}*") for i in range(replies)]
    if solved and posts:
        community_service.accept_solution(session, asker, thread, posts[-1])
    return thread


def statements_for(client, thread_id: int) -> int:
    client.get(f"/community/threads/{thread_id}")  # warm: first-request caches aside
    with counted_statements() as statements:
        response = client.get(f"/community/threads/{thread_id}")
    assert response.status_code == 200
    return len(statements)


def test_statements_per_view_do_not_grow_with_replies_or_threads(app, db, client, auth):
    small = thread_with(db.session, 3)
    large = thread_with(db.session, 30)
    make_user(db.session, "reader")
    db.session.commit()
    anonymous = statements_for(client, small.id)
    assert statements_for(client, large.id) == anonymous
    for _ in range(20):  # many more threads in the database
        thread_with(db.session, 2, solved=False)
    db.session.commit()
    assert statements_for(client, small.id) == anonymous
    assert statements_for(client, large.id) == anonymous
    assert anonymous <= 8
    auth.login("reader")
    signed_in = statements_for(client, small.id)
    assert statements_for(client, large.id) == signed_in
    assert signed_in <= anonymous + 5  # the session, votes, follow, notifications


def test_posts_store_their_html_and_edits_render_it_again(db):
    thread = thread_with(db.session, 1, solved=False)
    db.session.commit()
    question = thread.question
    assert "<strong>bold</strong>" in question.body_html
    assert question.html_version == markdown.RENDERER_VERSION
    assert "/users/" in question.body_html or "href=" in question.body_html  # the @mention
    community_service.edit_post(db.session, thread.author, question, body="Now *italic*")
    db.session.commit()
    db.session.expire_all()
    assert "<em>italic</em>" in question.body_html and "bold" not in question.body_html


def test_html_of_another_renderer_version_is_shown_rendered_now(db, client, runner):
    thread = thread_with(db.session, 1, solved=False)
    db.session.commit()
    # As an older renderer, or an import, would have left them.
    db.session.execute(
        update(Post).values(body_html="<p>STALE</p>", html_version="0/old"),
    )
    db.session.commit()
    page = client.get(f"/community/threads/{thread.id}").get_data(as_text=True)
    assert "STALE" not in page and "<strong>bold</strong>" in page
    db.session.execute(update(Post).values(body_html=None, html_version=None))
    db.session.commit()
    assert "<strong>bold</strong>" in client.get(f"/community/threads/{thread.id}").get_data(
        as_text=True
    )
    result = runner.invoke(args=["markdown", "rerender", "--batch", "1"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    versions = db.session.scalars(db.select(Post.html_version)).all()
    assert versions and set(versions) == {markdown.RENDERER_VERSION}


@pytest.mark.parametrize("status", ["hidden", "deleted"])
def test_removed_posts_keep_no_stale_html(db, status):
    """Erasing or editing a body by any path through the ORM renders it again."""
    thread = thread_with(db.session, 1, solved=False)
    reply = thread.posts[-1]
    reply.status, reply.body = status, "gone"
    db.session.commit()
    db.session.expire_all()
    assert "Reply" not in reply.body_html and "gone" in reply.body_html


def test_a_bulk_update_of_bodies_never_leaves_their_old_html_shown(db, client):
    thread = thread_with(db.session, 1, solved=False)
    db.session.commit()
    db.session.execute(update(Post).values(body="Rewritten *in bulk*"))
    db.session.commit()
    page = client.get(f"/community/threads/{thread.id}").get_data(as_text=True)
    assert page.count("<em>in bulk</em>") == 2 and "<strong>bold</strong>" not in page
    db.session.execute(update(Post).values(score=Post.score + 1))  # no body: HTML kept
    db.session.commit()
    assert db.session.scalars(db.select(Post.html_version)).all() == [None, None]
