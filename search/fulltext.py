"""Whoosh full-text index of KB articles and community threads (no Flask here).

One index, two sets of text fields: English (``title``/``body``/``replies``, porter2) and
French (``*_fr``, Snowball French + accent folding). A document fills the fields of its
own ``language``; a query is analysed by each language's analyzer and searched against
both sets, so "routers" finds "router" and "imprimantes" finds "imprimante". Titles get
an index-time boost; replies a query-time boost below 1 because replies are noisy.
"""

import logging
import threading
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.fields import BOOLEAN, DATETIME, ID, KEYWORD, TEXT, Schema
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F
from whoosh.writing import CLEAR

from search.analysis import (
    ANALYZERS,
    LANGUAGES,
    clear_language,
    known_language,
    plain_words,
    query_terms,
)

log = logging.getLogger(__name__)

TITLE_FIELD_BOOST = 2.0  # index-time: title tf counts double before BM25 saturation
WRITER_TIMEOUT_S = 30.0
LARGE_INDEX_DOCS = 5000  # from here on, keyword queries keep their rarest terms only
MAX_LARGE_INDEX_TERMS = 8
POSTINGS_BUDGET = 1000  # documents per field a large-index query may read, whatever the size


@dataclass
class Document:
    """A searchable document as the index sees it (plain data, no ORM objects)."""

    doc_key: str  # "article:12" / "thread:7"
    kind: str  # "article" | "thread"
    title: str
    body: str = ""
    solution: str = ""  # an accepted answer: indexed with the body, not embedded
    replies: str = ""  # the other visible replies, concatenated
    tags: Sequence[str] = ()  # tag slugs
    solved: bool = False
    language: str = "en"
    updated: datetime | None = None
    url: str = ""  # where a reader opens it; not indexed


@dataclass
class QueryBoosts:
    """Query-time multipliers per logical field (title also has an index-time boost)."""

    title: float = 1.0
    body: float = 1.0
    # Dev: BM25 alone likes 1.0 (73.3 vs 73.1 MAP) but the fused ranking is steadiest at 0.5.
    replies: float = 0.5


@dataclass
class OpenReport:
    """What opening found: an index created or rebuilt empty needs a reindex."""

    path: str
    created: bool = False
    rebuilt: bool = False
    reason: str = ""

    @property
    def is_new(self) -> bool:
        return self.created or self.rebuilt


def text_fields(lang: str) -> dict[str, str]:
    """Logical field (title/body/replies) → schema field name for a language."""
    suffix = "" if lang == "en" else f"_{lang}"
    return {name: f"{name}{suffix}" for name in ("title", "body", "replies")}


def build_schema() -> Schema:
    """The index schema; kind, tags and solved are stored for filters and boosts."""
    fields: dict[str, object] = {
        "doc_key": ID(unique=True, stored=True),
        "kind": ID(stored=True),
        "tags": KEYWORD(commas=True, lowercase=True, scorable=False, stored=True),
        "solved": BOOLEAN(stored=True),
        "language": ID(stored=True),
        "updated": DATETIME(),
    }
    for lang in LANGUAGES:
        names, analyzer = text_fields(lang), ANALYZERS[lang]
        # spelling=True keeps the unstemmed words too, for "did you mean".
        fields[names["title"]] = TEXT(
            analyzer=analyzer, field_boost=TITLE_FIELD_BOOST, spelling=True
        )
        fields[names["body"]] = TEXT(analyzer=analyzer, spelling=True)
        fields[names["replies"]] = TEXT(analyzer=analyzer)
    return Schema(**fields)


