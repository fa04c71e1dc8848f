"""The numpy postings score what Whoosh's BM25F scores, and stay in step with the index."""

import os
import random

import numpy as np
import pytest
from whoosh import query as wq
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length, length_to_byte

from search import bm25, fulltext, store
from search.fulltext import Document, FullTextIndex, QueryBoosts

WORDS = [
    "router",
    "modem",
    "wifi",
    "signal",
    "password",
    "reset",
    "invoice",
    "billing",
    "refund",
    "payment",
    "card",
    "account",
    "login",
    "email",
    "update",
    "firmware",
    "camera",
    "doorbell",
    "thermostat",
    "bulb",
    "light",
    "plug",
    "speaker",
    "pairing",
    "bluetooth",
    "network",
    "cable",
    "speed",
    "slow",
    "drop",
    "disconnect",
    "night",
    "error",
    "screen",
    "battery",
]
FRENCH = [
    "routeur",
    "facture",
    "imprimante",
    "problème",
    "connexion",
    "mot",
    "de",
    "passe",
    "lenteur",
    "panne",
]


def corpus(count: int, seed: int = 3) -> list[Document]:
    """Documents of varied lengths (long ones exercise Whoosh's one-byte lengths)."""
    rng = random.Random(seed)

    def words(n, vocabulary=WORDS):
        return " ".join(rng.choices(vocabulary, k=n))

    docs = []
    for number in range(count):
        french = number % 7 == 0
        vocabulary = FRENCH if french else WORDS
        docs.append(
            Document(
                f"{'article' if number % 5 == 0 else 'thread'}:{number}",
                "article" if number % 5 == 0 else "thread",
                words(rng.randint(2, 8), vocabulary),
                words(rng.randint(0, 120), vocabulary),
                solution=words(rng.randint(0, 10), vocabulary) if number % 3 == 0 else "",
                replies=words(rng.randint(0, 60), vocabulary),
                tags=rng.sample(["network", "billing", "smart-home"], rng.randint(0, 2)),
                solved=number % 3 == 0,
                language="fr" if french else "en",
            )
        )
    return docs


def whoosh_scores(ft: FullTextIndex, text: str, boosts: QueryBoosts | None = None) -> dict:
    """What Whoosh itself scores for the same terms (an OR of boosted term queries)."""
    plan = ft.query_plan(text, boosts)
    query = wq.Or([wq.Term(name, term, boost=boost) for name, term, boost in plan])
    with ft._ix.searcher(weighting=BM25F(B=ft.b, K1=ft.k1)) as searcher:
        return {hit["doc_key"]: hit.score for hit in searcher.search(query, limit=None)}


QUERIES = [
    "router drops wifi at night",
    "reset password",
    "invoice refund card payment billing",
    "facture imprimante problème",
    "routeur wifi",
    "bluetooth",
    "the slow slow slow network",
]


@pytest.fixture
def ft(tmp_path):
    index = FullTextIndex(tmp_path / "idx")
    index.replace_all(corpus(400))
    return index


def assert_same_as_whoosh(ft, text, boosts=None):
    ours = ft.search(text, limit=10_000, boosts=boosts)
    expected = whoosh_scores(ft, text, boosts)
    assert ours, text
    assert dict(ours).keys() == expected.keys()
    for key, score in ours:
        assert score == pytest.approx(expected[key], rel=1e-9), (text, key)
    assert [s for _, s in ours] == sorted((s for _, s in ours), reverse=True)


@pytest.mark.parametrize("text", QUERIES)
def test_scores_are_whooshs_bm25f(ft, text):
    assert_same_as_whoosh(ft, text)


def test_query_boosts_weigh_fields_as_whoosh_does(ft):
    assert_same_as_whoosh(ft, "router reset", QueryBoosts(title=1.5, body=1.0, replies=0.0))


def test_limit_keeps_the_best_and_the_first_keys_of_ties(ft):
    everything = ft.search("router", limit=10_000)
    top = ft.search("router", limit=7)
    assert top == everything[:7]


def test_ties_go_by_key_whatever_order_the_documents_were_indexed_in(tmp_path):
    """Two servers (or a rebuild that read the rows in another order) rank alike."""
    twins = [Document(f"thread:{n}", "thread", "Garage opener", "") for n in range(1000, 1030)]
    docs = corpus(100) + twins
    forward, backward = FullTextIndex(tmp_path / "f"), FullTextIndex(tmp_path / "b")
    forward.replace_all(docs)
    backward.replace_all(docs[::-1])
    for text in QUERIES + ["garage"]:
        for limit in (5, 40, 10_000):
            assert forward.search(text, limit=limit) == backward.search(text, limit=limit)
    assert [key for key, _ in backward.search("garage", limit=5)] == sorted(
        d.doc_key for d in twins
    )[:5]


