"""The surge watcher: a periodic job that reads what arrived lately, finds surges
(surges.py) and raises one alert per surge, shown on the desk and notified (and e-mailed)
to every agent and admin. A surge still going on at the next run extends its alert; a
surge about an open known issue raises nothing (the banner already answers it).
"""

import logging
from datetime import datetime, timedelta

import numpy as np
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from community.models import Post, PostStatus, Thread, thread_tags
from moderation.cases.models import Case, Channel, case_tags
from portal import notifications
from portal.database import utcnow
from portal.i18n import N_
from portal.jobs import job
from portal.models import Tag, User
from portal.permissions import Role
from proactive import issues, matching, meaning, tagging
from proactive.models import SurgeAlert
from proactive.surges import Item, Surge, SurgeRule, find_surges, same_surge
from search.models import SearchQuery

WATCH_JOB = "proactive.watch_surges"
TEXT_MAX = 500
ALERT_MESSAGE = N_(
    "Surge: %(count)s similar questions and requests in %(minutes)s min: “%(title)s”"
)
log = logging.getLogger(__name__)


def rule() -> SurgeRule:
    config = current_app.config
    return SurgeRule(
        similarity=float(config["PROACTIVE_SURGE_SIMILARITY"]),
        min_items=int(config["PROACTIVE_SURGE_MIN_ITEMS"]),
        min_people=int(config["PROACTIVE_SURGE_MIN_PEOPLE"]),
        growth=float(config["PROACTIVE_SURGE_GROWTH"]),
        floor=float(config["PROACTIVE_SURGE_MIN_BASELINE"]),
    )


def window() -> timedelta:
    return timedelta(minutes=int(current_app.config["PROACTIVE_SURGE_WINDOW_MINUTES"]))


def recent_items(session: Session, since: datetime, until: datetime) -> list[Item]:
    """New questions, contact-form requests and searches in [since, until)."""
    items = []
    threads = session.execute(
        select(Thread, Post.body)
        .join(Post, (Post.thread_id == Thread.id) & Post.is_question.is_(True))
        .where(Thread.created_at >= since, Thread.created_at < until)
        .where(Post.status != PostStatus.DELETED.value)
    ).all()
    for thread, body in threads:
        items.append(
            Item("thread", thread.id, f"{thread.title}\n{body}"[:TEXT_MAX], thread.created_at,
                 f"u{thread.author_id}", tuple(t.slug for t in thread.tags), thread.author_id)
        )  # fmt: skip
    cases = session.scalars(
        select(Case).where(
            Case.opened_at >= since,
            Case.opened_at < until,
            Case.channel == Channel.CONTACT_FORM.value,  # a thread's case is its thread
        )
    )
    for case in cases:
        items.append(
            Item("case", case.id, f"{case.subject}\n{case.body}"[:TEXT_MAX], case.opened_at,
                 f"u{case.customer_id}", tuple(t.slug for t in case.tags), case.customer_id)
        )  # fmt: skip
    searches = session.scalars(
        select(SearchQuery).where(SearchQuery.created_at >= since, SearchQuery.created_at < until)
    )
    for query in searches:
        person = f"u{query.user_id}" if query.user_id else f"s{query.session_id}"
        items.append(
            Item("search", query.id, query.text, query.created_at, person, (), query.user_id)
        )
    return items


def baseline(session: Session, now: datetime) -> dict[str | None, float]:
    """Each topic's usual count in this window: the same hour of each of the baseline days
    before (traffic has a daily rhythm: an evening's questions are compared with evenings),
    averaged; its questions and requests, plus its share of the searches (untagged)."""
    size = window()
    days = max(int(current_app.config["PROACTIVE_SURGE_BASELINE_DAYS"]), 1)
    counts: dict[str, int] = {}
    searches = 0
    for day in range(1, days + 1):
        since, until = now - timedelta(days=day) - size, now - timedelta(days=day)
        for slug, count in _tag_counts(session, since, until):
            counts[slug] = counts.get(slug, 0) + count
        searches += session.scalar(
            select(func.count(SearchQuery.id)).where(
                SearchQuery.created_at >= since, SearchQuery.created_at < until
            )
        )
    return usual_rates(counts, searches, days)


def usual_rates(counts: dict[str, int], searches: int, days: int) -> dict[str | None, float]:
    """Per topic, its count plus its share of the searches, per day; None: a topic's
    average (for a cluster with no topic at all)."""
    total = sum(counts.values())
    usual: dict[str | None, float] = {
        slug: (count + searches * count / total) / days for slug, count in counts.items()
    }
    usual[None] = (total + searches) / days / max(len(counts), 1)
    return usual


