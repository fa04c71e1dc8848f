"""Hybrid ranking: the ONE fusion function used by the web search and by the benchmark."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

Scored = Sequence[tuple[str, float]]


@dataclass(frozen=True)
class DocMeta:
    """Per-document facts the ranker may boost on."""

    kind: str = "thread"  # "article" | "thread"
    solved: bool = False
    language: str | None = None  # the content's ("en", "fr"); None: not known


@dataclass(frozen=True)
class RankingWeights:
    """Fusion parameters; defaults tuned on SemEval-2016 dev only (see bench_quality.py).

    Linear min-max fusion 0.3/0.7 sits in the middle of a flat dev plateau (bm25 weight
    0.2-0.4 all within 0.2 MAP); RRF was 0.3-0.8 MAP lower at every k tried.  Min-max
    discards absolute cosine, so use the raw cosine (not the fused score) for any
    "is this a good enough match" threshold.
    """

    method: Literal["linear", "rrf"] = "linear"
    bm25_weight: float = 0.3
    semantic_weight: float = 0.7
    # linear: BM25 is divided by the best BM25 score of the query ("max"), or min-max scaled
    # ("minmax"); cosine is used as is ("raw") or min-max scaled over the fused candidates.
    bm25_norm: Literal["max", "minmax"] = "minmax"
    semantic_norm: Literal["raw", "minmax"] = "minmax"
    rrf_k: float = 10.0
    # Multiplicative, so they mean the same under either method: score *= 1 + boost.
    article_boost: float = 0.10  # curated KB answers beat peer threads on near-ties
    solved_boost: float = 0.05  # a thread with an accepted answer is more useful
    # The keyword side cannot match a document written in another language than the query:
    # there its silence says nothing, so meaning alone scores it (its keyword part takes its
    # meaning part) instead of losing to any same-language page sharing a word with the
    # query. bench/bilingual.py: cross-language MRR 21 → 55 with e5; SemEval (one language)
    # is unchanged by construction.
    cross_language_from_meaning: bool = True


def fuse(
    bm25: Scored,
    semantic: Scored | None,
    meta: Mapping[str, DocMeta] | None = None,
    weights: RankingWeights | None = None,
    candidates: Iterable[str] | None = None,
    query_language: str | None = None,
) -> list[tuple[str, float]]:
    """Fuse BM25F and cosine results into one ranking [(key, score)], best first.

    ``semantic=None`` means the model is unavailable: keyword-only ranking.  With a
    ``query_language``, documents of another language are scored by meaning alone (see
    ``RankingWeights.cross_language_from_meaning``).  Keys in
    ``candidates`` that neither side returned are kept with their component scores at 0.
    Ties keep first-seen order (candidates, then BM25, then semantic order).
    """
    w = weights or RankingWeights()
    sem = list(semantic or [])
    w_bm25, w_sem = w.bm25_weight, (w.semantic_weight if semantic is not None else 0.0)
    if semantic is None and w_bm25 <= 0:
        w_bm25 = 1.0  # keyword fallback must still rank by keywords

    order: dict[str, int] = {}
    for key in list(candidates or []) + [k for k, _ in bm25] + [k for k, _ in sem]:
        order.setdefault(key, len(order))

    if w.method == "rrf":
        comp_b = _rrf(bm25, w.rrf_k)
        comp_s = _rrf(sem, w.rrf_k)
    else:
        comp_b = _normalize(bm25, w.bm25_norm, order)
        comp_s = _normalize(sem, w.semantic_norm, order)

    fused: dict[str, float] = {}
    for key in order:
        m = meta.get(key) if meta else None
        keyword, meaning = comp_b.get(key, 0.0), comp_s.get(key, 0.0)
        if (
            w.cross_language_from_meaning
            and semantic is not None
            and query_language
            and m is not None
            and m.language
            and m.language != query_language
        ):
            keyword = max(keyword, meaning)
        score = w_bm25 * keyword + w_sem * meaning
        if m is not None:
            if m.kind == "article":
                score *= 1.0 + w.article_boost
            elif m.solved:
                score *= 1.0 + w.solved_boost
        fused[key] = score
    return sorted(fused.items(), key=lambda kv: (-kv[1], order[kv[0]]))


def _rrf(results: Scored, k: float) -> dict[str, float]:
    ranked = sorted(results, key=lambda kv: -kv[1])  # stable: keeps the engine's tie order
    return {key: 1.0 / (k + rank) for rank, (key, _) in enumerate(ranked, start=1)}


def _normalize(results: Scored, how: str, universe: Mapping[str, int]) -> dict[str, float]:
    if not results:
        return {}
    scores = dict(results)
    if how == "raw":
        return scores
    if how == "max":
        top = max(scores.values())
        return {k: (s / top if top > 0 else 0.0) for k, s in scores.items()}
    # minmax over every fused candidate: ones this side did not return count as its floor,
    # so a missing doc is never placed above a returned one.
    vals = list(scores.values())
    lo = min(vals) if len(scores) >= len(universe) else min(0.0, min(vals))
    hi = max(vals)
    span = hi - lo
    return {k: ((s - lo) / span if span > 0 else 1.0) for k, s in scores.items()}
