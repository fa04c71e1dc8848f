"""Community threads in search, with the real model: visibility, solutions, French, the ask form."""

import pytest
from sqlalchemy import select

from community import service as community_service
from community.models import PostStatus
from portal import events
from search import indexing, service
from search.models import DeflectionEvent
from search.service import Filters
from tests.factories import make_reply, make_tag, make_thread, make_user


def keys(page):
    return [result.key for result in page.results]


@pytest.fixture
def people(search_app, db):
    return make_user(db.session, "asker"), make_user(db.session, "mod", role="moderator")


def test_threads_are_found_with_their_solution_and_replies(db, people):
    asker, moderator = people
    thread = make_thread(db.session, asker, "Lights switch on at night",
                         body="My smart bulbs turn on at 3 am by themselves.")  # fmt: skip
    answer = make_reply(db.session, thread, body="Delete the old sunrise routine in the app.")
    db.session.commit()
    key = f"thread:{thread.id}"
    assert (
        keys(service.search(db.session, None, "lamps light up in the middle of the night"))[0]
        == key
    )
    assert service.search(db.session, None, "sunrise routine").results[0].key == key
    assert service.search(db.session, None, "lights", Filters(solved_only=True)).total == 0
    community_service.accept_solution(db.session, asker, thread, answer)
    db.session.commit()
    solved = service.search(db.session, None, "lights", Filters(solved_only=True))
    assert (
        keys(solved) == [key] and solved.results[0].solved and solved.results[0].label == "Question"
    )


def search_all(db, text):
    return service.search(db.session, None, text, closest=True)


def test_hidden_held_and_deleted_never_show(db, people):
    asker, moderator = people
    # Visibility, not confidence: the closest matches are asked for, as a reader may, so that
    # an empty list means hidden (a reply's two odd words are no certain answer by meaning).
    thread = make_thread(db.session, asker, "Router password forgotten",
                         body="I lost the router admin password.")  # fmt: skip
    rude = make_reply(db.session, thread, body="Zanzibar quokka nonsense reply.")
    db.session.commit()
    assert keys(search_all(db, "zanzibar quokka")) == [f"thread:{thread.id}"]
    community_service.hide_post(db.session, moderator, rude, reason="spam")
    db.session.commit()
    assert keys(search_all(db, "zanzibar quokka")) == []
    community_service.hide_post(db.session, moderator, thread.question, reason="spam")
    db.session.commit()
    assert keys(search_all(db, "router admin password")) == []

    held = make_thread(db.session, asker, "Held question about the modem",
                       body="Modem firmware question.")  # fmt: skip
    held.question.status = PostStatus.HELD.value  # as moderation would leave it
    events.publish(
        "community.thread_changed", session=db.session, thread_id=held.id, post_id=None, change="x"
    )
    db.session.commit()
    assert keys(search_all(db, "modem firmware")) == []


def test_french_question_finds_the_french_thread(db, people):
    make_thread(db.session, people[0], "Le décodeur redémarre sans arrêt",
                body="Mon décodeur TV redémarre toutes les dix minutes depuis hier.")  # fmt: skip
    make_thread(db.session, people[0], "Invoice shows the wrong address",
                body="My bill has my old address on it.")  # fmt: skip
    db.session.commit()
    page = service.search(db.session, None, "ma box télé s'éteint et se rallume")
    assert page.results[0].title == "Le décodeur redémarre sans arrêt"


def test_similar_questions_box(client, db, people):
    first = make_thread(db.session, people[0], "Wi-Fi drops every evening",
                        body="The connection goes away around 8 pm.")  # fmt: skip
    db.session.commit()
    indexing.searchable_index()  # as the keeper keeps it: boxes are made as it reads changes
    make_thread(db.session, people[0], "Internet cuts out at night",
                body="Every night my internet stops for a few minutes.")  # fmt: skip
    make_thread(db.session, people[0], "How to pay my invoice", body="Card or transfer?")
    db.session.commit()
    page = client.get(f"/community/threads/{first.id}").get_data(as_text=True)
    box = page[page.index("Similar questions") :]
    assert "Internet cuts out at night" in box and "How to pay my invoice" not in box


def test_ask_form_has_suggestions_and_asking_anyway_is_recorded(client, db, auth, people):
    make_tag(db.session, "Network")
    db.session.commit()
    auth.login("asker")
    form = client.get("/community/ask").get_data(as_text=True)
    assert 'data-fields="title body"' in form and "suggest.js" in form
    make_thread(db.session, people[0], "Wi-Fi drops every evening", body="Around 8 pm.")
    db.session.commit()
    assert client.get("/search/suggest?q=wifi drops at night").get_json()["suggestions"]
    asked = {
        "title": "Wi-Fi gone every night again",
        "body": "Still around 8 pm.",
        "tags": "network",
    }
    client.post("/community/ask", data=asked)
    steps = [
        e.step for e in db.session.scalars(select(DeflectionEvent).order_by(DeflectionEvent.id))
    ]
    assert steps == ["shown", "question"]
