"""The semantic index: an exact cosine vector store, persisted by ``search.store``.

The vectors come from ``search.vectors`` (the encoder); this module only keeps and scans
them.
"""

import base64
from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path

import numpy as np

from search.store import Base, Store, StoreDamaged


class VectorStoreError(StoreDamaged):
    """The persisted vectors do not fit together or the model; rebuild them."""


class VectorStore:
    """Exact cosine search over float32 unit vectors: a base matrix and appended rows.

    Persisted by ``search.store`` (``vector_store``): the base is ``vectors.npy``,
    memory-mapped so that the web workers of one machine share its pages, and ``keys.npy``;
    an edit is a log line (the vector base64-encoded) that every process replays, instead
    of rewriting the matrix (150 MB at 100,000 documents). A put of an existing key
    appends a row and retires the old one, so the base is never written in place. Small on
    purpose: an ANN backend can replace it behind the same methods.
    """

    def __init__(self, dim: int, encoder: str | None = None) -> None:
        self.dim = dim
        # The id of the model's export that made the vectors: queries of another export (the
        # model changed) must not be compared with them.
        self.encoder = encoder
        self._base = np.zeros((0, dim), dtype=np.float32)  # rows 0..len(base)-1
        self._extra = np.zeros((64, dim), dtype=np.float32)  # the rows after, growing
        self._extra_count = 0
        self._keys: list[str] = []  # the key of every row, retired ones included
        self._row: dict[str, int] = {}  # live key → row
        self._live = np.zeros(64, dtype=bool)

    @classmethod
    def from_matrix(
        cls, keys: Sequence[str], matrix: np.ndarray, encoder: str | None = None
    ) -> "VectorStore":
        """A store holding these rows at once (bulk build: no repeated stacking)."""
        store = cls(int(matrix.shape[1]), encoder)
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
        for key, vec in zip(keys, self._normalized(keys, vectors), strict=True):
            self._put(key, vec)

    def _normalized(self, keys: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        vecs = _normalize(np.asarray(vectors, dtype=np.float32).reshape(len(keys), -1))
        if vecs.shape[1] != self.dim:
            raise ValueError(f"expected dim {self.dim}, got {vecs.shape[1]}")
        return vecs

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
        return sum(self._retire(key) for key in keys)

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
        idx = top if rows is None else rows[top]
        found = [(self._keys[i], float(s)) for i, s in zip(idx, scores[top], strict=True)]
        # Equal cosines (a text posted twice) by key, not by row: rows follow the index's
        # history, and the same query must give the same order on every server.
        return sorted(found, key=lambda hit: (-hit[1], hit[0]))

    # ------------------------------------------------------------- persisting
    def put_changes(self, keys: Sequence[str], vectors: np.ndarray) -> list[dict]:
        """Log lines adding or replacing these vectors (normalized, as ``add`` stores them)."""
        vecs = self._normalized(keys, vectors).astype("<f4", copy=False)
        return [
            {"put": key, "vector": base64.b64encode(vec.tobytes()).decode("ascii")}
            for key, vec in zip(keys, vecs, strict=True)
        ]

    def remove_changes(self, keys: Iterable[str]) -> list[dict]:
        """Log lines removing those of these keys that are stored."""
        return [{"remove": key} for key in dict.fromkeys(keys) if key in self._row]

    def apply(self, change: dict) -> None:
        """Replay one log line of ``put_changes`` or ``remove_changes``."""
        if "put" in change:
            vec = np.frombuffer(base64.b64decode(change["vector"]), dtype="<f4")
            if vec.shape != (self.dim,):
                raise ValueError(f"a logged vector of dim {vec.size}, not {self.dim}")
            self._put(change["put"], vec)
        else:
            self._retire(change["remove"])

    def dump(self) -> tuple[dict[str, np.ndarray], dict]:
        """The live vectors as a base: the matrix and the keys, in row order."""
        keys = self.keys()
        rows = np.array([self._row[k] for k in keys], dtype=np.int64)
        matrix = self._vectors_at(rows) if len(rows) else np.zeros((0, self.dim), np.float32)
        return {
            "vectors": np.ascontiguousarray(matrix, dtype=np.float32),
            "keys": np.array(keys, dtype=str),
        }, {"dim": self.dim, "encoder": self.encoder}

    @classmethod
    def from_base(cls, base: Base, dim: int) -> "VectorStore":
        """A store over a persisted base; the matrix stays memory-mapped (shared pages)."""
        matrix = base.array("vectors", mmap=True)
        keys = [str(k) for k in base.array("keys").tolist()]
        if (
            matrix.ndim != 2
            or matrix.shape != (len(keys), dim)
            or len(set(keys)) != len(keys)
            or matrix.dtype != np.float32
        ):
            raise VectorStoreError(f"inconsistent vector store in {base.path}")
        store = cls(dim, base.meta.get("encoder"))  # None: made before exports had ids
        store._base = matrix
        store._keys = keys
        store._row = {k: i for i, k in enumerate(keys)}
        store._live = np.ones(len(keys) + 64, dtype=bool)
        store._live[len(keys) :] = False
        return store


def vector_store(directory: str | Path, dim: int) -> Store[VectorStore]:
    """The vectors of an index directory, shared by processes (``search.store``)."""
    return Store(directory, partial(VectorStore.from_base, dim=dim))


def _normalize(mat: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    norms[norms == 0] = 1.0  # a zero vector stays zero (cosine 0 with everything)
    return (mat / norms).astype(np.float32, copy=False)
