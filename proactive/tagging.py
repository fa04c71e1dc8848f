"""Automatic topics: a linear classifier on search's embeddings, trained on what is tagged.

**Model.** Each published article and each visible thread is one text (title, summary or
question) and its topics; a text with three topics is three examples. scikit-learn's
LogisticRegression (multinomial) learns topic probabilities from the texts' vectors
(all-MiniLM-L6-v2 through search's encoder): a few hundred examples train in well under a
second, and it ranks topics better than nearest neighbours on the demo and generated sets
(bench/proactive_tags.py, docs/benchmarks.md). The model is a file in
PROACTIVE_DIR (default instance/proactive/tagger.joblib), derived data like the search
index: retrained by a periodic job (PROACTIVE_TAGGER_RETRAIN_MINUTES) or
`flask proactive train`, and a missing one only means no proposals.

**Uses.** The forms ask ``/proactive/topics?text=`` while a question, a request or an
article is written (``proactive/_topic_proposals.html``), and a new case without topics
gets the proposed ones and is routed again (``cases.case_opened``).
"""

import logging
import os
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import joblib
import numpy as np
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from community.models import Post, PostStatus, Thread
from kb.models import Article
from moderation.cases import service as cases_service
from portal.database import utcnow
from portal.jobs import job
from portal.models import Tag
from proactive import meaning

RETRAIN_JOB = "proactive.retrain_tagger"
MIN_EXAMPLES = 10
log = logging.getLogger(__name__)
_cache_lock = threading.Lock()
_cache: dict[str, tuple[float, "Tagger"]] = {}


@dataclass
class Tagger:
    """The trained classifier and what it was trained on."""

    classifier: object  # sklearn LogisticRegression
    trained_at: datetime
    examples: int

    def rank(self, vectors: np.ndarray) -> list[list[tuple[str, float]]]:
        """Topics of each vector with their probability, most likely first."""
        probabilities = self.classifier.predict_proba(np.atleast_2d(vectors))
        classes = self.classifier.classes_
        return [
            [(str(classes[i]), float(row[i])) for i in np.argsort(-row)] for row in probabilities
        ]


def model_path() -> Path:
    folder = current_app.config.get("PROACTIVE_DIR") or os.path.join(
        current_app.instance_path, "proactive"
    )
    return Path(folder) / "tagger.joblib"


def examples_from_database(session: Session) -> tuple[list[str], list[list[str]]]:
    """(texts, topics of each): published articles and visible threads with topics."""
    texts, labels = [], []
    for article in session.scalars(select(Article).where(Article.status == "published")):
        if article.tags:
            texts.append(f"{article.title}\n{article.summary}\n{article.body[:1000]}")
            labels.append([tag.slug for tag in article.tags])
    rows = session.execute(
        select(Thread, Post.body)
        .join(Post, (Post.thread_id == Thread.id) & Post.is_question.is_(True))
        .where(Post.status == PostStatus.VISIBLE.value)
    ).all()
    for thread, body in rows:
        if thread.tags:
            texts.append(f"{thread.title}\n{body[:1000]}")
            labels.append([tag.slug for tag in thread.tags])
    return texts, labels


def fit(vectors: np.ndarray, labels: list[list[str]]):
    """A multinomial logistic regression on the vectors, one example per (text, topic)."""
    from sklearn.linear_model import LogisticRegression

    rows, targets = [], []
    for vector, topics in zip(vectors, labels, strict=True):
        for topic in topics:
            rows.append(vector)
            targets.append(topic)
    # C=10: the unit-norm vectors sit close together; a weak penalty separates the topics
    # (best of 1, 3, 10, 30 on the demo split, bench/proactive_tags.py).
    classifier = LogisticRegression(C=10.0, max_iter=2000)
    classifier.fit(np.asarray(rows), np.asarray(targets))
    return classifier


def train(session: Session) -> Tagger | None:
    """Train on the database's tagged content and save it; None when there is too little
    content (fewer than MIN_EXAMPLES texts or two topics) or no model."""
    texts, labels = examples_from_database(session)
    if len(texts) < MIN_EXAMPLES or len({t for topics in labels for t in topics}) < 2:
        return None
    vectors = meaning.embed_many(texts)
    if vectors is None:
        log.warning("automatic topics not trained: the embedding model is unavailable")
        return None
    tagger = Tagger(fit(vectors, labels), utcnow(), len(texts))
    path = model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    joblib.dump(tagger, partial)
    os.replace(partial, path)  # readers see the old file or the new one, never half
    return tagger


def load() -> Tagger | None:
    """The saved tagger (reloaded when the file changes), or None."""
    path = model_path()
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    key = str(path)
    with _cache_lock:
        cached = _cache.get(key)
        if cached and cached[0] == mtime:
            return cached[1]
        try:
            tagger = joblib.load(path)
        except Exception:  # damaged: no proposals until the next training
            log.exception("cannot read the topic model %s", path)
            return None
        _cache[key] = (mtime, tagger)
        return tagger


def propose(session: Session, text: str, limit: int = 3) -> list[tuple[Tag, float]]:
    """Topics for a text being written, most likely first (at least
    PROACTIVE_TAG_MIN_PROBABILITY each); [] without a model or text."""
    text = (text or "").strip()
    if len(text) < 10:
        return []
    tagger = load()
    if tagger is None:
        return []
    vector = meaning.embed_one(text[:2000])
    if vector is None:
        return []
    floor = float(current_app.config["PROACTIVE_TAG_MIN_PROBABILITY"])
    ranked = [(slug, p) for slug, p in tagger.rank(vector)[0][:limit] if p >= floor]
    tags = {
        t.slug: t for t in session.scalars(select(Tag).where(Tag.slug.in_([s for s, _ in ranked])))
    }
    return [(tags[slug], p) for slug, p in ranked if slug in tags]


def on_case_opened(sender, case, **data) -> None:
    """``cases.case_opened``: a case without topics gets the proposed ones (routing reads
    them), and is routed again when nobody has it yet."""
    session = object_session(case)
    if session is None or case.tags:
        return
    proposed = propose(session, f"{case.subject}\n{case.body}", limit=2)
    if not proposed:
        return
    case.tags = [tag for tag, _probability in proposed]
    session.flush()
    if case.assignee_id is None:
        cases_service.route_case(session, case)


@job(RETRAIN_JOB)
def retrain_job(session: Session) -> None:
    """The periodic retraining, as content grows."""
    tagger = train(session)
    if tagger is not None:
        log.info("topic model retrained on %s texts", tagger.examples)
