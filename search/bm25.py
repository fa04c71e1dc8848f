"""Whoosh's BM25F scores computed with numpy: the postings of the full-text index as arrays.

Whoosh reads and scores every posting of a query in Python (matchers, a collector, a
scorer call per posting): at 100,000 threads a query cost 100–500 ms of CPU, and cutting
terms to bound that cost made the ranking coarser. This module keeps, next to the Whoosh
index, the same postings as numpy arrays — per text field, term → (documents, weights),
and each document's field lengths — produced by the Whoosh schema's own fields (the same
analyzers, field boosts and one-byte length approximation Whoosh stores), and scores them
with Whoosh's BM25F formula in a few vector operations per query term. On an index without
replaced or deleted documents the scores are Whoosh's own (tests compare them); after
edits they use the live documents' statistics where Whoosh keeps counting deleted ones
until a merge.

It is derived data like the Whoosh index, written by the same calls (``FullTextIndex``'s
upsert, delete and replace_all) under one lock, in ``<index>/terms/``: a ``search.store``
store (``term_store``) whose base is one ``.npy`` file per array (the large postings
arrays are memory-mapped, so the web workers of one machine share their pages) and whose
log has one JSON line per document put or deleted. Every process replays the lines it has
not seen before each query; the log is folded into a new base past a share of it.
"""

import heapq
import math
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
from whoosh.util.numeric import byte_to_length

from search.store import Base, Store, StoreDamaged

TAGS = "tags"  # the tag filter reads the tags field's postings like a text field's


class TermMatrixError(StoreDamaged):
    """The persisted term matrix does not fit together or the schema: rebuild it."""


@dataclass
class Record:
    """One document as the term matrix sees it (what a log line holds)."""

    key: str
    kind: str
    solved: bool
    language: str
    tags: str  # as stored by Whoosh: comma-separated slugs
    terms: dict[str, list[tuple[str, float]]]  # field → [(term, weight)]
    lengths: dict[str, int]  # field → number of tokens (Whoosh's field length)

    def to_json(self) -> dict:
        return {
            "put": self.key,
            "kind": self.kind,
            "solved": self.solved,
            "language": self.language,
            "tags": self.tags,
            "terms": self.terms,
            "lengths": self.lengths,
        }

    @classmethod
    def from_json(cls, line: dict) -> "Record":
        terms = {name: [(t, float(w)) for t, w in items] for name, items in line["terms"].items()}
        return cls(
            line["put"],
            line["kind"],
            bool(line["solved"]),
            line["language"],
            line["tags"],
            terms,
            {name: int(n) for name, n in line["lengths"].items()},
        )


def record_for(schema, text_fields: Sequence[str], fields: dict[str, object]) -> Record:
    """The record of a document from the fields given to Whoosh, analysed by its own schema.

    ``field.index`` is what Whoosh's writer calls: it yields each unique term with its
    frequency and its weight (frequency × the field's boost); the field length Whoosh
    stores is the sum of the frequencies.
    """
    terms: dict[str, list[tuple[str, float]]] = {}
    lengths: dict[str, int] = {}
    for name in (*text_fields, TAGS):
        value = fields.get(name)
        if not value:
            continue
        items = [(t.decode("utf-8"), float(w), f) for t, f, w, _ in schema[name].index(value)]
        if items:
            terms[name] = [(t, w) for t, w, _ in items]
            lengths[name] = sum(f for _, _, f in items)
    return Record(
        str(fields["doc_key"]),
        str(fields.get("kind", "")),
        bool(fields.get("solved")),
        str(fields.get("language", "")),
        str(fields.get(TAGS, "")),
        terms,
        lengths,
    )


# Whoosh stores a field length in one byte: byte_to_length(length_to_byte(n)) is what it
# scores with (exact up to ~10 tokens, then coarser). length_to_byte is a left bisection in
# this table, so the same lookup works on whole arrays.
_LENGTH_OF_BYTE = np.array([byte_to_length(i) for i in range(256)], dtype=np.float64)