def test_filters_match_the_stored_fields(ft):
    meta = ft.metadata(k for k, _ in ft.search("router wifi", limit=10_000))
    articles = ft.search("router wifi", limit=10_000, kind="article")
    assert articles and all(meta[k]["kind"] == "article" for k, _ in articles)
    solved = ft.search("router wifi", limit=10_000, solved=True)
    assert solved and all(meta[k]["solved"] for k, _ in solved)
    tagged = ft.search("router wifi", limit=10_000, tag=" Billing ")
    assert tagged and all("billing" in meta[k]["tags"] for k, _ in tagged)
    some = [k for k, _ in articles[:3]] + ["thread:99999"]
    assert {k for k, _ in ft.search("router wifi", allowed_keys=some)} == set(some[:3])
    assert ft.search("router wifi", kind="nothing") == []


def test_edits_score_like_a_fresh_index_of_the_same_documents(tmp_path):
    docs = corpus(300)
    edited = FullTextIndex(tmp_path / "edited")
    edited.replace_all(docs[:200])
    changed = [Document(d.doc_key, d.kind, d.title + " doorbell", d.body) for d in docs[:30]]
    edited.upsert(changed + docs[200:])
    edited.delete([d.doc_key for d in docs[100:150]])
    fresh = FullTextIndex(tmp_path / "fresh")
    fresh.replace_all(changed + docs[30:100] + docs[150:])
    for text in QUERIES + ["doorbell"]:
        ours, expected = dict(edited.search(text, limit=10_000)), fresh.search(text, limit=10_000)
        assert ours.keys() == dict(expected).keys()
        for key, score in expected:
            assert ours[key] == pytest.approx(score, rel=1e-9)


def test_another_process_sees_changes_and_compaction(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "COMPACT_MIN_CHANGES", 20)
    writer = FullTextIndex(tmp_path / "idx")
    writer.replace_all(corpus(50))
    reader = FullTextIndex(tmp_path / "idx")  # e.g. another gunicorn worker
    generation = (tmp_path / "idx" / "terms" / "CURRENT").read_text()
    writer.upsert([Document("thread:900", "thread", "Garage opener pairing", "")])
    assert [k for k, _ in reader.search("garage")] == ["thread:900"]
    writer.upsert(corpus(30, seed=9))  # past the threshold: a new generation
    assert (tmp_path / "idx" / "terms" / "CURRENT").read_text() != generation
    writer.delete(["thread:900"])
    assert reader.search("garage") == []
    assert reader.search("router", limit=10_000) == writer.search("router", limit=10_000)
    assert len(list((tmp_path / "idx" / "terms").glob("g*"))) == 1  # old generations go


def test_lost_postings_ask_for_a_rebuild(ft, tmp_path):
    (ft.path / "terms" / "CURRENT").unlink()
    assert ft.search("router") == [] and ft.stale
    reopened = FullTextIndex(ft.path)
    assert reopened.stale
    reopened.replace_all(corpus(10))
    assert not reopened.stale and reopened.search("router")


def test_a_truncated_postings_file_asks_for_a_rebuild(ft):
    (docs,) = (ft.path / "terms").glob("g*/body.docs.npy")
    os.truncate(docs, docs.stat().st_size - 4)  # a disk that filled up, a bad copy…
    reopened = FullTextIndex(ft.path)  # what a worker starting now opens
    assert reopened.stale and reopened.search("router") == []
    reopened.replace_all(corpus(10))
    assert not reopened.stale and reopened.search("router")


def test_length_table_is_whooshs():
    lengths = np.array([0, 1, 2, 9, 10, 11, 57, 300, 4096, 106373, 106374, 10**7])
    expected = [byte_to_length(length_to_byte(int(n))) for n in lengths]
    assert bm25.quantized_lengths(lengths).tolist() == expected


def test_a_busy_writer_makes_others_wait_then_give_up(tmp_path, monkeypatch):
    monkeypatch.setattr(fulltext, "WRITER_TIMEOUT_S", 0.2)
    first = FullTextIndex(tmp_path / "idx")
    first.replace_all(corpus(20))
    second = FullTextIndex(tmp_path / "idx")  # another process
    with first.terms.writing():  # e.g. a full reindex in progress
        with pytest.raises(TimeoutError):
            second.upsert([Document("thread:900", "thread", "Garage opener", "")])
        assert FullTextIndex(tmp_path / "idx").stale is None  # opening does not wait for it
    second.upsert([Document("thread:900", "thread", "Garage opener", "")])
    assert [k for k, _ in first.search("garage")] == ["thread:900"]
