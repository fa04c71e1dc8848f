"""Read-only questions the desk asks: queues, SLA standing, history, suggestions, supervisor."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session, object_session, selectinload

from community.models import AcceptedSolution, Thread, thread_tags
from kb.models import Article, article_tags
from moderation.cases.models import Case, SlaTarget
from moderation.cases.routing import ACTIVE_STATUSES
from moderation.cases.sla import SlaState, sla_state, time_left
from portal.i18n import LANGUAGES, locale_of, site_default
from portal.models import User
from portal.permissions import Role
from portal.text_language import clear_language
from search import service as search_service

log = logging.getLogger(__name__)
# The desk's queues, in the order of their tabs (named by moderation.cases.labels).
QUEUES = ("mine", "unassigned", "all", "attention", "done")


@dataclass(frozen=True)
class SlaView:
    """The target that matters now (first response until given, then resolution), and the
    breaches recorded for the case so far (moderation.cases.clock: they never go away).

    ``remaining``: the time left before the due time (negative: overdue), None once the
    target is done or paused; ``left`` says it in the reader's language.
    """

    target: SlaTarget
    due: datetime
    state: SlaState
    remaining: timedelta | None
    breached: tuple[str, ...] = ()

    @property
    def needs_attention(self) -> bool:
        return self.state in (SlaState.BREACHED, SlaState.AT_RISK)

    @property
    def left(self) -> str:
        """ "2 hr 5 min left", "overdue by 40 min", in the current language; "" when done."""
        return "" if self.remaining is None else time_left(self.remaining)


def current_due(case: Case) -> datetime:
    return case.first_response_due if case.first_response_at is None else case.resolution_due


def sla_view(case: Case, now: datetime) -> SlaView:
    """Where the case stands against its SLA."""
    breached = tuple(breach.target for breach in case.breaches)
    if case.first_response_at is None and case.is_active:
        target, started, due, done = (
            SlaTarget.FIRST_RESPONSE,
            case.opened_at,
            case.first_response_due,
            None,
        )
    else:
        target, started = SlaTarget.RESOLUTION, case.resolution_started_at
        due, done = case.resolution_due, case.solved_at or case.closed_at
        if case.resolution_paused_at is not None and done is None:
            # Due as if the customer answered now: the pause moves it later.
            due += now - case.resolution_paused_at
            return SlaView(target, due, SlaState.PAUSED, None, breached)
    state = sla_state(started, due, done, now)
    return SlaView(target, due, state, due - now if done is None else None, breached)


def due_order():
    """SQL: the first response due while unanswered, else the resolution due."""
    return sql_case(
        (Case.first_response_at.is_(None), Case.first_response_due), else_=Case.resolution_due
    )


def queue(name: str, agent: User) -> Select:
    """The cases of one desk queue, the soonest due first ("attention" is attention_cases)."""
    query = select(Case).options(selectinload(Case.breaches))
    if name == "done":
        return query.where(Case.status.not_in(ACTIVE_STATUSES)).order_by(
            Case.solved_at.desc(), Case.id.desc()
        )
    query = query.where(Case.status.in_(ACTIVE_STATUSES))
    if name == "mine":
        query = query.where(Case.assignee_id == agent.id)
    elif name == "unassigned":
        query = query.where(Case.assignee_id.is_(None))
    return query.order_by(due_order(), Case.id)


def attention_cases(session: Session, now: datetime, agent: User | None = None) -> list[Case]:
    """Active cases whose SLA is breached or at risk (computed by moderation.cases.sla)."""
    query = (
        select(Case).options(selectinload(Case.breaches)).where(Case.status.in_(ACTIVE_STATUSES))
    )
    if agent is not None:
        query = query.where(Case.assignee_id == agent.id)
    cases = session.scalars(query).all()
    flagged = [case for case in cases if sla_view(case, now).needs_attention]
    return sorted(flagged, key=lambda case: (current_due(case), case.id))


def queue_counts(session: Session, agent: User, now: datetime) -> dict[str, int]:
    active = Case.status.in_(ACTIVE_STATUSES)
    count = lambda *where: session.scalar(select(func.count(Case.id)).where(*where))  # noqa: E731
    return {
        "mine": count(active, Case.assignee_id == agent.id),
        "unassigned": count(active, Case.assignee_id.is_(None)),
        "all": count(active),
        "attention": len(attention_cases(session, now)),
        "done": count(Case.status.not_in(ACTIVE_STATUSES)),
    }


def customer_history(session: Session, case: Case) -> tuple[list, list[Case]]:
    """The customer's other threads and cases, the latest first."""

    if case.customer_id is None:  # a visitor: their other requests from the same address
        same_requester = Case.requester_email == case.requester_email
        threads = []
    else:
        same_requester = Case.customer_id == case.customer_id
        threads = session.scalars(
            select(Thread)
            .where(Thread.author_id == case.customer_id, Thread.id != (case.thread_id or 0))
            .order_by(Thread.created_at.desc())
            .limit(10)
        ).all()
    cases = session.scalars(
        select(Case)
        .where(same_requester, Case.id != case.id)
        .order_by(Case.opened_at.desc())
        .limit(10)
    ).all()
    return list(threads), list(cases)


