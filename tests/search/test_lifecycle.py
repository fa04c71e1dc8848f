"""The index's life as the keeper lives it: built in generations, following the change feed,
repaired after faults, while web requests never build and never fail."""

import os
import shutil
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.models import Thread
from portal.database import utcnow
from search import feed, indexing, service
from search.feed import FeedState
from search.models import SearchChange
from tests.factories import make_thread, make_user


def keys(page):
    return [result.key for result in page.results]


@pytest.fixture
def keeper_mode(app, tmp_path, monkeypatch):
    """Production's division of labour: web requests only read; keeper_pass() does the rest.

    Jobs (notifications) are handed to a queue nobody reads: they are not under test here.
    """
    from tests.portal.jobs.conftest import RecordingQueue

    monkeypatch.setitem(app.config, "JOBS_INLINE", False)
    monkeypatch.setitem(app.config, "SEARCH_INDEX_DIR", str(tmp_path / "index"))
    from portal import jobs

    monkeypatch.setitem(jobs.state(app).__dict__, "queue", RecordingQueue())
    indexing._opened.clear()
    return tmp_path / "index"


def ask(db, title, body="Nothing else to say about it really."):
    thread = make_thread(db.session, title=title, body=body)
    db.session.commit()
    return f"thread:{thread.id}"


def search(db, text):
    return service.search(db.session, None, text)


def test_without_an_index_search_answers_from_the_database(client, db, keeper_mode):
    key = ask(db, "Router lights blinking orange")
    page = search(db, "blinking orange")
    assert keys(page) == [key] and page.from_database  # the web never builds
    assert indexing.current_generation() is None
    response = client.get("/search?q=blinking+orange")
    assert response.status_code == 200 and b"being refreshed" in response.data
    assert client.get("/search/suggest?q=blinking orange").status_code == 200


def test_the_keeper_builds_a_generation_then_follows_the_feed(db, keeper_mode):
    first = ask(db, "Router lights blinking orange")
    assert indexing.keeper_pass().startswith("built")
    generation = indexing.current_generation()
    assert generation.name.startswith("gen-")
    page = search(db, "blinking orange")
    assert keys(page) == [first] and not page.from_database
    second = ask(db, "Orange light after the storm")
    assert second not in keys(search(db, "orange"))  # not read from the feed yet
    assert indexing.keeper_pass() == "read 1 changes"
    assert set(keys(search(db, "orange"))) == {first, second}
    assert indexing.keeper_pass() == "idle"
    assert FeedState.load(generation).position == db.session.scalar(
        select(func.max(SearchChange.id))
    )


def test_the_feed_waits_for_ids_whose_transactions_commit_late(db, app):
    """Ids are taken at insert, commits come in any order: 8 may be seen before 7."""
    now = utcnow()
    for doc_key in ("thread:1", "thread:2", "thread:3"):
        feed.record_change(db.session, doc_key)
    db.session.commit()
    rows = db.session.execute(select(SearchChange.id, SearchChange.doc_key)).all()
    ids = sorted(row_id for row_id, _ in rows)
    late = ids[1]
    db.session.execute(SearchChange.__table__.delete().where(SearchChange.id == late))
    db.session.commit()  # as if its transaction had not committed yet
    keys_read, state = feed.read_new(db.session, FeedState(ids[0] - 1), now)
    assert keys_read == ["thread:1", "thread:3"] and set(state.gaps) == {late}
    db.session.add(SearchChange(id=late, doc_key="thread:2", changed_at=now))
    db.session.commit()  # it commits now
    keys_read, state = feed.read_new(db.session, state, now + timedelta(seconds=5))
    assert keys_read == ["thread:2"] and state.gaps == {}
    # A gap nobody ever fills (a rolled-back transaction) is given up after GAP_TIMEOUT.
    stuck = FeedState(ids[-1], {ids[-1] + 50: now.timestamp()})
    assert feed.read_new(db.session, stuck, now + feed.GAP_TIMEOUT * 2)[1].gaps == {}