class FullTextIndex:
    """A Whoosh index directory, opened (or created, or rebuilt empty) on construction."""

    def __init__(self, path: str | Path, k1: float = 1.2, b: float = 0.75) -> None:
        self.path = Path(path)
        self.k1, self.b = k1, b
        self._ix, self.report = _open_or_create(self.path)
        self._local = threading.local()

    @contextmanager
    def _searcher(self):
        """This thread's searcher, refreshed when the index changed (opening one is costly)."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self._ix.searcher(weighting=BM25F(B=self.b, K1=self.k1))
        elif not searcher.up_to_date():
            searcher.close()
            searcher = self._ix.searcher(weighting=BM25F(B=self.b, K1=self.k1))
        self._local.searcher = searcher
        yield searcher

    def upsert(self, docs: Iterable[Document]) -> int:
        """Add or replace documents by doc_key in one commit; returns how many."""
        return self._write(docs, replace=True)

    def replace_all(self, docs: Iterable[Document]) -> int:
        """Swap the whole content for these documents in one commit (full reindex)."""
        return self._write(docs, replace=False, mergetype=CLEAR)

    def delete(self, doc_keys: Iterable[str]) -> int:
        """Delete documents by key; returns how many were deleted."""
        writer = self._ix.writer(timeout=WRITER_TIMEOUT_S)
        try:
            count = sum(writer.delete_by_term("doc_key", key) for key in doc_keys)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        return count

    def doc_count(self) -> int:
        """Number of live documents."""
        return self._ix.doc_count()

    def search(
        self,
        query_text: str,
        limit: int = 20,
        *,
        kind: str | None = None,
        tag: str | None = None,
        solved: bool | None = None,
        allowed_keys: Iterable[str] | None = None,
        boosts: QueryBoosts | None = None,
    ) -> list[tuple[str, float]]:
        """BM25F search of plain user text; [(doc_key, score)] best first."""
        query = self.build_query(query_text, boosts=boosts)
        if query is None:
            return []
        restriction = _filter_query(kind=kind, tag=tag, solved=solved, allowed_keys=allowed_keys)
        if restriction is wq.NullQuery:
            return []
        with self._searcher() as searcher:
            hits = searcher.search(query, limit=limit, filter=restriction)
            return [(hit["doc_key"], float(hit.score)) for hit in hits]

    def build_query(self, query_text: str, boosts: QueryBoosts | None = None) -> wq.Query | None:
        """Plain text → an OR of term queries over the fields of its language; None if no terms."""
        boosts = boosts or QueryBoosts()
        subqueries: list[wq.Query] = []
        # Each field searched costs postings read in pure Python: when the query's language is
        # clear, skip the other's fields; when not ("routeur wifi"), search both.
        language = clear_language(query_text)
        with self._searcher() as searcher:
            for lang in (language,) if language else LANGUAGES:
                names = text_fields(lang)
                terms = self._selective_terms(
                    searcher, names["body"], query_terms(query_text, lang)
                )
                for logical, field_name in names.items():
                    boost = getattr(boosts, logical)
                    if boost > 0:
                        subqueries.extend(wq.Term(field_name, t, boost=boost) for t in terms)
        return wq.Or(subqueries) if subqueries else None

    def _selective_terms(self, searcher, field_name: str, terms: list[str]) -> list[str]:
        """On a large index, the rarest terms within a postings budget (a common-terms cutoff).

        Whoosh reads and scores every posting of every term in Python: a term in a tenth of
        100,000 documents costs more than the whole rest of the query, while its low IDF adds
        little to BM25 (and the semantic side still reads the whole question).
        """
        if searcher.doc_count_all() < LARGE_INDEX_DOCS or len(terms) <= 1:
            return terms
        frequency = {t: searcher.doc_frequency(field_name, t) for t in terms}
        kept, postings = [], 0
        for term in sorted(terms, key=frequency.__getitem__)[:MAX_LARGE_INDEX_TERMS]:
            if kept and postings + frequency[term] > POSTINGS_BUDGET:
                break
            kept.append(term)
            postings += frequency[term]
        return kept

    def metadata(self, doc_keys: Iterable[str]) -> dict[str, dict]:
        """Stored fields (kind, tags, solved, language) of the keys that are in the index."""
        found = {}
        with self._searcher() as searcher:
            reader = searcher.reader()
            for key in doc_keys:
                # A direct term lookup: searcher.document() would run a query per key.
                docnum = _live_docnum(reader, key)
                if docnum is None:
                    continue
                fields = reader.stored_fields(docnum)
                fields["tags"] = [t for t in fields.get("tags", "").split(",") if t]
                found[key] = fields
        return found

    def corrected(self, query_text: str) -> str | None:
        """The query with unknown words replaced by close indexed words, or None."""
        words, changed = plain_words(query_text), False
        with self._searcher() as searcher:
            correctors = [
                searcher.corrector(text_fields(lang)[field])
                for lang in LANGUAGES
                for field in ("title", "body")
            ]
            reader = searcher.reader()
            spelling = [
                f"spell_{text_fields(lang)[f]}" for lang in LANGUAGES for f in ("title", "body")
            ]
            for i, word in enumerate(words):
                if len(word) < 3 or any((name, word) in reader for name in spelling):
                    continue
                for corrector in correctors:
                    suggestions = corrector.suggest(word, limit=1, maxdist=2)
                    if suggestions:
                        words[i], changed = suggestions[0], True
                        break
        return " ".join(words) if changed else None

    def _write(self, docs: Iterable[Document], *, replace: bool, mergetype=None) -> int:
        writer = self._ix.writer(timeout=WRITER_TIMEOUT_S, limitmb=128)
        count = 0
        try:
            for doc in docs:
                fields = _to_fields(doc)
                writer.update_document(**fields) if replace else writer.add_document(**fields)
                count += 1
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=mergetype) if mergetype else writer.commit()
        return count


def _live_docnum(reader, key: str) -> int | None:
    """The document number of a key, skipping versions replaced by update_document."""
    try:
        docnum = reader.first_id("doc_key", key)  # the fast path: one term lookup
        if not reader.is_deleted(docnum):
            return docnum
    except TermNotFound:
        pass  # a segment may list the term with only deleted documents behind it
    try:
        live = [d for d in reader.postings("doc_key", key).all_ids() if not reader.is_deleted(d)]
    except TermNotFound:
        return None
    return live[-1] if live else None


def _to_fields(doc: Document) -> dict[str, object]:
    names = text_fields(known_language(doc.language))
    body = "\n\n".join(part for part in (doc.body, doc.solution) if part)
    fields: dict[str, object] = {
        "doc_key": doc.doc_key,
        "kind": doc.kind,
        "language": known_language(doc.language),
        "solved": bool(doc.solved),
        names["title"]: doc.title or "",
        names["body"]: body,
        names["replies"]: doc.replies or "",
    }
    tags = [t.strip().lower().replace(",", " ") for t in doc.tags if t and t.strip()]
    if tags:
        fields["tags"] = ",".join(tags)
    if doc.updated is not None:
        fields["updated"] = doc.updated.replace(tzinfo=None)  # Whoosh wants naive UTC
    return fields


def _filter_query(*, kind, tag, solved, allowed_keys) -> wq.Query | None:
    parts: list[wq.Query] = []
    if kind:
        parts.append(wq.Term("kind", kind))
    if tag:
        parts.append(wq.Term("tags", tag.strip().lower()))
    if solved is not None:
        parts.append(wq.Term("solved", bool(solved)))
    if allowed_keys is not None:
        keys = list(dict.fromkeys(allowed_keys))
        if not keys:
            return wq.NullQuery  # an empty allow-list: nothing may match
        parts.append(wq.Or([wq.Term("doc_key", k) for k in keys]))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)


def _open_or_create(path: Path) -> tuple[whoosh_index.Index, OpenReport]:
    """Open the index; a missing, corrupt or outdated one is recreated empty."""
    report = OpenReport(path=str(path))
    schema = build_schema()
    path.mkdir(parents=True, exist_ok=True)
    try:
        # exists_in() itself opens the TOC, so a garbled one raises here too.
        if not whoosh_index.exists_in(str(path)):
            report.created, report.reason = True, "no index in directory"
            return whoosh_index.create_in(str(path), schema), report
        ix = whoosh_index.open_dir(str(path))
        if set(ix.schema.names()) != set(schema.names()):
            raise ValueError("schema changed")
        with ix.searcher() as searcher:  # reads every segment: catches truncated files
            searcher.doc_count()
        return ix, report
    except Exception as exc:  # noqa: BLE001 - corruption surfaces as many exception types
        report.rebuilt, report.reason = True, f"{type(exc).__name__}: {exc}"
        log.warning("full-text index at %s unusable (%s); recreated empty", path, report.reason)
        for file in path.iterdir():  # only Whoosh's own files, never anything else there
            if file.is_file() and file.name.startswith(("_MAIN_", "MAIN_")):
                file.unlink(missing_ok=True)
        return whoosh_index.create_in(str(path), schema), report
