"""The similar-questions box, stored when threads change (search/similar.py), real model."""

import pytest
from sqlalchemy import select

from community import service as community_service
from community.models import PostStatus
from portal import events
from search import indexing
from search.models import SimilarThread
from tests.factories import make_thread, make_user


@pytest.fixture
def people(search_app, db):
    return make_user(db.session, "asker"), make_user(db.session, "mod", role="moderator")


def box(client, thread_id: int) -> str:
    page = client.get(f"/community/threads/{thread_id}").get_data(as_text=True)
    return page[page.index("Similar questions") :] if "Similar questions" in page else ""


def evening_threads(db, asker):
    first = make_thread(db.session, asker, "Wi-Fi drops every evening",
                        body="The connection goes away around 8 pm.")  # fmt: skip
    db.session.commit()
    # A site's index exists before its threads change (the keeper builds it); then boxes
    # are computed as the index reads the changes.
    indexing.searchable_index()
    second = make_thread(db.session, asker, "Internet cuts out at night",
                         body="Every night my internet stops for a few minutes.")  # fmt: skip
    other = make_thread(db.session, asker, "How to pay my invoice", body="Card or transfer?")
    db.session.commit()
    return first, second, other


def test_the_box_is_stored_and_follows_a_thread_that_changes(client, db, people):
    asker, _ = people
    first, second, other = evening_threads(db, asker)
    stored = db.session.scalars(
        select(SimilarThread.similar_id).where(SimilarThread.thread_id == first.id)
    ).all()
    assert second.id in stored  # the older thread learnt of the newer one
    assert "Internet cuts out at night" in box(client, first.id)
    assert "How to pay my invoice" not in box(client, first.id)
    community_service.edit_post(
        db.session, asker, other.question, title="Router loses the connection every night",
        body="My broadband disconnects each evening around 9 pm.",
    )  # fmt: skip
    db.session.commit()  # the job ran (JOBS_INLINE) once the index had the new text
    assert "Router loses the connection every night" in box(client, first.id)


@pytest.mark.parametrize("removal", ["hidden", "deleted", "held"])
def test_a_removed_question_never_shows_in_a_box(client, db, auth, people, removal):
    asker, moderator = people
    first, second, _ = evening_threads(db, asker)
    assert "Internet cuts out at night" in box(client, first.id)
    if removal == "hidden":
        community_service.hide_post(db.session, moderator, second.question, reason="spam")
    elif removal == "deleted":
        community_service.delete_post(db.session, asker, second.question)
    else:
        second.question.status = PostStatus.HELD.value  # as moderation would leave it
        events.publish(
            "community.thread_changed",
            session=db.session, thread_id=second.id, post_id=None, change="x",
        )  # fmt: skip
    db.session.commit()
    assert "Internet cuts out at night" not in box(client, first.id)
    auth.login("asker")  # its author too: the box lists only what a visitor may open
    assert "Internet cuts out at night" not in box(client, first.id)
