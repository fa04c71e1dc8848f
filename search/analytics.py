"""Search analytics: every search logged, and the content gaps agents should fill."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.database import utcnow
from search.models import QUERY_MAX, SearchQuery

_SPACES = re.compile(r"\s+")


def normalize_query(text: str) -> str:
    """Lowercase, single spaces, trimmed and cut: how queries are grouped."""
    return _SPACES.sub(" ", (text or "").lower()).strip()[:QUERY_MAX]


@dataclass
class Gap:
    """A query people keep asking that search does not answer well."""

    text: str
    searches: int
    last_seen: datetime
    average_results: float


def content_gaps(
    session: Session, days: int, limit: int = 50, now: datetime | None = None
) -> tuple[list[Gap], list[Gap]]:
    """Zero-result queries and queries with results nobody opened, most asked first."""
    until = now or utcnow()
    since = until - timedelta(days=days)
    # A query counts as unanswered only if no search of that text was ever clicked.
    clicked = select(SearchQuery.text).where(
        SearchQuery.created_at >= since, SearchQuery.clicked_key.is_not(None)
    )
    unclicked = _grouped(
        session,
        since,
        until,
        limit,
        SearchQuery.results_count > 0,
        SearchQuery.text.not_in(clicked),
    )
    return zero_result_queries(session, since, until, limit), unclicked


def zero_result_queries(
    session: Session, since: datetime, until: datetime, limit: int = 50
) -> list[Gap]:
    """Searches of [since, until) that found nothing, by normalized text, most asked first."""
    return _grouped(session, since, until, limit, SearchQuery.results_count == 0)


def _grouped(session: Session, since: datetime, until: datetime, limit: int, *conditions):
    last = func.max(SearchQuery.created_at)
    rows = session.execute(
        select(SearchQuery.text, func.count(), last, func.avg(SearchQuery.results_count))
        .where(
            SearchQuery.created_at >= since,
            SearchQuery.created_at < until,
            SearchQuery.text != "",
            *conditions,
        )
        .group_by(SearchQuery.text)
        .order_by(func.count().desc(), last.desc(), SearchQuery.text)
        .limit(limit)
    ).all()
    return [Gap(text, count, _aware(last), float(avg or 0)) for text, count, last, avg in rows]


def _aware(value: datetime) -> datetime:
    # func.max() bypasses the UtcDateTime type: SQLite hands back naive values or text.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
