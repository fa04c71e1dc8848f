"""Vector store behaviour and the real embedding model."""

import numpy as np
import pytest

from search import store as persisted
from search import vectors
from search.encoder import encoder_folder
from search.store import StoreDamaged, StoreMissing
from search.vector_store import VectorStore, VectorStoreError, vector_store
from search.vectors import EncoderNotExported, ModelUnavailable


def unit(*xs):
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def saved(store: VectorStore, directory) -> None:
    """Write a store as the directory's new base (what a rebuild does)."""
    with vector_store(directory, store.dim).writing(fresh=True) as writer:
        writer.replace(store)


@pytest.fixture
def store():
    s = VectorStore(3)
    s.add(["a", "b", "c"], np.stack([unit(1, 0, 0), unit(0, 1, 0), unit(1, 1, 0)]))
    return s


def test_search_orders_by_cosine(store):
    res = store.search(unit(1, 0.1, 0), limit=3)
    assert [k for k, _ in res] == ["a", "c", "b"]
    assert res[0][1] == pytest.approx(float(unit(1, 0.1, 0) @ unit(1, 0, 0)), abs=1e-6)


def test_equal_cosines_go_by_key_whatever_order_they_were_added_in():
    twice = VectorStore(3)
    twice.add(["thread:9", "thread:2", "thread:5"], np.stack([unit(1, 0, 0)] * 3))
    assert [k for k, _ in twice.search(unit(1, 0, 0), 3)] == ["thread:2", "thread:5", "thread:9"]


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
    saved(store, tmp_path / "v")
    loaded = vector_store(tmp_path / "v", 3).state()
    assert loaded.keys() == store.keys() and loaded.dim == 3
    q = unit(0.3, 0.7, 0.1)
    assert loaded.search(q, 3) == store.search(q, 3)


def test_load_missing_and_corrupt(store, tmp_path):
    with pytest.raises(StoreMissing):
        vector_store(tmp_path / "none", 3).state()
    saved(store, tmp_path / "v")
    with pytest.raises(VectorStoreError):  # another model's dimension
        vector_store(tmp_path / "v", 4).state()
    (generation,) = (tmp_path / "v").glob("g*")
    (generation / "vectors.npy").write_bytes(b"junk")
    with pytest.raises(StoreDamaged):
        vector_store(tmp_path / "v", 3).state()


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


def test_model_unavailable_is_catchable(monkeypatch, tmp_path, encoder_dir):
    monkeypatch.setattr(vectors, "_model", None)
    monkeypatch.setattr(vectors, "_model_error", None)
    with pytest.raises(ModelUnavailable):  # nowhere said where the export is
        vectors.get_model()
    with pytest.raises(EncoderNotExported, match="export-encoder"):
        vectors.get_model("/nonexistent/model/dir", tmp_path)
    with pytest.raises(EncoderNotExported):  # failure is remembered, no retry at once
        vectors.get_model(None, encoder_dir)
    monkeypatch.setattr(vectors, "MISSING_RETRY_S", 0.0)  # the worker exported it since
    assert vectors.get_model(None, encoder_dir).dim == 384


def test_a_broken_export_is_unavailable_and_remembered(monkeypatch, tmp_path):
    monkeypatch.setattr(vectors, "_model", None)
    monkeypatch.setattr(vectors, "_model_error", None)
    monkeypatch.setattr(vectors, "MISSING_RETRY_S", 0.0)
    folder = encoder_folder(tmp_path, None)
    folder.mkdir()
    (folder / "encoder.json").write_text('{"format": 1, "id": "x", "dim": 3}')
    with pytest.raises(ModelUnavailable, match="cannot load") as first:
        vectors.get_model(None, tmp_path)
    with pytest.raises(ModelUnavailable) as second:
        vectors.get_model(None, tmp_path)
    assert second.value is first.value


# English and French, short and long (past the 256 word pieces the model reads).
SENTENCES = [
    "Router drops wifi every night",
    "How do I get a refund for a double charge on my invoice?",
    "Facture reçue deux fois ?",
    "Mon thermostat ignore le programme depuis la mise à jour du firmware.",
    "x" * 3000,
    "La box redémarre toute seule. " * 60,
]


def test_query_vectors_are_the_torch_models(model, torch_model):
    """The ONNX export gives what sentence-transformers' encode() gives with torch."""
    expected = torch_model.encode(SENTENCES, normalize_embeddings=True, convert_to_numpy=True)
    for text, vector in zip(SENTENCES, expected, strict=True):
        query = vectors.encode_query(text)
        assert float(query @ vector) > 1 - 1e-5
        assert np.allclose(query, vector, atol=1e-5)


