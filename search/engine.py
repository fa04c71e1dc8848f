"""Both indexes of one directory behind one object, and ``rank``: the one scoring code path.

The web search, the suggestions and the benchmark all rank through ``SearchIndex.rank``.
Several processes (gunicorn workers, the CLI) share the directory: Whoosh locks its own
writes; the vector store is written under a file lock and re-read when another process
changed it.
"""

import fcntl
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from search import vectors
from search.fulltext import Document, FullTextIndex, QueryBoosts
from search.ranking import DocMeta, RankingWeights, fuse
from search.vectors import ModelUnavailable, VectorStore, VectorStoreError

log = logging.getLogger(__name__)
ENCODE_BATCH = 256  # documents per encoding call during a rebuild (progress granularity)
# Written at the end of a full rebuild. An index directory without it was created by an
# incremental change (an event before the first search) or by a rebuild that died half
# way: either way the next search rebuilds it from the database.
FILLED_MARKER = "filled"


@dataclass
class Ranked:
    """A ranking with what the caller needs to explain it."""

    hits: list[tuple[str, float]]  # (doc_key, fused score) best first
    meta: dict[str, dict] = field(default_factory=dict)  # stored fields per doc_key
    semantic: bool = True  # False: keyword-only (model disabled or unavailable)


def embed_text(doc: Document) -> str:
    """What is embedded for a document: title and body (replies embed badly, see bench)."""
    title, body = doc.title.strip(), doc.body.strip()
    if title and not title.endswith((".", "?", "!")):
        title += "."
    return f"{title} {body}".strip()


