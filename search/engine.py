"""Both indexes of one directory behind one object, and ``rank``: the one scoring code path.

The web search, the suggestions and the benchmark all rank through ``SearchIndex.rank``.
Several processes (gunicorn workers, the CLI) share the directory: Whoosh locks its own
writes; the vectors and the term postings are ``search.store`` stores (one writer at a
time, readers replay what the others logged).
"""

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from search import vector_store, vectors
from search.analysis import passages
from search.fulltext import Document, FullTextIndex, QueryBoosts
from search.ranking import DocMeta, RankingWeights, fuse
from search.store import Store, StoreDamaged, StoreMissing
from search.vector_store import VectorStore
from search.vectors import EncoderSettings, ModelUnavailable

log = logging.getLogger(__name__)
ENCODE_BATCH = 256  # documents per encoding call during a rebuild (progress granularity)


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
    """The full-text index and the vector store kept in one directory.

    ``create=False`` opens an index other processes may be reading (a generation, see
    indexing.py): what is missing or damaged raises StoreDamaged or marks the index as
    needing a rebuild, and nothing on disk is recreated in place.
    """

    def __init__(
        self,
        directory: str | Path,
        semantic: bool = True,
        encoder: EncoderSettings | None = None,
        create: bool = True,
    ):
        self.directory = Path(directory)
        self.encoder = encoder or EncoderSettings()
        self.semantic_enabled = semantic
        self.create = create
        self._lock = threading.RLock()
        self._fulltext: FullTextIndex | None = None
        self._vectors_on_disk: Store[VectorStore] | None = None
        self._stale = False  # this process found the index unusable since its last rebuild

    @property
    def needs_rebuild(self) -> bool:
        """Whether this process found the index damaged: it must be rebuilt from the database."""
        return self._stale

    # ------------------------------------------------------------------ state
    @property
    def fulltext(self) -> FullTextIndex:
        """The full-text index, reopened (and flagged for rebuild) if its directory vanished."""
        with self._lock:
            if self._fulltext is None or not self._fulltext.path.is_dir():
                self._fulltext = FullTextIndex(self.directory / "fulltext", create=self.create)
            if self._fulltext.stale:  # new, corrupt, or its numpy postings were lost
                self._stale = True
            return self._fulltext

    def semantic_error(self, writing: bool = False) -> str | None:
        """Why semantic search is off, or None when vectors can be had: a query's from the
        encoder service or this process' model, a document's (``writing``) from the model
        in this process."""
        if not self.semantic_enabled:
            return "semantic search is disabled by SEARCH_SEMANTIC_ENABLED"
        try:
            if writing:
                vectors.get_model(self.encoder.model, self.encoder.root)
            else:
                vectors.check_encoder(self.encoder)
        except ModelUnavailable as error:
            return str(error)
        return None

    def _vectors(self, writing: bool = False) -> VectorStore | None:
        """The vector store, brought up to date with what other processes wrote."""
        if self.semantic_error(writing) is not None:
            return None
        with self._lock:
            try:
                store = self._vector_store().state()
            except StoreDamaged as error:
                self._lost_vectors(error)
                return VectorStore(vectors.embedding_dim())
        ours = vectors.encoder_id(writing)
        if store.encoder and ours and store.encoder != ours:
            # Made by another export (the model changed): cosines with this one mean nothing.
            # Queries go keyword-only; the indexing side rebuilds them.
            if writing and not self._stale:
                log.warning("vectors made by encoder %s, not %s: rebuilding", store.encoder, ours)
                self._stale = True
            return None
        return store

    def check_vectors(self) -> None:
        """Flag the index for a rebuild when its vectors are not this model's (the keeper)."""
        self._vectors(writing=True)

    def _vector_store(self) -> Store[VectorStore]:
        with self._lock:
            if self._vectors_on_disk is None:
                dim = vectors.embedding_dim()
                self._vectors_on_disk = vector_store.vector_store(self._vector_dir, dim)
            return self._vectors_on_disk

    def _lost_vectors(self, error: StoreDamaged) -> None:
        """A lost or unusable vector store asks for a rebuild (none is needed while no text is
        indexed either: an index that was never filled)."""
        if isinstance(error, StoreMissing) and not self.fulltext.doc_count():
            return
        if not self._stale:
            log.warning("vector store unusable (%s); rebuilding", error)
        self._stale = True

    def _change_vectors(self, changes: Callable[[VectorStore], list[dict]]) -> None:
        """Log changes to the vectors under the writers' lock (folded past a share of them).

        Without this index's thread lock: a wait for another process' writer holds up no
        search of this one.
        """
        try:
            with self._vector_store().writing() as writer:
                writer.append(changes(writer.state))
        except StoreDamaged as error:
            self._lost_vectors(error)

    @property
    def _vector_dir(self) -> Path:
        return self.directory / "vectors"

    # ---------------------------------------------------------------- writing
    def upsert(self, docs: Sequence[Document]) -> None:
        """Add or replace documents in both indexes."""
        if not docs:
            return
        self.fulltext.upsert(docs)
        if self._vectors(writing=True) is not None:
            matrix = vectors.encode_documents([embed_text(d) for d in docs])
            keys = [d.doc_key for d in docs]
            self._change_vectors(lambda store: store.put_changes(keys, matrix))

    def remove(self, doc_keys: Iterable[str]) -> None:
        """Remove documents from both indexes (unknown keys are ignored)."""
        keys = list(doc_keys)
        self.fulltext.delete(keys)
        if self._vectors(writing=True) is not None:
            self._change_vectors(lambda store: store.remove_changes(keys))

    def rebuild(
        self,
        docs: Iterable[Document],
        progress: Callable[[str, int], None] | None = None,
        threads: int | None = None,
    ) -> int:
        """Replace both indexes with these documents; progress(stage, n) after each step.

        ``threads``: cores for embedding the documents (the CLI gives every core).
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
            if self._vectors(writing=True) is not None:
                parts = []
                with vectors.encoding_threads(threads):
                    for start in range(0, len(texts), ENCODE_BATCH):
                        batch = texts[start : start + ENCODE_BATCH]
                        parts.append(vectors.encode_documents(batch))
                        progress("vectors", len(parts[-1]))
                dim = vectors.embedding_dim()
                matrix = np.concatenate(parts) if parts else np.zeros((0, dim), np.float32)
                made_by = vectors.encoder_id(writing=True)
                with self._vector_store().writing(fresh=True) as writer:
                    writer.replace(VectorStore.from_matrix(keys, matrix, made_by))
            self._stale = False
        return count

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
            semantic = _semantic_hits(store, query_text, depth, candidates)
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
        hits = self._exact_first(query_text, hits, kind, tag, solved, candidates)
        return Ranked(hits, meta, semantic is not None)

    def _exact_first(
        self,
        query_text: str,
        hits: list[tuple[str, float]],
        kind: str | None,
        tag: str | None,
        solved: bool | None,
        candidates: Sequence[str] | None,
    ) -> list[tuple[str, float]]:
        """Documents holding the query's codes, numbers or quoted phrases first (those holding
        more of them before those holding fewer), each group in the fused order.

        Meaning cannot tell order 55821 from order 55812, and BM25 weighs a code as one
        word among many: the only thread naming an error code fell to page 2-11 behind a
        hundred similar ones.
        """
        exact = self.fulltext.exact_matches(query_text)
        if candidates is not None:
            exact = {key: n for key, n in exact.items() if key in set(candidates)}
        if not exact:
            return hits
        scored = dict(hits)
        meta = self.fulltext.metadata(k for k in exact if k not in scored)
        for key in exact:
            if key not in scored and key in meta and _passes(meta[key], kind, tag, solved):
                hits.append((key, 0.0))  # beyond the fused depth: still named exactly
        place = {key: i for i, (key, _) in enumerate(hits)}
        return sorted(hits, key=lambda hit: (-exact.get(hit[0], 0), place[hit[0]]))

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


def _semantic_hits(
    store: VectorStore, query_text: str, depth: int, candidates: Sequence[str] | None
) -> list[tuple[str, float]]:
    """Cosine neighbours of the query; a long message also by each of its passages, every
    document keeping its best cosine (the model reads a text's first 256 word pieces)."""
    best = dict(store.search(vectors.encode_query(query_text), depth, candidates))
    for passage in passages(query_text):
        for key, score in store.search(vectors.encode_query(passage), depth, candidates):
            if score > best.get(key, -1.0):
                best[key] = score
    return sorted(best.items(), key=lambda hit: -hit[1])[:depth]


def _passes(meta: dict, kind: str | None, tag: str | None, solved: bool | None) -> bool:
    if kind and meta.get("kind") != kind:
        return False
    if tag and tag.lower() not in meta.get("tags", []):
        return False
    return solved is None or bool(meta.get("solved")) == solved