def test_document_vectors_are_the_torch_models_and_the_queries(model, torch_model):
    """Batched documents (padded together) match torch too, and the query of the same text:
    the cosines between queries and indexed documents are the model's."""
    expected = torch_model.encode(SENTENCES, normalize_embeddings=True, convert_to_numpy=True)
    with vectors.encoding_threads(2):
        documents = vectors.encode_documents(SENTENCES, batch_size=4)
    assert documents.shape == (len(SENTENCES), 384) and documents.dtype == np.float32
    assert ((documents * expected).sum(axis=1) > 1 - 1e-5).all()
    queries = np.stack([vectors.encode_query(text) for text in SENTENCES])
    assert np.allclose(queries @ documents.T, expected @ expected.T, atol=1e-5)


def test_the_export_is_refused_when_it_differs_from_the_model(model, torch_model, monkeypatch):
    from search import export

    assert export.check(model, torch_model) > 1 - 1e-5
    monkeypatch.setattr(model, "_prompt", "query: ")  # a step before the graph gone wrong
    with pytest.raises(export.ExportError, match="differ"):
        export.check(model, torch_model)


def test_an_export_follows_its_model_files(tmp_path, encoder_dir):
    from search import export

    assert export.is_current(encoder_folder(encoder_dir, None), vectors.default_model_path())
    fake = tmp_path / "model"
    fake.mkdir()
    (fake / "config.json").write_text("{}")
    signature = export.source_signature(str(fake))
    (fake / "config.json").write_text('{"hidden_size": 8}')
    assert export.source_signature(str(fake)) != signature
    assert export.source_signature("org/name") == {"name": "org/name"}


def test_export_encoder_command(app, encoder_dir):
    app.config["SEARCH_ENCODER_DIR"] = str(encoder_dir)
    result = app.test_cli_runner().invoke(args=["search", "export-encoder"])
    assert result.exit_code == 0 and "is up to date" in result.output


def test_loaded_store_is_memory_mapped_and_still_changes(store, tmp_path):
    saved(store, tmp_path / "v")
    loaded = vector_store(tmp_path / "v", 3).state()
    assert not loaded._base.flags.writeable  # shared pages of the file, read-only
    loaded.add(["a", "d"], np.stack([unit(0, 0, 1), unit(0, 1, 1)]))  # replace and append
    assert loaded.get("a") == pytest.approx([0, 0, 1]) and "d" in loaded
    assert loaded.remove(["b"]) == 1 and len(loaded) == 3
    assert [k for k, _ in loaded.search(unit(0, 0, 1), 3)] == ["a", "d", "c"]
    assert vector_store(tmp_path / "v", 3).state().get("a") == pytest.approx(unit(1, 0, 0))


def test_changes_are_appended_and_replayed_elsewhere(store, tmp_path):
    d = tmp_path / "v"
    saved(store, d)
    (base,) = d.glob("g*/vectors.npy")
    written = base.stat().st_mtime_ns
    other = vector_store(d, 3)  # another process
    assert other.state().keys() == ["a", "b", "c"]
    changed = np.stack([unit(0, 0, 1), unit(1, 0, 1)])
    with vector_store(d, 3).writing() as writer:
        writer.append(writer.state.put_changes(["a", "e"], changed))
        writer.append(writer.state.remove_changes(["b", "nope"]))
    assert base.stat().st_mtime_ns == written  # the matrix is not rewritten
    store.add(["a", "e"], changed)
    store.remove(["b"])
    assert other.state().keys() == store.keys() == ["c", "a", "e"]
    q = unit(0.2, 0.3, 0.9)
    expected = store.search(q, 5)
    for found in (other.state().search(q, 5), vector_store(d, 3).state().search(q, 5)):
        assert [k for k, _ in found] == [k for k, _ in expected]
        assert [s for _, s in found] == pytest.approx([s for _, s in expected], abs=1e-6)


def test_a_long_log_becomes_a_new_base(tmp_path, monkeypatch):
    monkeypatch.setattr(persisted, "COMPACT_MIN_CHANGES", 3)
    d = tmp_path / "v"
    saved(VectorStore.from_matrix(["a"], np.array([unit(1, 0, 0)])), d)
    reader = vector_store(d, 3)
    assert reader.state().keys() == ["a"]
    generation = (d / "CURRENT").read_text()
    for key in "bcd":
        with vector_store(d, 3).writing() as writer:
            writer.append(writer.state.put_changes([key], np.array([unit(0, 1, 0)])))
    assert (d / "CURRENT").read_text() != generation
    new_base = d / (d / "CURRENT").read_text()
    assert np.load(new_base / "vectors.npy").shape == (4, 3)
    assert (new_base / "log.jsonl").stat().st_size == 0
    assert reader.state().keys() == ["a", "b", "c", "d"]