def quantized_lengths(lengths: np.ndarray) -> np.ndarray:
    """The field lengths Whoosh scores with, for an array of exact token counts."""
    return _LENGTH_OF_BYTE[np.minimum(np.searchsorted(_LENGTH_OF_BYTE, lengths), 255)]


# ----------------------------------------------------------------------- postings
@dataclass
class _Postings:
    """One field's postings: a compacted CSR base (sorted vocabulary) and appended ones."""

    vocab: np.ndarray = field(default_factory=lambda: np.array([], dtype="<U1"))
    indptr: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    docs: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    weights: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    added: dict[str, tuple[array, array]] = field(default_factory=dict)

    def lookup(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(columns, weights) of a term, dead columns included."""
        docs, weights = _EMPTY_DOCS, _EMPTY_WEIGHTS
        i = int(np.searchsorted(self.vocab, term))
        if i < len(self.vocab) and self.vocab[i] == term:
            start, end = self.indptr[i], self.indptr[i + 1]
            docs, weights = self.docs[start:end], self.weights[start:end]
        extra = self.added.get(term)
        if extra is not None:
            docs = np.concatenate([docs, np.frombuffer(extra[0], dtype=np.int32)])
            weights = np.concatenate([weights, np.frombuffer(extra[1], dtype=np.float32)])
        return docs, weights

    def add(self, term: str, column: int, weight: float) -> None:
        docs, weights = self.added.setdefault(term, (array("i"), array("f")))
        docs.append(column)
        weights.append(weight)

    def triples(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every posting as (vocabulary, term index, column, weight) arrays (compaction)."""
        extra_terms = sorted(set(self.added) - set(self.vocab.tolist()))
        vocab = np.array([*self.vocab.tolist(), *extra_terms])
        base_terms = np.repeat(np.arange(len(self.vocab)), np.diff(self.indptr))
        position = {term: i for i, term in enumerate(vocab.tolist())} if self.added else {}
        term_parts, doc_parts, weight_parts = [base_terms], [np.asarray(self.docs)], []
        weight_parts.append(np.asarray(self.weights))
        for term, (docs, weights) in self.added.items():
            term_parts.append(np.full(len(docs), position[term]))
            doc_parts.append(np.frombuffer(docs, dtype=np.int32))
            weight_parts.append(np.frombuffer(weights, dtype=np.float32))
        return (
            vocab,
            np.concatenate(term_parts),
            np.concatenate(doc_parts),
            np.concatenate(weight_parts),
        )


_EMPTY_DOCS = np.zeros(0, dtype=np.int32)
_EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)


def _csr(vocab, term_ids, docs, weights) -> _Postings:
    """Postings sorted by term then column, with a sorted vocabulary."""
    order = np.argsort(vocab, kind="stable")  # vocab may come in first-seen order
    rank = np.empty(len(vocab), dtype=np.int64)
    rank[order] = np.arange(len(vocab))
    term_ids = rank[term_ids] if len(term_ids) else term_ids.astype(np.int64)
    by = np.lexsort((docs, term_ids))
    counts = np.bincount(term_ids, minlength=len(vocab)) if len(vocab) else np.zeros(0, np.int64)
    indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    vocab = np.asarray(vocab)[order] if len(vocab) else np.array([], dtype="<U1")
    return _Postings(
        vocab,
        indptr,
        np.ascontiguousarray(docs[by], dtype=np.int32),
        np.ascontiguousarray(weights[by], dtype=np.float32),
    )