def case_text(case: Case) -> str:
    """What the customer said: the subject, their message and the thread's question."""
    question = case.thread.question.body if case.thread and case.thread.question else ""
    return "\n\n".join(part for part in (case.subject, case.body, question) if part)


def customer_language(case: Case) -> str:
    """The language to write to the customer in: their saved preference, else the language
    of what they wrote to us, else the one notifications use (the site's)."""
    saved = case.customer.locale if case.customer else case.requester_locale
    if saved in LANGUAGES:
        return saved
    if case.customer is None:
        return clear_language(case_text(case)) or site_default(object_session(case))
    return clear_language(case_text(case)) or locale_of(case.customer)


def searched_ids(
    session: Session, case: Case, kind: str, *, solved_only: bool = False
) -> list[int]:
    """Ids of public documents of one kind that search finds for the case's text, best first.

    [] when search finds nothing or cannot run: the case page must work without it.
    """

    own_thread = frozenset({f"thread:{case.thread_id}"} if case.thread_id else ())
    try:
        keys = search_service.best_matches(
            session, case_text(case), kind, solved_only=solved_only, exclude=own_thread
        )
    except Exception:  # suggestions are a help, never the reason a case page fails
        log.exception("search suggestions for case %s failed", case.id)
        return []
    return [int(key.partition(":")[2]) for key in keys]


def in_order(session: Session, model, ids: list[int], *where) -> list:
    """The rows of these ids that pass the conditions, in the order of the ids."""
    if not ids:
        return []
    rows = {row.id: row for row in session.scalars(select(model).where(model.id.in_(ids), *where))}
    return [rows[i] for i in ids if i in rows]


def suggested_articles(session: Session, case: Case, limit: int = 5) -> list:
    """Published KB articles that search finds for the case's words, then by shared tags."""

    found = in_order(
        session, Article, searched_ids(session, case, "article"), Article.status == "published"
    )
    tag_ids = [tag.id for tag in case.tags]
    if len(found) >= limit or not tag_ids:
        return found[:limit]
    shared = func.count(article_tags.c.tag_id).label("shared")
    rows = session.execute(
        select(Article, shared)
        .join(article_tags, article_tags.c.article_id == Article.id)
        .where(article_tags.c.tag_id.in_(tag_ids), Article.status == "published")
        .group_by(Article.id)
        .order_by(shared.desc(), Article.view_count.desc(), Article.title)
        .limit(limit)
    )
    return (found + [article for article, _ in rows if article not in found])[:limit]


def similar_solved_threads(session: Session, case: Case, limit: int = 5) -> list:
    """Solved public threads that search finds for the case's words, then by shared tags."""

    own = Thread.id != (case.thread_id or 0)
    searched = searched_ids(session, case, "thread", solved_only=True)
    found = in_order(
        session, Thread, searched, own, Thread.id.in_(select(AcceptedSolution.thread_id))
    )
    tag_ids = [tag.id for tag in case.tags]
    if len(found) >= limit or not tag_ids:
        return found[:limit]
    shared = func.count(thread_tags.c.tag_id).label("shared")
    rows = session.execute(
        select(Thread, shared)
        .join(thread_tags, thread_tags.c.thread_id == Thread.id)
        .join(AcceptedSolution, AcceptedSolution.thread_id == Thread.id)
        .where(thread_tags.c.tag_id.in_(tag_ids), own)
        .group_by(Thread.id)
        .order_by(shared.desc(), Thread.last_activity_at.desc())
        .limit(limit)
    )
    return (found + [thread for thread, _ in rows if thread not in found])[:limit]


def agents(session: Session) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .where(User.role.in_([Role.AGENT.value, Role.ADMIN.value]))
            .order_by(User.username)
        )
    )


def supervisor_rows(session: Session, now: datetime) -> list[dict]:
    """Per agent: open cases, those that breached a target (recorded, or late now), the
    oldest waiting case."""
    active = session.scalars(
        select(Case).options(selectinload(Case.breaches)).where(Case.status.in_(ACTIVE_STATUSES))
    ).all()
    rows = {}
    for agent in agents(session):
        rows[agent.id] = {"agent": agent, "open": 0, "breached": 0, "oldest": None}
    rows[None] = {"agent": None, "open": 0, "breached": 0, "oldest": None}
    for case in active:
        empty = {"agent": case.assignee, "open": 0, "breached": 0, "oldest": None}
        row = rows.setdefault(case.assignee_id, empty)
        row["open"] += 1
        sla = sla_view(case, now)
        if sla.breached or sla.state == SlaState.BREACHED:
            row["breached"] += 1
        if row["oldest"] is None or case.opened_at < row["oldest"].opened_at:
            row["oldest"] = case
    return list(rows.values())


def oldest_waiting(session: Session, limit: int = 10) -> list[Case]:
    """Active cases that have not had a first response, the longest waiting first."""
    return list(
        session.scalars(
            select(Case)
            .where(Case.status.in_(ACTIVE_STATUSES), Case.first_response_at.is_(None))
            .order_by(Case.opened_at, Case.id)
            .limit(limit)
        )
    )