def test_a_rebuild_serves_the_old_generation_until_the_new_one_is_complete(
    app, db, keeper_mode, monkeypatch
):
    key = ask(db, "Router lights blinking orange")
    indexing.keeper_pass()
    old = indexing.current_generation()
    halfway, go_on = threading.Event(), threading.Event()
    all_documents = indexing.documents.all_documents

    def slow_documents(session, *args):
        yield from all_documents(session, *args)
        halfway.set()
        go_on.wait(20)

    monkeypatch.setattr(indexing.documents, "all_documents", slow_documents)

    def rebuild_in_the_worker():
        with app.app_context():
            indexing.rebuild()

    builder = threading.Thread(target=rebuild_in_the_worker)
    builder.start()
    try:
        assert halfway.wait(20)
        page = search(db, "blinking orange")
        assert keys(page) == [key] and not page.from_database
        assert indexing.current_generation() == old
    finally:
        go_on.set()
        builder.join(30)
    assert indexing.current_generation() != old
    assert keys(search(db, "blinking orange")) == [key]


def test_a_deleted_index_folder_means_database_answers_then_a_new_build(db, keeper_mode):
    key = ask(db, "Router lights blinking orange")
    indexing.keeper_pass()
    assert not search(db, "blinking orange").from_database
    shutil.rmtree(keeper_mode)
    page = search(db, "blinking orange")
    assert keys(page) == [key] and page.from_database
    assert indexing.keeper_pass().startswith("built")
    assert not search(db, "blinking orange").from_database


def test_a_torn_log_line_is_skipped(db, keeper_mode):
    key = ask(db, "Router lights blinking orange")
    indexing.keeper_pass()
    ask(db, "Doorbell camera offline")
    indexing.keeper_pass()  # logged as a change to the postings
    (log_file,) = indexing.current_generation().glob("fulltext/terms/g*/log.jsonl")
    with open(log_file, "a") as log:
        log.write(
            '{"op": "put", "key": "thread:9',
        )  # a writer killed mid-line
    indexing._opened.clear()  # a web worker opening the index now
    page = search(db, "blinking orange")
    assert keys(page) == [key] and not page.from_database