def _tag_counts(session: Session, since: datetime, until: datetime):
    for table, model, column, key in (
        (thread_tags, Thread, Thread.created_at, thread_tags.c.thread_id),
        (case_tags, Case, Case.opened_at, case_tags.c.case_id),
    ):
        statement = (
            select(Tag.slug, func.count())
            .join(table, table.c.tag_id == Tag.id)
            .join(model, model.id == key)
            .where(column >= since, column < until)
            .group_by(Tag.slug)
        )
        if model is Case:
            statement = statement.where(Case.channel == Channel.CONTACT_FORM.value)
        yield from session.execute(statement).all()


def watch(session: Session, now: datetime | None = None) -> list[SurgeAlert]:
    """Look at the last window; raise or extend one alert per surge. Returns the alerts
    raised or extended in this run."""
    now = now or utcnow()
    current = rule()
    items = recent_items(session, now - window(), now)
    if len(items) < current.min_items:
        return []
    vectors = meaning.embed_many([item.text for item in items])
    if vectors is None:
        log.warning("surge watch skipped: the embedding model is unavailable")
        return []
    proposed = _proposed_topics(items, vectors)
    surges = find_surges(items, vectors, baseline(session, now), current, proposed)
    touched = []
    for surge in _not_known(session, surges):
        touched.append(_raise_or_extend(session, surge, now, current))
    session.flush()
    return touched


def _proposed_topics(items: list[Item], vectors: np.ndarray) -> list[tuple[str, ...]] | None:
    tagger = tagging.load()
    if tagger is None:
        return None
    ranked = tagger.rank(vectors)
    return [item.topics or (ranked[i][0][0],) for i, item in enumerate(items)]


def _not_known(session: Session, surges: list[Surge]) -> list[Surge]:
    """The surges no open known issue is about (its banner answers those already)."""
    open_issues = issues.open_issues(session)
    if not open_issues or not surges:
        return surges
    issue_vectors = meaning.embed_many([matching.issue_text(i) for i in open_issues])
    threshold = float(current_app.config["PROACTIVE_ISSUE_MIN_SIMILARITY"])
    return [s for s in surges if float(np.max(issue_vectors @ s.centroid)) < threshold]


def _raise_or_extend(session: Session, surge: Surge, now: datetime, current: SurgeRule):
    recent = list(
        session.scalars(select(SurgeAlert).where(SurgeAlert.raised_at >= now - timedelta(days=1)))
    )
    known = [np.asarray(alert.centroid, dtype=np.float32) for alert in recent]
    sampled = [{(s["kind"], s["id"]) for s in alert.samples or []} for alert in recent]
    topics = [list(alert.topics or []) for alert in recent]
    active = [alert.last_item_at >= now - window() for alert in recent]
    index = same_surge(surge, known, current.similarity, sampled, topics, active)
    samples = [
        {"kind": i.kind, "id": i.id, "text": i.text[:200], "at": i.at.isoformat(),
         "user_id": i.user_id}
        for i in surge.samples
    ]  # fmt: skip
    if index is not None:
        alert = recent[index]
        alert.window_count = max(alert.window_count, len(surge.items))
        alert.growth = max(alert.growth, surge.growth)
        alert.last_item_at = max(alert.last_item_at, surge.last_at)
        return alert
    alert = SurgeAlert(
        title=surge.samples[0].text.split("\n")[0][:200],
        raised_at=now,
        first_item_at=surge.first_at,
        last_item_at=surge.last_at,
        window_count=len(surge.items),
        baseline_per_window=surge.baseline,
        growth=surge.growth,
        samples=samples,
        topics=surge.topics,
        centroid=[float(x) for x in surge.centroid],
    )
    session.add(alert)
    session.flush()
    minutes = max(int((surge.last_at - surge.first_at).total_seconds() // 60), 1)
    staff = session.scalars(select(User).where(User.role.in_([Role.AGENT.value, Role.ADMIN.value])))
    for person in staff:
        notifications.notify(
            session,
            person,
            kind="surge_alert",
            message=ALERT_MESSAGE,
            params={"count": len(surge.items), "minutes": minutes, "title": alert.title},
            link=f"/desk/known-issues#alert-{alert.id}",
        )
    return alert


@job(WATCH_JOB)
def watch_job(session: Session) -> None:
    """The periodic watch (PROACTIVE_SURGE_INTERVAL_MINUTES)."""
    for alert in watch(session):
        log.info("surge alert #%s: %s items", alert.id, alert.window_count)
