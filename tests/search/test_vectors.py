"""Vector store behaviour and the real embedding model."""

import json

import numpy as np
import pytest

from search import vectors
from search.vectors import ModelUnavailable, VectorStore, VectorStoreError


def unit(*xs):
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


@pytest.fixture
def store():
    s = VectorStore(3)
    s.add(["a", "b", "c"], np.stack([unit(1, 0, 0), unit(0, 1, 0), unit(1, 1, 0)]))
    return s


def test_search_orders_by_cosine(store):
    res = store.search(unit(1, 0.1, 0), limit=3)
    assert [k for k, _ in res] == ["a", "c", "b"]
    assert res[0][1] == pytest.approx(float(unit(1, 0.1, 0) @ unit(1, 0, 0)), abs=1e-6)


def test_allowed_keys_restricts(store):
    assert [k for k, _ in store.search(unit(1, 0, 0), 5, allowed_keys=["b", "zzz"])] == ["b"]
    assert store.search(unit(1, 0, 0), 5, allowed_keys=[]) == []


def test_add_replaces_and_remove(store):
    store.add(["a"], np.array([[0, 0, 5.0]]))  # replaced and normalized
    assert store.get("a") == pytest.approx([0, 0, 1])
    assert store.remove(["b", "nope"]) == 1
    assert len(store) == 2 and "b" not in store
    assert [k for k, _ in store.search(unit(0, 0, 1), 1)] == ["a"]


def test_save_load_roundtrip(store, tmp_path):
    store.save(tmp_path / "v", meta={"model": "x"})
    loaded = VectorStore.load(tmp_path / "v")
    assert loaded.keys() == store.keys() and loaded.dim == 3
    q = unit(0.3, 0.7, 0.1)
    assert loaded.search(q, 3) == store.search(q, 3)


def test_load_missing_and_corrupt(tmp_path):
    assert len(VectorStore.load(tmp_path / "none", dim=3)) == 0
    s = VectorStore(3)
    s.add(["a"], np.ones((1, 3)))
    s.save(tmp_path / "v")
    (tmp_path / "v" / "keys.json").write_text(json.dumps({"keys": ["a", "b"]}))
    with pytest.raises(VectorStoreError):
        VectorStore.load(tmp_path / "v")
    (tmp_path / "v" / "vectors.npy").write_bytes(b"junk")
    with pytest.raises(VectorStoreError):
        VectorStore.load(tmp_path / "v")


def test_real_model_similarity(model):
    q = vectors.encode_query("how do I change my wifi router password")
    docs = vectors.encode_documents(
        [
            "Resetting the password of your wireless router",
            "Which bank in Doha has the best exchange rate?",
        ]
    )
    assert q.shape == (384,) and q.dtype == np.float32
    assert np.linalg.norm(q) == pytest.approx(1.0, abs=1e-4)
    assert q @ docs[0] > q @ docs[1] + 0.2
    assert vectors.encode_query("how do I change my wifi router password") is q  # LRU cache
    assert not q.flags.writeable


def test_model_unavailable_is_catchable(monkeypatch):
    monkeypatch.setattr(vectors, "_model", None)
    monkeypatch.setattr(vectors, "_model_error", None)
    with pytest.raises(ModelUnavailable):
        vectors.get_model("/nonexistent/model/dir")
    with pytest.raises(ModelUnavailable):  # failure is remembered, no slow retry
        vectors.get_model()


def test_query_encoding_is_model_encode(model):
    """The direct forward pass gives what sentence-transformers' encode() gives."""
    texts = ["Router drops wifi every night", "Facture reçue deux fois ?", "x" * 3000]
    expected = model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    for text, vector in zip(texts, expected, strict=True):
        assert np.allclose(vectors.encode_query(text), vector, atol=1e-6)


def test_loaded_store_is_memory_mapped_and_still_changes(store, tmp_path):
    store.save(tmp_path / "v")
    loaded = VectorStore.load(tmp_path / "v")
    assert not loaded._base.flags.writeable  # shared pages of the file, read-only
    loaded.add(["a", "d"], np.stack([unit(0, 0, 1), unit(0, 1, 1)]))  # replace and append
    assert loaded.get("a") == pytest.approx([0, 0, 1]) and "d" in loaded
    assert loaded.remove(["b"]) == 1 and len(loaded) == 3
    assert [k for k, _ in loaded.search(unit(0, 0, 1), 3)] == ["a", "d", "c"]
    assert VectorStore.load(tmp_path / "v").get("a") == pytest.approx(unit(1, 0, 0))


def test_changes_are_appended_and_replayed_elsewhere(store, tmp_path):
    d = tmp_path / "v"
    store.save(d)
    base = (d / VectorStore.MATRIX_FILE).stat().st_mtime_ns
    other = VectorStore.load(d)  # another process
    store.add(["a", "e"], np.stack([unit(0, 0, 1), unit(1, 0, 1)]))
    store.remove(["b"])
    store.persist(d)
    assert (d / VectorStore.MATRIX_FILE).stat().st_mtime_ns == base  # the matrix is not rewritten
    assert other.changed_on_disk(d)
    other = other.refresh(d)
    assert not other.changed_on_disk(d)
    assert other.keys() == store.keys() == ["c", "a", "e"]
    q = unit(0.2, 0.3, 0.9)
    expected = store.search(q, 5)
    for found in (other.search(q, 5), VectorStore.load(d).search(q, 5)):
        assert [k for k, _ in found] == [k for k, _ in expected]
        assert [s for _, s in found] == pytest.approx([s for _, s in expected], abs=1e-6)


def test_a_long_log_becomes_a_new_base(tmp_path, monkeypatch):
    monkeypatch.setattr(vectors, "COMPACT_MIN_CHANGES", 3)
    d = tmp_path / "v"
    store = VectorStore(3)
    store.add(["a"], np.array([unit(1, 0, 0)]))
    store.save(d)
    reader = VectorStore.load(d)
    for key in "bcd":
        store.add([key], np.array([unit(0, 1, 0)]))
        store.persist(d)
    assert json.loads((d / VectorStore.KEYS_FILE).read_text())["count"] == 4
    assert (d / VectorStore.ROWS_FILE).stat().st_size == 0
    reader = reader.refresh(d)
    assert reader.keys() == ["a", "b", "c", "d"]


def test_a_log_of_another_base_is_ignored(store, tmp_path):
    d = tmp_path / "v"
    store.save(d)
    store.add(["z"], np.array([unit(0, 0, 1)]))
    store.persist(d)
    log = d / VectorStore.LOG_FILE
    log.write_text(log.read_text().replace(store._generation, "someoneelse"))
    assert "z" not in VectorStore.load(d)  # a writer died between a new base and its log
