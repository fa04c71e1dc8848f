"""Which open known issues a text is about, by meaning; which threads and cases an issue
is about (suggested to the agent, who confirms each link).

A text matches an issue when the cosine of their vectors (search's model) reaches
PROACTIVE_ISSUE_MIN_SIMILARITY. Without the model nothing matches by meaning: the banners
on the home and topic pages, which go by topic, still show.
"""

from dataclasses import dataclass

import numpy as np
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from community.models import Thread
from moderation.cases.models import Case, CaseStatus
from proactive import meaning
from proactive.issues import links, open_issues
from proactive.models import KnownIssue, known_issue_tags
from search import documents
from search import service as search_service

CASES_LOOKED_AT = 200  # the most recent active cases compared with an issue


def issue_text(issue: KnownIssue) -> str:
    return f"{issue.title}\n{issue.explanation}"


def _threshold() -> float:
    return float(current_app.config["PROACTIVE_ISSUE_MIN_SIMILARITY"])


def matching_issues(session: Session, text: str, limit: int = 2) -> list[KnownIssue]:
    """Open issues the text is about, closest first (none without the model)."""
    text = (text or "").strip()
    if len(text) < 3:
        return []
    issues = open_issues(session)
    if not issues:
        return []
    query = meaning.embed_one(text)
    if query is None:
        return []
    scored = []
    for issue in issues:
        vector = meaning.embed_one(issue_text(issue))
        if vector is not None:
            scored.append((float(vector @ query), issue))
    threshold = _threshold()
    scored.sort(key=lambda pair: -pair[0])
    return [issue for score, issue in scored if score >= threshold][:limit]


def issues_for_topic(session: Session, tag_id: int) -> list[KnownIssue]:
    """Open issues that affect a topic."""
    return [
        issue
        for issue in open_issues(session)
        if session.scalar(
            select(known_issue_tags.c.tag_id).where(
                known_issue_tags.c.issue_id == issue.id, known_issue_tags.c.tag_id == tag_id
            )
        )
    ]


@dataclass
class Suggestions:
    threads: list[Thread]
    cases: list[Case]


def suggested_links(session: Session, issue: KnownIssue, limit: int = 10) -> Suggestions:
    """Threads and active cases that look like the issue and are not linked yet."""
    linked = links(session, issue)
    linked_threads = {row.thread_id for row in linked if row.thread_id}
    linked_cases = {row.case_id for row in linked if row.case_id}
    exclude = frozenset(documents.doc_key("thread", i) for i in linked_threads)
    keys = search_service.best_matches(
        session, issue_text(issue), "thread", exclude=exclude, limit=limit
    )
    ids = [documents.split_key(key)[1] for key in keys]
    found = {t.id: t for t in session.scalars(select(Thread).where(Thread.id.in_(ids)))}
    threads = [found[i] for i in ids if i in found]
    return Suggestions(threads, _similar_cases(session, issue, linked_cases, limit))


def _similar_cases(session: Session, issue: KnownIssue, exclude: set[int], limit: int):
    cases = [
        case
        for case in session.scalars(
            select(Case)
            .where(Case.status.not_in([CaseStatus.SOLVED.value, CaseStatus.CLOSED.value]))
            .order_by(Case.opened_at.desc())
            .limit(CASES_LOOKED_AT)
        )
        if case.id not in exclude
    ]
    query = meaning.embed_one(issue_text(issue))
    if query is None or not cases:
        return []
    rows = [meaning.embed_one(f"{case.subject}\n{case.body}") for case in cases]
    if any(row is None for row in rows):
        return []
    matrix = np.stack(rows)
    scores = matrix @ query
    # Looser than the banner: an agent confirms each link, and a case's words are the
    # customer's own ("nothing loads"), further from the issue's than a search is.
    threshold = float(current_app.config["PROACTIVE_LINK_MIN_SIMILARITY"])
    ranked = sorted(zip(scores, cases, strict=True), key=lambda pair: -pair[0])
    return [case for score, case in ranked if score >= threshold][:limit]
