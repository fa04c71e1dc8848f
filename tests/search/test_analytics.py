"""Query log, content gaps and the reindex command."""

import itertools
from datetime import UTC, datetime, timedelta

from search import querylog
from search.analytics import content_gaps, normalize_query
from search.models import SearchQuery

NOW = datetime(2025, 3, 10, tzinfo=UTC)
_instants = itertools.count(1)


def logged(db, text, results, session_id="sid", created_at=NOW) -> SearchQuery:
    """A search as the search log writes it (search/querylog.py)."""
    entry = SearchQuery(
        text=normalize_query(text), results_count=results, session_id=session_id,
        user_id=None, created_at=created_at,
    )  # fmt: skip
    db.session.add(entry)
    db.session.flush()
    return entry


def log(db, text, results, clicked=None, days_ago=1):
    # Each search its own instant, as in a browser: a click names its search by its time.
    instant = NOW - timedelta(days=days_ago, microseconds=next(_instants))
    entry = logged(db, text, results, created_at=instant)
    if clicked:
        querylog.record_click(db.session, entry.created_at, "sid", clicked)
    db.session.flush()


def test_normalize_query():
    assert normalize_query("  Wi-Fi   DROPS\tevery evening ") == "wi-fi drops every evening"
    assert len(normalize_query("x" * 5000)) == 200


def test_content_gaps(db):
    log(db, "eSIM activation", 0)
    log(db, "esim activation", 0)
    log(db, "fax", 0, days_ago=40)  # too old
    log(db, "router lights", 4)
    log(db, "router lights", 3)
    log(db, "invoice", 5, clicked="article:1")
    log(db, "invoice", 5)  # one search of it was clicked: not a gap
    zero, unclicked = content_gaps(db.session, days=30, now=NOW)
    assert [(g.text, g.searches) for g in zero] == [("esim activation", 2)]
    assert [(g.text, g.searches, g.average_results) for g in unclicked] == [
        ("router lights", 2, 3.5)
    ]
    assert zero[0].last_seen.tzinfo is not None


def test_clicks_only_count_for_the_same_browser(db):
    entry = logged(db, "router", 3, session_id="mine")
    querylog.record_click(db.session, entry.created_at, "someone else", "article:1")
    db.session.refresh(entry)
    assert entry.clicked_key is None


def test_reindex_command(runner, search_app, content):
    content[0].add(1, "Resetting your router", "Hold the reset button.")
    content[1].add(2, "Router reboots", "At night.")
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexed 2 documents" in result.output


def test_reindex_if_needed_fills_a_new_index_once(runner, search_app, content):
    content[0].add(1, "Resetting your router", "Hold the reset button.")
    first = runner.invoke(args=["search", "reindex", "--if-needed"])
    assert first.exit_code == 0 and "Indexed 1 document in" in first.output, first.output
    again = runner.invoke(args=["search", "reindex", "--if-needed"])
    assert "there and usable" in again.output
