"""Search across processes and machines, for real: `flask jobs worker` processes keep their
own index folders by following the one change feed in the shared database."""

import json
import subprocess
import sys

from search import indexing
from tests.factories import make_thread
from tests.workers import (
    ROOT,
    redis_or_skip,
    use_real_queue,
    wait_for,
    worker_settings,
)


def indexed_in(app, monkeypatch, folder, key) -> bool:
    """Whether the index kept in ``folder`` (another machine's) holds the document."""
    monkeypatch.setitem(app.config, "SEARCH_INDEX_DIR", str(folder))
    try:
        return key in indexing.searchable_index().fulltext.metadata([key])
    except indexing.SearchUnavailable:
        return False


def test_two_instances_each_find_a_post_made_on_the_other(app, db, tmp_path, monkeypatch, workers):
    """Two app instances with their own instance folders share the database and Redis."""
    redis_url = redis_or_skip()
    first = worker_settings(app, tmp_path / "first", REDIS_URL=redis_url)
    second = {**first, "SEARCH_INDEX_DIR": str(tmp_path / "second" / "search")}
    use_real_queue(app, monkeypatch, first)  # this test process plays the first instance
    workers(first, "first"), workers(second, "second")
    thread = make_thread(db.session, title="Doorbell chimes twice at midnight")
    db.session.commit()
    key = f"thread:{thread.id}"
    for settings in (first, second):
        wait_for(
            lambda settings=settings: indexed_in(
                app, monkeypatch, settings["SEARCH_INDEX_DIR"], key
            ),
            timeout=30,
            what=f"{key} in {settings['SEARCH_INDEX_DIR']}",
        )


ASK_THEN_DIE = """
import json, os
from portal import create_app
from portal.extensions import db
from portal.jobs import outbox
from community import service as community_service
from portal import service

app = create_app(json.loads({settings!r}))
outbox.hand_over = lambda jobs: os._exit(9)  # killed right after the commit
with app.app_context():
    asker = service.register_user(
        db.session, username="survivor", email="survivor@example.com", password="long enough"
    )
    follower = service.register_user(
        db.session, username="watcher", email="watcher@example.com", password="long enough"
    )
    tag = service.create_tag(db.session, None, name="Thermostat", description="")
    db.session.flush()
    thread = community_service.ask_question(
        db.session, asker, title="Thermostat forgets its schedule", body="Every night.",
        tags=[tag.slug],
    )
    db.session.flush()
    community_service.reply(db.session, follower, thread, body="Same here since Tuesday.")
    db.session.commit()
"""


def test_killed_after_commit_the_post_is_still_searched_and_mailed(
    app, db, tmp_path, monkeypatch, workers
):
    settings = worker_settings(app, tmp_path)
    # Brand-new accounts posting at once: the moderation rules would hold the question.
    relaxed = {
        "MODERATION_NEW_ACCOUNT_HELD_POSTS": 0,
        "MODERATION_RATE_LIMIT_POSTS": 0,
        "REQUIRE_VERIFIED_EMAIL": False,  # nor would the unconfirmed address
    }
    script = ASK_THEN_DIE.format(settings=json.dumps({**settings, **relaxed, "TESTING": True}))
    died = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True)
    assert died.returncode == 9, died.stderr.decode()
    use_real_queue(app, monkeypatch, settings)
    workers(settings, "after-restart")
    key = "thread:" + str(
        db.session.execute(db.text("SELECT id FROM community_threads")).scalar_one()
    )
    wait_for(
        lambda: indexed_in(app, monkeypatch, settings["SEARCH_INDEX_DIR"], key),
        what="the thread in the index",
    )
    outbox = tmp_path / "outbox"
    mails = wait_for(lambda: sorted(outbox.glob("*.eml")), what="the asker's e-mail")
    assert "replied to your question" in mails[0].read_text()
