"""Search fixtures: the real embedding model once per test session, a fresh index per test,
and in-memory content sources standing in for the knowledge base and the community."""

import pytest

from search import documents, export, vectors
from search.documents import Source
from search.fulltext import Document


@pytest.fixture(scope="session")
def encoder_dir(tmp_path_factory):
    """The real all-MiniLM-L6-v2 exported to ONNX once for the session (what the worker does)."""
    root = tmp_path_factory.mktemp("encoders")
    export.ensure_encoder(root)
    return root


@pytest.fixture(scope="session")
def model(encoder_dir):
    """The exported all-MiniLM-L6-v2 under ONNX Runtime, loaded once for the whole session."""
    vectors.reset_model()
    return vectors.get_model(None, encoder_dir)


@pytest.fixture(scope="session")
def torch_model():
    """The model as sentence-transformers runs it with torch: the reference for the export."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(vectors.default_model_path(), device="cpu").eval()


@pytest.fixture
def search_app(app, model, encoder_dir, tmp_path):
    """The app with semantic search on and an empty index of its own."""
    keys = ("SEARCH_SEMANTIC_ENABLED", "SEARCH_INDEX_DIR", "SEARCH_ENCODER_DIR")
    saved = {key: app.config[key] for key in keys}
    app.config.update(
        SEARCH_SEMANTIC_ENABLED=True,
        SEARCH_INDEX_DIR=str(tmp_path / "index"),
        SEARCH_ENCODER_DIR=str(encoder_dir),
    )
    yield app
    app.config.update(saved)


class FakeContent:
    """Documents kept in memory; ``public`` ids are the ones a customer may see."""

    def __init__(self, kind: str, label: str):
        self.kind, self.docs, self.public = kind, {}, set()
        self.source = Source(kind, label, self.load, self.all_ids, self.visible_ids)

    def add(self, object_id: int, title: str, body: str = "", public: bool = True, **fields):
        key = documents.doc_key(self.kind, object_id)
        self.docs[object_id] = Document(
            key, self.kind, title, body, url=f"/{self.kind}/{object_id}", **fields
        )
        (self.public.add if public else self.public.discard)(object_id)
        return key

    def load(self, session, ids):
        return {i: self.docs[i] for i in ids if i in self.docs and i in self.public}

    def all_ids(self, session):
        return sorted(self.docs)

    def visible_ids(self, session, viewer, ids):
        return {i for i in ids if i in self.public}


@pytest.fixture
def content():
    """Fake articles and threads registered as search sources for one test."""
    previous = {source.kind: source for source in documents.sources()}
    articles, threads = FakeContent("article", "Article"), FakeContent("thread", "Question")
    documents.register(articles.source)
    documents.register(threads.source)
    yield articles, threads
    for kind in ("article", "thread"):
        documents.unregister(kind)
        if kind in previous:
            documents.register(previous[kind])
