"""Hybrid fusion."""

import pytest

from search.ranking import DocMeta, RankingWeights, fuse

METHODS = [
    RankingWeights(),
    RankingWeights(method="rrf", rrf_k=10),
    RankingWeights(bm25_norm="max", semantic_norm="raw"),
]


@pytest.mark.parametrize("w", METHODS)
def test_strong_in_both_beats_strong_in_one(w):
    bm25 = [("kw_only", 12.0), ("both", 11.0), ("weak", 2.0)]
    sem = [("sem_only", 0.80), ("both", 0.78), ("weak", 0.20)]
    ranked = [k for k, _ in fuse(bm25, sem, weights=w)]
    assert ranked[0] == "both"
    assert set(ranked[1:3]) == {"kw_only", "sem_only"} or w.method == "rrf"  # rrf: rank-only


def test_keyword_fallback_when_model_unavailable():
    ranked = fuse([("a", 1.0), ("b", 3.0)], None, weights=RankingWeights(bm25_weight=0.0))
    assert [k for k, _ in ranked] == ["b", "a"]


def test_candidates_missing_everywhere_are_kept_last():
    ranked = fuse([("a", 2.0)], [("a", 0.5), ("b", 0.4)], candidates=["z", "a", "b"])
    assert [k for k, _ in ranked] == ["a", "b", "z"]
    assert ranked[-1][1] == 0.0


def test_article_and_solved_boosts_break_near_ties():
    bm25 = [("thread:1", 5.0), ("article:1", 5.0), ("thread:2", 5.0)]
    sem = [("thread:1", 0.5), ("article:1", 0.5), ("thread:2", 0.5)]
    meta = {
        "article:1": DocMeta("article"),
        "thread:2": DocMeta("thread", solved=True),
        "thread:1": DocMeta("thread"),
    }
    w = RankingWeights(bm25_norm="max", semantic_norm="raw")
    assert [k for k, _ in fuse(bm25, sem, meta, w)] == ["article:1", "thread:2", "thread:1"]


def test_a_document_in_another_language_is_scored_by_meaning_alone():
    """The keyword side cannot match across languages: its silence is not held against the
    French article that answers an English question best, and does not lift it either when
    the query's language is unknown or the model is off."""
    bm25 = [("en_word_match", 5.0)]  # shares a word with the question, about something else
    sem = [("fr_answer", 0.90), ("en_word_match", 0.70), ("en_other", 0.60)]
    meta = {
        "fr_answer": DocMeta("article", language="fr"),
        "en_word_match": DocMeta("article", language="en"),
        "en_other": DocMeta("article", language="en"),
    }
    weights = RankingWeights(bm25_weight=0.5, semantic_weight=0.5)
    crossed = fuse(bm25, sem, meta, weights, query_language="en")
    assert [k for k, _ in crossed][0] == "fr_answer"
    plain = fuse(bm25, sem, meta, weights, query_language=None)
    assert [k for k, _ in plain][0] == "en_word_match"
    off = RankingWeights(bm25_weight=0.5, semantic_weight=0.5, cross_language_from_meaning=False)
    assert [k for k, _ in fuse(bm25, sem, meta, off, query_language="en")][0] == "en_word_match"