class SearchIndex:
    """The full-text index and the vector store kept in one directory."""

    def __init__(self, directory: str | Path, model: str | None = None, semantic: bool = True):
        self.directory = Path(directory)
        self.model_name = model or None
        self.semantic_enabled = semantic
        self._lock = threading.RLock()
        self._fulltext: FullTextIndex | None = None
        self._store: VectorStore | None = None
        self._stale = False  # this process found the index unusable since its last rebuild

    @property
    def needs_rebuild(self) -> bool:
        """Whether the index must be rebuilt from the database before it can answer."""
        return self._stale or not (self.directory / FILLED_MARKER).exists()

    # ------------------------------------------------------------------ state
    @property
    def fulltext(self) -> FullTextIndex:
        """The full-text index, reopened (and flagged for rebuild) if its directory vanished."""
        with self._lock:
            if self._fulltext is None or not self._fulltext.path.is_dir():
                self._fulltext = FullTextIndex(self.directory / "fulltext")
                self._store = None
            if self._fulltext.stale:  # new, corrupt, or its numpy postings were lost
                self._stale = True
            return self._fulltext

    def semantic_error(self) -> str | None:
        """Why semantic search is off, or None when the model is (or can be) loaded."""
        if not self.semantic_enabled:
            return "semantic search is disabled by SEARCH_SEMANTIC_ENABLED"
        try:
            vectors.get_model(self.model_name)
        except ModelUnavailable as error:
            return str(error)
        return None

    def _vectors(self) -> VectorStore | None:
        """The vector store, brought up to date with what other processes wrote."""
        if self.semantic_error() is not None:
            return None
        with self._lock:
            if self._store is None or self._store.changed_on_disk(self._vector_dir):
                with self._vector_lock(exclusive=False):
                    self._refresh_vectors()
            return self._store

    def _refresh_vectors(self) -> None:
        """Load or replay the vector store; a lost or unusable one asks for a rebuild."""
        dim = vectors.embedding_dim()
        try:
            if self._store is None:
                self._store = VectorStore.load(self._vector_dir, dim=dim)
            else:
                self._store = self._store.refresh(self._vector_dir)
        except VectorStoreError as error:
            log.warning("vector store unusable (%s); rebuilding", error)
            self._store, self._stale = VectorStore(dim), True
        if not (self._vector_dir / VectorStore.KEYS_FILE).exists() and self.fulltext.doc_count():
            self._stale = True  # vectors lost while the text index is full

    @contextmanager
    def _vector_lock(self, exclusive: bool):
        """Writers of the vector store exclude each other and readers loading or replaying."""
        self._vector_dir.mkdir(parents=True, exist_ok=True)
        with open(self._vector_dir / "write.lock", "w") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            yield

    @property
    def _vector_dir(self) -> Path:
        return self.directory / "vectors"

    # ---------------------------------------------------------------- writing
    def upsert(self, docs: Sequence[Document]) -> None:
        """Add or replace documents in both indexes."""
        if not docs:
            return
        self.fulltext.upsert(docs)
        if self._vectors() is not None:
            matrix = vectors.encode_documents([embed_text(d) for d in docs])
            with self._writing_vectors() as store:
                store.add([d.doc_key for d in docs], matrix)

    def remove(self, doc_keys: Iterable[str]) -> None:
        """Remove documents from both indexes (unknown keys are ignored)."""
        keys = list(doc_keys)
        self.fulltext.delete(keys)
        if self._vectors() is not None:
            with self._writing_vectors() as store:
                store.remove(keys)

    def rebuild(
        self,
        docs: Iterable[Document],
        progress: Callable[[str, int], None] | None = None,
        threads: int | None = None,
    ) -> int:
        """Replace both indexes with these documents; progress(stage, n) after each step.

        ``threads``: torch threads for embedding the documents (the CLI gives every core).
        """
        progress = progress or (lambda stage, n: None)
        keys, texts = [], []

        def collected():
            for doc in docs:
                keys.append(doc.doc_key)
                texts.append(embed_text(doc))
                progress("text", 1)
                yield doc

        with self._lock:
            count = self.fulltext.replace_all(collected())
            if self._vectors() is not None:
                parts = []
                with vectors.encoding_threads(threads):
                    for start in range(0, len(texts), ENCODE_BATCH):
                        batch = texts[start : start + ENCODE_BATCH]
                        parts.append(vectors.encode_documents(batch))
                        progress("vectors", len(parts[-1]))
                dim = vectors.embedding_dim()
                matrix = np.concatenate(parts) if parts else np.zeros((0, dim), np.float32)
                with self._writing_vectors(fresh=True) as store:
                    store.add(keys, matrix)
            (self.directory / FILLED_MARKER).write_text(f"{count} documents\n")
            self._stale = False
        return count

    @contextmanager
    def _writing_vectors(self, fresh: bool = False):
        """Change the vector store under a lock shared by all processes; appended to its log
        (or, for a rebuild or a long log, written as a new base)."""
        with self._lock, self._vector_lock(exclusive=True):
            if fresh:
                store = VectorStore(vectors.embedding_dim())
            else:
                self._refresh_vectors()
                store = self._store
            yield store
            meta = {"model": self.model_name or "bundled"}
            store.save(self._vector_dir, meta) if fresh else store.persist(self._vector_dir, meta)
            self._store = store

    # ---------------------------------------------------------------- ranking
    def rank(
        self,
        query_text: str,
        *,
        limit: int = 100,
        weights: RankingWeights | None = None,
        kind: str | None = None,
        tag: str | None = None,
        solved: bool | None = None,
        candidates: Sequence[str] | None = None,
        min_similarity: float = 0.0,
        boosts: QueryBoosts | None = None,
    ) -> Ranked:
        """BM25F ∪ cosine neighbours, fused by ranking.fuse: the one scoring code path.

        With ``candidates`` only those are ranked, all of them (the benchmark). Otherwise a
        semantic-only hit is kept when its cosine reaches ``min_similarity``.
        """
        weights = weights or RankingWeights()
        bm25 = self.fulltext.search(
            query_text, limit, kind=kind, tag=tag, solved=solved,
            allowed_keys=candidates, boosts=boosts,
        )  # fmt: skip
        store = self._vectors() if weights.semantic_weight > 0 else None
        semantic = None
        if store is not None and query_text.strip():
            filtered = kind or tag or solved is not None
            # Filters apply after the cosine search: look further so enough survive them.
            depth = limit * 4 if filtered else limit
            semantic = store.search(vectors.encode_query(query_text), depth, candidates)
        keys = dict.fromkeys(
            [*(candidates or []), *(k for k, _ in bm25), *(k for k, _ in semantic or [])]
        )
        meta = self.fulltext.metadata(keys)
        if semantic is not None:
            # Vectors of documents the text index no longer has are stale: drop them.
            semantic = [
                (k, s) for k, s in semantic if k in meta and _passes(meta[k], kind, tag, solved)
            ][:limit]
        doc_meta = {
            k: DocMeta(m.get("kind", "thread"), bool(m.get("solved"))) for k, m in meta.items()
        }
        hits = fuse(bm25, semantic, doc_meta, weights, candidates)
        if candidates is None:
            keep = {k for k, _ in bm25} | {k for k, s in semantic or [] if s >= min_similarity}
            hits = [(k, s) for k, s in hits if k in keep]
        return Ranked(hits, meta, semantic is not None)

    def neighbours(self, doc_key: str, limit: int, min_similarity: float) -> list[str]:
        """Documents closest in meaning to an indexed one, of the same kind (semantic only)."""
        store = self._vectors()
        vector = store.get(doc_key) if store is not None else None
        if vector is None:
            return []
        hits = [(k, s) for k, s in store.search(vector, limit * 4 + 1) if k != doc_key]
        meta = self.fulltext.metadata(k for k, _ in hits)
        kind = doc_key.partition(":")[0]
        return [k for k, s in hits if s >= min_similarity and meta.get(k, {}).get("kind") == kind][
            :limit
        ]


def _passes(meta: dict, kind: str | None, tag: str | None, solved: bool | None) -> bool:
    if kind and meta.get("kind") != kind:
        return False
    if tag and tag.lower() not in meta.get("tags", []):
        return False
    return solved is None or bool(meta.get("solved")) == solved
