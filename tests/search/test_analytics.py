"""Query log, content gaps and the reindex command."""

from datetime import UTC, datetime, timedelta

from search import analytics
from search.analytics import content_gaps, normalize_query

NOW = datetime(2025, 3, 10, tzinfo=UTC)


def log(db, text, results, clicked=None, days_ago=1):
    entry = analytics.log_query(db.session, text, results, "sid", None)
    entry.created_at = NOW - timedelta(days=days_ago)
    if clicked:
        analytics.record_click(db.session, entry.id, "sid", clicked)
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
    entry = analytics.log_query(db.session, "router", 3, "mine", None)
    analytics.record_click(db.session, entry.id, "someone else", "article:1")
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
