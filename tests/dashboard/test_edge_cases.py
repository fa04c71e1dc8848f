"""Issue #21: the edge cases real sites produce, each from the exact history the audit found.

Each test failed before its fix; the comments give the number the dashboard showed then.
"""

from datetime import UTC, date, datetime

import pytest

from dashboard.metrics import build_dashboard
from dashboard.results import Period
from tests.dashboard.dataset import _case, _thread
from tests.factories import make_tag, make_user

approx = pytest.approx


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def values(board, key):
    kpi = next(k for k in board.kpis if k.key == key)
    return kpi.value, kpi.previous


def test_a_row_in_the_last_half_millisecond_of_sunday_stays_in_its_week(db):
    s = db.session
    asker = make_user(s)
    sunday_night = utc(2025, 3, 9, 23, 59, 59, 999500)
    thread = _thread(s, asker, sunday_night, [make_tag(s)])
    _case(s, asker, sunday_night, sunday_night, sunday_night, thread=thread, status="new")
    board = build_dashboard(Period(utc(2025, 3, 3), utc(2025, 3, 17)))
    # Before: SQLite's date() rounded to the millisecond and put both in the week of the 10th.
    assert board.table("weekly_community").rows == (
        (date(2025, 3, 3), 1, 0, 1),
        (date(2025, 3, 10), 0, 0, 0),
    )
    assert [row[:2] for row in board.table("weekly_cases").rows] == [
        (date(2025, 3, 3), 1),
        (date(2025, 3, 10), 0),
    ]