# -------------------------------------------------------------------- the matrix
class TermMatrix:
    """Postings, field lengths and filter fields of every indexed document, by column.

    A column is one version of one document: a document put again gets a new column and
    its old one dies, as in Whoosh's segments. Not thread-safe by itself: its store's
    ``reading`` locks it for a thread.
    """

    def __init__(self, text_fields: Sequence[str]) -> None:
        self.fields = tuple(text_fields)
        self._field_index = {name: i for i, name in enumerate(self.fields)}
        self.postings: dict[str, _Postings] = {name: _Postings() for name in (*self.fields, TAGS)}
        self.keys: list[str] = []
        self.column: dict[str, int] = {}  # live key → its column
        self.tags: list[str] = []
        self._codes: dict[str, dict[str, int]] = {"kind": {}, "language": {}}
        self._names: dict[str, list[str]] = {"kind": [], "language": []}
        self._size = 0
        self._grow(0)
        self.totals = np.zeros(len(self.fields), dtype=np.float64)  # live token counts
        self._norms: dict[int, tuple[tuple, np.ndarray]] = {}  # see _length_norms

    # ---------------------------------------------------------------- columns
    def _grow(self, needed: int) -> None:
        capacity = max(needed, 64, 2 * self._size)
        nf = len(self.fields)

        def grown(old, shape, dtype):
            new = np.zeros(shape, dtype=dtype)
            if old is not None:
                new[..., : old.shape[-1]] = old
            return new

        self.live = grown(getattr(self, "live", None), capacity, bool)
        self.solved = grown(getattr(self, "solved", None), capacity, bool)
        self.kind = grown(getattr(self, "kind", None), capacity, np.uint8)
        self.language = grown(getattr(self, "language", None), capacity, np.uint8)
        self.lengths = grown(getattr(self, "lengths", None), (nf, capacity), np.float64)
        self.exact = grown(getattr(self, "exact", None), (nf, capacity), np.int32)
        self._capacity = capacity

    def _code(self, what: str, value: str) -> int:
        codes = self._codes[what]
        if value not in codes:
            codes[value] = len(codes)
            self._names[what].append(value)
        return codes[value]

    def __len__(self) -> int:
        return len(self.column)

    def put(self, record: Record) -> None:
        """Add a document, or a new version of one (the old column dies)."""
        self.delete(record.key)
        col = self._size
        if col >= self._capacity:
            self._grow(col + 1)
        self._size += 1
        self.keys.append(record.key)
        self.tags.append(record.tags)
        self.column[record.key] = col
        self.live[col] = True
        self.solved[col] = record.solved
        self.kind[col] = self._code("kind", record.kind)
        self.language[col] = self._code("language", record.language)
        for name, items in record.terms.items():
            postings = self.postings.get(name)
            if postings is None:
                continue  # a field this matrix does not score
            for term, weight in items:
                postings.add(term, col, weight)
        for name, length in record.lengths.items():
            i = self._field_index.get(name)
            if i is not None:
                self.exact[i, col] = length
                self.lengths[i, col] = quantized_lengths(np.array(length))
                self.totals[i] += length

    def delete(self, key: str) -> bool:
        """Delete a document if present; returns whether it was."""
        col = self.column.pop(key, None)
        if col is None:
            return False
        self.live[col] = False
        self.totals -= self.exact[:, col]
        return True

    def delete_changes(self, keys: Iterable[str]) -> list[dict]:
        """Log lines deleting those of these keys that are indexed."""
        return [{"delete": key} for key in keys if key in self.column]

    def apply(self, change: dict) -> None:
        """Replay one log line: a ``Record`` put, or a ``delete_changes`` line."""
        if "put" in change:
            self.put(Record.from_json(change))
        else:
            self.delete(change["delete"])

    # ----------------------------------------------------------------- reading
    def metadata(self, keys: Iterable[str]) -> dict[str, dict]:
        """What Whoosh stores for filters and boosts, for the live keys among these."""
        found = {}
        for key in keys:
            col = self.column.get(key)
            if col is None:
                continue
            found[key] = {
                "doc_key": key,
                "kind": self._names["kind"][self.kind[col]],
                "language": self._names["language"][self.language[col]],
                "solved": bool(self.solved[col]),
                "tags": [t for t in self.tags[col].split(",") if t],
            }
        return found

    def most_informative(
        self, plan: Sequence[tuple[str, str, float]], most: int
    ) -> Sequence[tuple[str, str, float]]:
        """The plan's entries for its ``most`` rarest terms the index holds (all of it when it
        has no more terms than that): a long message is searched by what sets it apart,
        wherever it says it, not by its first words."""
        terms = dict.fromkeys(term for _name, term, _boost in plan)
        if len(terms) <= most:
            return plan
        frequency: dict[str, int] = {}
        for name, term, _boost in plan:
            if name in self.postings:
                found = len(self.postings[name].lookup(term)[0])
                frequency[term] = max(frequency.get(term, 0), found)
        rarest = sorted((t for t in terms if frequency.get(t)), key=lambda t: frequency[t])
        keep = set(rarest[:most])
        return [entry for entry in plan if entry[1] in keep]

    def search(
        self,
        plan: Sequence[tuple[str, str, float]],
        limit: int,
        *,
        k1: float,
        b: float,
        kind: str | None = None,
        tag: str | None = None,
        solved: bool | None = None,
        allowed_keys: Iterable[str] | None = None,
    ) -> list[tuple[str, float]]:
        """BM25F of (field, term, boost) triples summed per document; best ``limit`` first.

        Whoosh's formula (whoosh.scoring.bm25): idf = ln(N / (df + 1)) + 1 over the live
        documents, weight = term frequency × field boost, the one-byte field length, the
        average over live documents; ties keep index order (Whoosh's document numbers).
        """
        count = len(self.column)
        if not plan or not count or limit <= 0:
            return []
        allowed = self._allowed(kind, tag, solved, allowed_keys)
        if allowed is not None and not allowed.any():
            return []
        scores = np.zeros(self._size, dtype=np.float64)
        for name, term, boost in plan:
            i = self._field_index.get(name)
            if i is None:
                continue
            docs, weights = self.postings[name].lookup(term)
            if not len(docs):
                continue
            if len(self.column) < self._size:  # some columns are dead: skip their postings
                alive = self.live[docs]
                docs, weights = docs[alive], weights[alive]
                if not len(docs):
                    continue
            idf = math.log(count / (len(docs) + 1)) + 1
            tf = weights.astype(np.float64)
            norm = self._length_norms(i, k1, b)[docs]
            scores[docs] += boost * idf * (tf * (k1 + 1)) / (tf + norm)
        if allowed is not None:
            scores[~allowed[: self._size]] = 0.0
        # Two documents alike score alike, but not always to the last bit in two indexes of
        # different histories (a compacted base and appended postings sum in another order):
        # rounded far below any real difference, a tie is a tie everywhere.
        np.round(scores, 12, out=scores)
        matched = np.flatnonzero(scores > 0)  # every matching document scores above 0
        # Equal scores go by document key, not by column: columns follow the index's history
        # (the order a rebuild read the rows, later updates appended), so two servers, or one
        # index before and after a rebuild, would otherwise order the same tie differently.
        key_of = self.keys.__getitem__
        if len(matched) > limit:
            kth = np.partition(scores[matched], len(matched) - limit)[len(matched) - limit]
            above, tied = matched[scores[matched] > kth], matched[scores[matched] == kth]
            kept = heapq.nsmallest(limit - len(above), tied.tolist(), key=key_of)
            matched = np.concatenate([above, np.array(kept, dtype=matched.dtype)])
        best_first = sorted(matched.tolist(), key=lambda c: (-scores[c], key_of(c)))
        return [(self.keys[c], float(scores[c])) for c in best_first]

    def _length_norms(self, i: int, k1: float, b: float) -> np.ndarray:
        """k1 × ((1 − b) + b × length / average length) of field i for every column.

        The BM25 denominator's document part: it changes only when a document is put or
        deleted, so it is computed once per change instead of for every posting of a query.
        """
        count = len(self.column)
        key = (k1, b, count, self._size, float(self.totals[i]))
        cached = self._norms.get(i)
        if cached is None or cached[0] != key:
            average = self.totals[i] / count or 1.0
            cached = (key, k1 * ((1 - b) + b * self.lengths[i, : self._size] / average))
            self._norms[i] = cached
        return cached[1]

    def _allowed(self, kind, tag, solved, allowed_keys) -> np.ndarray | None:
        """Columns the filters let through, or None without filters."""
        if not (kind or tag or solved is not None or allowed_keys is not None):
            return None
        allowed = self.live[: self._size].copy()
        if kind:
            code = self._codes["kind"].get(kind)
            allowed &= False if code is None else self.kind[: self._size] == code
        if tag:
            only = np.zeros(self._size, dtype=bool)
            only[self.postings[TAGS].lookup(tag.strip().lower())[0]] = True
            allowed &= only
        if solved is not None:
            allowed &= self.solved[: self._size] == bool(solved)
        if allowed_keys is not None:
            only = np.zeros(self._size, dtype=bool)
            cols = [self.column[k] for k in allowed_keys if k in self.column]
            only[np.array(cols, dtype=np.int64)] = True
            allowed &= only
        return allowed

    # ------------------------------------------------------------- persisting
    def dump(self) -> tuple[dict[str, np.ndarray], dict]:
        """The live documents as a compacted base (columns renumbered)."""
        size = self._size
        keep = np.flatnonzero(self.live[:size])
        renumber = np.full(size, -1, dtype=np.int64)
        renumber[keep] = np.arange(len(keep))
        arrays: dict[str, np.ndarray] = {
            "keys": np.array([self.keys[c] for c in keep.tolist()] or [""])[: len(keep)],
            "tags": np.array([self.tags[c] for c in keep.tolist()] or [""])[: len(keep)],
            "solved": self.solved[keep],
            "kind": self.kind[keep],
            "language": self.language[keep],
            "exact": self.exact[:, keep],
        }
        for name, postings in self.postings.items():
            vocab, term_ids, docs, weights = postings.triples()
            alive = self.live[docs] if len(docs) else np.zeros(0, dtype=bool)
            compact = _csr(vocab, term_ids[alive], renumber[docs[alive]], weights[alive])
            used = np.diff(compact.indptr) > 0  # terms left only by dead documents go
            arrays[f"{name}.vocab"] = compact.vocab[used]
            arrays[f"{name}.indptr"] = np.concatenate(
                [[0], np.cumsum(np.diff(compact.indptr)[used])]
            )
            arrays[f"{name}.docs"] = compact.docs
            arrays[f"{name}.weights"] = compact.weights
        return arrays, {"fields": list(self.fields), "count": len(keep), **self._names}

    @classmethod
    def from_base(cls, base: Base, text_fields: Sequence[str]) -> "TermMatrix":
        """A matrix over a persisted base; postings memory-mapped, per-document arrays copied."""
        meta, read = base.meta, base.array
        if meta["fields"] != list(text_fields):
            raise TermMatrixError("term matrix fields differ from the schema")
        matrix = cls(text_fields)
        count = int(meta["count"])
        matrix._grow(count)
        matrix._size = count
        matrix.keys = read("keys").tolist()[:count]
        matrix.tags = read("tags").tolist()[:count]
        if len(matrix.keys) != count or len(set(matrix.keys)) != count:
            raise TermMatrixError("term matrix keys are inconsistent")
        matrix.column = {key: i for i, key in enumerate(matrix.keys)}
        matrix.live[:count] = True
        matrix.solved[:count] = read("solved")
        matrix.kind[:count] = read("kind")
        matrix.language[:count] = read("language")
        exact = read("exact")
        matrix.exact[:, :count] = exact
        matrix.lengths[:, :count] = quantized_lengths(exact)
        matrix.totals = exact.sum(axis=1, dtype=np.float64)
        for what in ("kind", "language"):
            matrix._names[what] = list(meta[what])
            matrix._codes[what] = {v: i for i, v in enumerate(meta[what])}
        for name in matrix.postings:
            postings = _Postings(
                read(f"{name}.vocab"),
                read(f"{name}.indptr"),
                read(f"{name}.docs", mmap=True),
                read(f"{name}.weights", mmap=True),
            )
            if postings.indptr[-1] != len(postings.docs) or (
                len(postings.docs) and int(postings.docs.max()) >= count
            ):
                raise TermMatrixError(f"term matrix postings of {name} are inconsistent")
            matrix.postings[name] = postings
        return matrix


def term_store(directory: str | Path, text_fields: Sequence[str]) -> Store[TermMatrix]:
    """The term matrix of an index directory, shared by processes (``search.store``)."""
    return Store(directory, partial(TermMatrix.from_base, text_fields=tuple(text_fields)))
