"""Finding surges: recent items clustered by meaning, each cluster against its topic's usual
rate. Pure functions on items and their vectors: the periodic job (watch.py) feeds them
from the database, the simulation (bench/proactive_surges.py) from generated traffic.

**Rule.** The items of the last PROACTIVE_SURGE_WINDOW_MINUTES (new questions, support
requests, searches) are grouped by average-linkage clustering on cosine distance
(scikit-learn's AgglomerativeClustering; two items meet when their cosine reaches
PROACTIVE_SURGE_SIMILARITY). A cluster is a surge when it holds at least
PROACTIVE_SURGE_MIN_ITEMS items from at least PROACTIVE_SURGE_MIN_PEOPLE different people
and its count is at least PROACTIVE_SURGE_GROWTH times what its topic usually gets in such
a window (the baseline: the same window of each of the PROACTIVE_SURGE_BASELINE_DAYS
before, averaged, floored at PROACTIVE_SURGE_MIN_BASELINE items so that a topic usually
silent at night needs a real wave: with a floor of 1, four weeks of generated quiet
traffic raised three false alerts, with 2 none; bench/proactive_surges.py). A cluster's
topic is the most frequent among its items' topics (a search has none: the topic model
proposes one). The topic's baseline is already larger than the cluster's own usual rate
(a cluster is a part of its topic), so the rule leans towards silence in quiet weeks.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np


@dataclass(frozen=True)
class Item:
    """A question, a support request or a search, as the watcher sees it."""

    kind: str  # "thread" | "case" | "search"
    id: int
    text: str
    at: datetime
    person: str  # who (a user id, or a search's browser session): one person is no wave
    topics: tuple[str, ...] = ()
    user_id: int | None = None


@dataclass(frozen=True)
class SurgeRule:
    similarity: float = 0.45
    min_items: int = 5
    min_people: int = 3
    growth: float = 4.0
    floor: float = 2.0  # a baseline below this counts as this (a usually silent topic)


@dataclass
class Surge:
    items: list[Item]
    centroid: np.ndarray
    topics: list[str]
    baseline: float
    growth: float
    people: int = 0
    samples: list[Item] = field(default_factory=list)

    @property
    def first_at(self) -> datetime:
        return min(item.at for item in self.items)

    @property
    def last_at(self) -> datetime:
        return max(item.at for item in self.items)


def clusters(vectors: np.ndarray, similarity: float) -> list[list[int]]:
    """Indexes of the items grouped by meaning (average linkage on cosine distance)."""
    if len(vectors) == 0:
        return []
    if len(vectors) == 1:
        return [[0]]
    from sklearn.cluster import AgglomerativeClustering

    labels = AgglomerativeClustering(
        n_clusters=None,
        metric="cosine",
        linkage="average",
        distance_threshold=1.0 - similarity,
    ).fit_predict(vectors)
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(int(label), []).append(index)
    return sorted(groups.values(), key=len, reverse=True)


def find_surges(
    items: list[Item],
    vectors: np.ndarray,
    baseline_per_window: dict[str | None, float],
    rule: SurgeRule,
    proposed_topics: list[tuple[str, ...]] | None = None,
) -> list[Surge]:
    """The clusters of ``items`` (rows of ``vectors``) that are surges, largest first.

    ``baseline_per_window``: each topic's usual count in one window (None: no topic);
    ``proposed_topics``: for each item without topics, the topic model's guess.
    """
    found = []
    for members in clusters(vectors, rule.similarity):
        if len(members) < rule.min_items:
            continue
        group = [items[i] for i in members]
        people = len({item.person for item in group})
        if people < rule.min_people:
            continue
        topics = _topics(members, items, proposed_topics)
        usual = max((baseline_per_window.get(t, 0.0) for t in topics[:1]), default=None)
        if usual is None:
            usual = baseline_per_window.get(None, 0.0)
        baseline = max(usual, rule.floor)
        growth = len(group) / baseline
        if growth < rule.growth:
            continue
        centroid = vectors[members].mean(axis=0)
        centroid /= np.linalg.norm(centroid) or 1.0
        # The samples: the items closest to the centre first, one per person.
        order = np.argsort(-(vectors[members] @ centroid))
        samples, seen = [], set()
        for i in order:
            item = group[int(i)]
            if item.person not in seen:
                samples.append(item)
                seen.add(item.person)
        found.append(Surge(group, centroid, topics, baseline, growth, people, samples[:5]))
    return found


def _topics(members, items, proposed) -> list[str]:
    counts: Counter = Counter()
    for i in members:
        topics = items[i].topics or (proposed[i] if proposed else ())
        counts.update(topics)
    return [topic for topic, _count in counts.most_common(3)]


# A wave phrased many ways splits into clusters whose centres are further apart than
# SIMILARITY; within one topic, or while the known surge is still going on, a looser cosine
# still calls them one surge (at 60 items an hour the simulation raised 2–3 alerts for one
# surge in 13 of 20 trials without it).
SAME_TOPIC_SLACK = 0.2


def same_surge(
    surge: Surge,
    known: list[np.ndarray],
    similarity: float,
    known_items: list[set] | None = None,
    known_topics: list[list[str]] | None = None,
    known_active: list[bool] | None = None,
) -> int | None:
    """The index of the known surge (an alert already raised) this one continues, or None:
    one that shares an item with it (its samples), else the closest centre in meaning
    (closer than ``similarity``, or than ``similarity - SAME_TOPIC_SLACK`` in its topic or
    while it is ``active``: its last item within the window)."""
    keys = {(item.kind, item.id) for item in surge.items}
    for index, items in enumerate(known_items or []):
        if keys & items:
            return index
    topic = surge.topics[0] if surge.topics else None
    best, best_score = None, -1.0
    for index, other in enumerate(known):
        score = float(np.dot(surge.centroid, other))
        same_topic = topic is not None and known_topics and topic in known_topics[index][:1]
        active = bool(known_active and known_active[index])
        needed = similarity - SAME_TOPIC_SLACK if same_topic or active else similarity
        if score >= needed and score > best_score:
            best, best_score = index, score
    return best