@pytest.mark.parametrize("fault", ["truncated postings", "missing segment", "garbled CURRENT"])
def test_a_damaged_index_is_reported_and_rebuilt(db, keeper_mode, fault):
    key = ask(db, "Router lights blinking orange")
    indexing.keeper_pass()
    generation = indexing.current_generation()
    if fault == "truncated postings":
        arrays = sorted(generation.glob("fulltext/terms/g*/*.npy"), key=os.path.getsize)
        os.truncate(arrays[-1], os.path.getsize(arrays[-1]) // 2)
    elif fault == "missing segment":
        for segment in generation.glob("fulltext/*.seg"):
            segment.unlink()
    else:
        (keeper_mode / indexing.CURRENT_FILE).write_text("gen-that-is-not-there")
    indexing._opened.clear()  # a web worker opening the index now
    page = search(db, "blinking orange")
    assert keys(page) == [key] and page.from_database  # answered, no error
    assert indexing.keeper_pass().startswith(("rebuilt", "built"))
    page = search(db, "blinking orange")
    assert keys(page) == [key] and not page.from_database


def test_an_index_further_behind_than_the_feed_is_kept_is_rebuilt(db, keeper_mode, app):
    ask(db, "Router lights blinking orange")
    indexing.keeper_pass()
    generation = indexing.current_generation()
    state = FeedState.load(generation)
    days = app.config["SEARCH_CHANGES_KEPT_DAYS"] + 1
    state.caught_up_at -= days * 86400  # its machine was off for longer than the feed lasts
    state.save(generation)
    assert indexing.keeper_pass().startswith("rebuilt an index behind the feed")
    assert indexing.current_generation() != generation


def test_old_feed_rows_are_pruned(db, app):
    feed.record_change(db.session, "thread:1")
    db.session.commit()
    old = db.session.scalar(select(SearchChange))
    old.changed_at = utcnow() - timedelta(days=app.config["SEARCH_CHANGES_KEPT_DAYS"] + 1)
    feed.record_change(db.session, "thread:2")
    db.session.commit()
    feed.prune_changes(db.session)
    db.session.commit()
    assert [row.doc_key for row in db.session.scalars(select(SearchChange))] == ["thread:2"]


def write_while_the_keeper_reads(app, db, write_one) -> list[Exception]:
    """Call write_one(n) 200 times from several writers at once, each call its own
    transaction (eight real concurrent connections on PostgreSQL, whose ids commit out of
    order; two on SQLite, which runs one writer at a time anyway), while the keeper reads
    the feed; then one last keeper pass. Returns the writers' errors."""
    writers_count = 8 if db.engine.dialect.name == "postgresql" else 2
    errors = []

    def write_some(worker: int) -> None:
        with app.app_context():
            try:
                for n in range(worker, 200, writers_count):
                    write_one(n)
            except Exception as error:  # reported by the caller
                errors.append(error)

    with app.app_context():
        indexing.keeper_pass()  # the first generation, before the rush
    writers = [threading.Thread(target=write_some, args=(w,)) for w in range(writers_count)]
    for writer in writers:
        writer.start()
    with app.app_context():
        while any(writer.is_alive() for writer in writers):
            indexing.keeper_pass()
        indexing.keeper_pass()
    return errors


def test_two_hundred_threads_asked_at_once_all_reach_search(app, db, keeper_mode):
    from community import service as community_service
    from portal.extensions import db as handle
    from portal.models import User
    from tests.factories import make_tag

    asker_id, tag_slug = make_user(db.session, "asker").id, make_tag(db.session, "Birds").slug
    db.session.commit()

    def ask(n: int) -> None:
        community_service.ask_question(
            handle.session,
            handle.session.get(User, asker_id),
            title=f"Question {n} about the zebrafinch feeder",
            body="It happens every evening since the update.",
            tags=tag_slug,
        )
        handle.session.commit()

    assert write_while_the_keeper_reads(app, db, ask) == []
    thread_keys = [f"thread:{key}" for key in db.session.scalars(select(Thread.id))]
    indexed = indexing.searchable_index().fulltext.metadata(thread_keys)
    assert len(thread_keys) == 200 and set(indexed) == set(thread_keys)


def test_two_hundred_replies_posted_at_once_are_all_found(app, db, keeper_mode):
    """Each reply's own word finds its thread once the keeper has read the feed."""
    from community import service as community_service
    from portal.extensions import db as handle
    from portal.models import User

    replier_id = make_user(db.session, "replier").id
    thread_ids = [make_thread(db.session).id for _ in range(10)]
    db.session.commit()
    posted = {}

    def reply(n: int) -> None:
        thread = handle.session.get(Thread, thread_ids[n % len(thread_ids)])
        community_service.reply(
            handle.session,
            handle.session.get(User, replier_id),
            thread,
            body=f"Try resetting the hub, it worked for me (kiwiword{n}).",
        )
        handle.session.commit()
        posted[f"kiwiword{n}"] = f"thread:{thread.id}"

    assert write_while_the_keeper_reads(app, db, reply) == []
    assert len(posted) == 200
    fulltext = indexing.searchable_index().fulltext
    missing = [word for word, key in posted.items() if key not in dict(fulltext.search(word, 5))]
    assert missing == []


def test_vectors_of_another_export_are_not_searched_and_are_rebuilt(
    search_app, db, keeper_mode, model, monkeypatch
):
    """The vectors record the export that made them: after a model change, queries of the
    new one are not compared with them (keyword-only) and the keeper rebuilds them."""
    from search import vectors

    key = ask(db, "Paying your invoice by card", "Open Billing, choose Pay now, enter your card.")
    indexing.keeper_pass()
    index = indexing.searchable_index()
    assert index._vectors().encoder == model.id
    assert not search(db, "how do I settle what I owe you").keyword_only
    monkeypatch.setattr(model, "id", "another-export")  # EMBEDDING_MODEL changed since
    vectors._encode_query_cached.cache_clear()
    page = search(db, "how do I settle what I owe you")
    assert page.keyword_only and keys(page) == []
    assert indexing.keeper_pass() == "found the index damaged"
    assert indexing.keeper_pass().startswith("rebuilt")
    assert indexing.searchable_index()._vectors().encoder == "another-export"
    assert keys(search(db, "how do I settle what I owe you")) == [key]
