"""Both indexes together and the one ranking path, with the real model."""

import os
import shutil

import pytest

from search.engine import SearchIndex
from search.fulltext import Document
from search.ranking import RankingWeights


def doc(key, title, body, **fields):
    return Document(key, key.split(":")[0], title, body, **fields)


DOCS = [
    doc("article:1", "Resetting your router", "Hold the reset button for ten seconds.",
        tags=["network"]),
    doc("article:2", "Paying your invoice by card",
        "Open Billing, choose Pay now, enter your card.", tags=["billing"]),
    doc("thread:3", "Lights turn on at night by themselves", "My smart bulbs switch on at 3 am.",
        solved=True, tags=["smart-home"]),
    doc("thread:4", "Facture reçue deux fois",
        "J'ai été prélevé deux fois ce mois-ci pour mon abonnement.", language="fr",
        tags=["billing"]),
]  # fmt: skip


@pytest.fixture
def index(model, tmp_path):
    index = SearchIndex(tmp_path / "idx")
    index.rebuild(DOCS)
    return index


def keys(ranked):
    return [key for key, _ in ranked.hits]


def test_paraphrase_without_shared_words_finds_the_article(index):
    # No word of the query (stemmed or not) occurs in article:2.
    ranked = index.rank("how do I settle what I owe you", min_similarity=0.3)
    assert ranked.semantic and keys(ranked)[0] == "article:2"
    assert index.fulltext.search("how do I settle what I owe you") == []


def test_french_question_finds_french_content(index):
    assert keys(index.rank("on m'a débité deux fois", min_similarity=0.3))[0] == "thread:4"


def test_filters_apply_to_semantic_hits_too(index):
    assert set(keys(index.rank("bill payment", kind="article"))) <= {"article:1", "article:2"}
    assert keys(index.rank("lamps at night", solved=True, min_similarity=0.2)) == ["thread:3"]
    assert "thread:3" not in keys(index.rank("lamps at night", tag="billing"))


def test_candidates_rank_all_of_them_in_bm25_semantic_and_hybrid(index):
    candidates = ["thread:3", "article:1", "article:2"]
    for weights in (RankingWeights(1, 0), RankingWeights(0, 1), RankingWeights()):
        weights = RankingWeights(
            bm25_weight=weights.bm25_weight, semantic_weight=weights.semantic_weight
        )
        ranked = index.rank("reset the router", candidates=candidates, weights=weights)
        assert sorted(keys(ranked)) == sorted(candidates) and keys(ranked)[0] == "article:1"


def test_unrelated_query_finds_nothing(index):
    assert keys(index.rank("zebra migration in the serengeti", min_similarity=0.3)) == []


def test_upsert_and_remove_keep_both_sides_in_step(index):
    index.upsert(
        [
            Document(
                "thread:5",
                "thread",
                "Garage door opener pairing",
                "The app cannot find the opener.",
            )
        ]
    )
    assert keys(index.rank("garage", min_similarity=0.3))[0] == "thread:5"
    index.remove(["thread:5", "article:1"])
    assert "thread:5" not in keys(index.rank("garage door", min_similarity=0.0))
    assert "article:1" not in keys(index.rank("reset router", min_similarity=0.0))


def test_another_process_writing_vectors_is_seen(index, tmp_path):
    other = SearchIndex(tmp_path / "idx")  # e.g. a second gunicorn worker
    other.upsert([Document("thread:6", "thread", "Doorbell camera offline", "")])
    assert "thread:6" in keys(index.rank("doorbell camera", min_similarity=0.3))


def test_deleted_directory_is_noticed(index):
    shutil.rmtree(index.directory)
    assert index.fulltext.doc_count() == 0 and index.needs_rebuild  # made again, empty
    index.rebuild(DOCS)
    assert not index.needs_rebuild and keys(index.rank("reset router"))[0] == "article:1"


def test_lost_vectors_ask_for_a_rebuild(index):
    shutil.rmtree(index.directory / "vectors")
    index.rank("router")
    assert index.needs_rebuild


def test_damaged_vectors_ask_for_a_rebuild_and_search_goes_on(index):
    (matrix,) = (index.directory / "vectors").glob("g*/vectors.npy")
    os.truncate(matrix, matrix.stat().st_size // 2)
    worker = SearchIndex(index.directory)  # a worker opening the index now
    assert keys(worker.rank("reset router"))[0] == "article:1"  # the keyword side answers
    assert worker.needs_rebuild
    worker.upsert([Document("thread:7", "thread", "Doorbell camera offline", "")])  # no error
    worker.rebuild(DOCS)
    assert not worker.needs_rebuild
    assert keys(worker.rank("how do I settle what I owe you", min_similarity=0.3))[0] == "article:2"


def test_keyword_only_when_semantic_is_off(tmp_path):
    index = SearchIndex(tmp_path / "kw", semantic=False)
    index.rebuild(DOCS)
    ranked = index.rank("reset router")
    assert not ranked.semantic and keys(ranked) == ["article:1"]
    assert index.semantic_error()
