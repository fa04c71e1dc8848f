"""Whoosh full-text index of KB articles and community threads (no Flask here).

One index, two sets of text fields: English (``title``/``body``/``replies``, porter2) and
French (``*_fr``, Snowball French + accent folding). A document fills the fields of its
own ``language``; a query is analysed by each language's analyzer and searched against
both sets, so "routers" finds "router" and "imprimantes" finds "imprimante". Titles get
an index-time boost; replies a query-time boost below 1 because replies are noisy.

Whoosh analyses, stores and indexes the documents and answers "did you mean"; the BM25F
arithmetic runs over the same postings kept as numpy arrays (``search.bm25``), written by
the same calls below under one lock, because Whoosh's pure-Python matchers cost hundreds
of milliseconds a query at 100,000 documents.
"""

import logging
import threading
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import BOOLEAN, DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.scoring import BM25F
from whoosh.writing import CLEAR

from search.analysis import (
    ANALYZERS,
    LANGUAGES,
    MAX_QUERY_TERMS,
    clear_language,
    known_language,
    plain_words,
    query_terms,
)
from search.bm25 import TermMatrix, record_for, term_store
from search.exact import exact_items, phrase_query
from search.spelling import Vocabulary, VocabularyCache
from search.store import StoreDamaged

log = logging.getLogger(__name__)

TITLE_FIELD_BOOST = 2.0  # index-time: title tf counts double before BM25 saturation
WRITER_TIMEOUT_S = 30.0
TERMS_DIR = "terms"  # the numpy postings, inside the Whoosh directory (search.bm25)
# A correction of a misspelt word counts less than a word as typed: "facure" finds
# "facture", but a document with a word the customer really typed ranks above it.
TYPO_WEIGHT = 0.6
MAX_CORRECTED_WORDS = 8  # unknown words corrected per query (a pasted log has hundreds)
EXACT_MAX_DOCUMENTS = 200  # an item in more documents than this is not an identifier
# What a result shows is stored with it ("shown"): the page reads it from the index instead
# of building each result's whole document (every reply) from the database. The snippet is
# cut from the first EXCERPT_CHARS of the body and the accepted answer.
SHOWN_FIELD = "shown"
SHOWN_KEYS = ("title", "excerpt", "updated", "url", "route")
EXCERPT_CHARS = 600


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
    # (endpoint, values) of ``url`` where it needs a request to be built (a reindex from the
    # CLI has none): stored, and made into a URL where the result is shown.
    route: tuple[str, dict] | None = None


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


TEXT_FIELDS = tuple(name for lang in LANGUAGES for name in text_fields(lang).values())
LANGUAGE_FIELDS = {lang: frozenset(text_fields(lang).values()) for lang in LANGUAGES}
# Whoosh keeps the unstemmed words of these fields (spelling=True) under "spell_<field>".
SPELLING_FIELDS = [
    f"spell_{field_name}" for lang in LANGUAGES for field_name in text_fields(lang).values()
]


def build_schema() -> Schema:
    """The index schema; kind, tags and solved are stored for filters and boosts."""
    fields: dict[str, object] = {
        "doc_key": ID(unique=True, stored=True),
        "kind": ID(stored=True),
        "tags": KEYWORD(commas=True, lowercase=True, scorable=False, stored=True),
        "solved": BOOLEAN(stored=True),
        "language": ID(stored=True),
        "updated": DATETIME(),
        SHOWN_FIELD: STORED(),  # title, excerpt, updated, url/route: what a result shows
    }
    for lang in LANGUAGES:
        names, analyzer = text_fields(lang), ANALYZERS[lang]
        # spelling=True keeps the unstemmed words too: what the index knows (search.spelling).
        fields[names["title"]] = TEXT(
            analyzer=analyzer, field_boost=TITLE_FIELD_BOOST, spelling=True
        )
        fields[names["body"]] = TEXT(analyzer=analyzer, spelling=True)
        fields[names["replies"]] = TEXT(analyzer=analyzer, spelling=True)
    return Schema(**fields)


class FullTextIndex:
    """A Whoosh index directory, opened (or created, or rebuilt empty) on construction."""

    def __init__(
        self, path: str | Path, k1: float = 1.2, b: float = 0.75, create: bool = True
    ) -> None:
        """Open the index at ``path``; ``create``: make (or remake empty) what is missing or
        unusable there. Without it a missing or damaged index raises StoreDamaged and
        nothing on disk is touched: other processes may be reading it."""
        self.path = Path(path)
        self.k1, self.b = k1, b
        self._ix, self.report = _open_or_create(self.path, create)
        self._local = threading.local()
        self._vocabulary = VocabularyCache(self._ix.reader, SPELLING_FIELDS)
        self.terms = term_store(self.path / TERMS_DIR, TEXT_FIELDS)
        # Why the index must be rebuilt from the database (None: it is usable as it is).
        self.stale: str | None = self.report.reason if self.report.is_new else None
        if self.report.is_new:
            with self.terms.writing(fresh=True) as terms:
                terms.replace(TermMatrix(TEXT_FIELDS))
        else:
            self._check_terms()

    def _check_terms(self) -> None:
        """The numpy postings must hold what Whoosh holds; if not, ask for a rebuild."""
        with self.terms.shared() as quiet:
            if not quiet:
                return  # a writer (a reindex) is at work: it leaves both in step
            try:
                with self.terms.reading() as matrix:
                    count = len(matrix)
            except StoreDamaged as error:
                self.stale = str(error)
            else:
                if count != self._ix.doc_count():
                    self.stale = f"term matrix has {count} documents, Whoosh {self._ix.doc_count()}"
        if self.stale:
            log.warning("full-text index at %s needs a rebuild: %s", self.path, self.stale)

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
        keys = list(doc_keys)
        with self.terms.writing(timeout=WRITER_TIMEOUT_S) as terms:
            writer = self._ix.writer(timeout=WRITER_TIMEOUT_S)
            try:
                count = sum(writer.delete_by_term("doc_key", key) for key in keys)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            terms.append(terms.state.delete_changes(keys))
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
        plan = self.query_plan(query_text, boosts=boosts)
        if not plan:
            return []
        try:
            with self.terms.reading() as matrix:
                plan = [
                    entry
                    for lang in LANGUAGES
                    for entry in matrix.most_informative(
                        [e for e in plan if e[0] in LANGUAGE_FIELDS[lang]], MAX_QUERY_TERMS
                    )
                ]
                return matrix.search(
                    plan, limit, k1=self.k1, b=self.b, kind=kind, tag=tag, solved=solved,
                    allowed_keys=allowed_keys,
                )  # fmt: skip
        except StoreDamaged as error:
            self._lost_terms(error)
            return []

    def query_plan(
        self, query_text: str, boosts: QueryBoosts | None = None
    ) -> list[tuple[str, str, float]]:
        """Plain text → (field, term, boost) for every query term in the fields of its language.

        Summed per document this is the OR of term queries Whoosh would score. When the
        query's language is clear only its fields are searched ("routeur wifi": both).
        Words the index does not know bring the terms of their corrections, weighted down
        (TYPO_WEIGHT): "pasword" also searches "password".
        """
        boosts = boosts or QueryBoosts()
        plan: list[tuple[str, str, float]] = []
        language = clear_language(query_text)
        corrections = " ".join(self.typo_corrections(query_text))
        for lang in (language,) if language else LANGUAGES:
            terms = query_terms(query_text, lang, most=None)  # search() keeps the rarest
            fixes = [term for term in query_terms(corrections, lang) if term not in terms]
            for logical, field_name in text_fields(lang).items():
                boost = getattr(boosts, logical)
                if boost > 0:
                    plan.extend((field_name, term, boost) for term in terms)
                    plan.extend((field_name, term, boost * TYPO_WEIGHT) for term in fixes)
        return plan

    def exact_matches(self, query_text: str) -> dict[str, int]:
        """Documents holding the query's exact items (codes, numbers, quoted phrases):
        doc_key → how many of the items it holds. Empty when the query has none, or when
        an item is too common to single anything out (EXACT_MAX_DOCUMENTS)."""
        found: dict[str, int] = {}
        with self._searcher() as searcher:
            for item in exact_items(query_text):
                query = phrase_query(item, LANGUAGE_FIELDS)
                if query is None:
                    continue
                docnums = list(islice(searcher.docs_for_query(query), EXACT_MAX_DOCUMENTS + 1))
                if len(docnums) > EXACT_MAX_DOCUMENTS:
                    continue
                for docnum in docnums:
                    key = searcher.stored_fields(docnum)["doc_key"]
                    found[key] = found.get(key, 0) + 1
        return found

    def vocabulary(self) -> Vocabulary:
        """The words this index knows (search.spelling), refreshed as it changes."""
        with self._searcher() as searcher:
            generation = searcher.reader().generation()
        return self._vocabulary.get(generation)

    def typo_corrections(self, query_text: str) -> list[str]:
        """Known words close to the query's unknown ones (none when every word is known)."""
        vocabulary = self.vocabulary()
        unknown = [word for word in plain_words(query_text) if not vocabulary.knows(word)]
        return [
            correction
            for word in unknown[:MAX_CORRECTED_WORDS]
            for correction in vocabulary.corrections(word)
        ]

    def metadata(self, doc_keys: Iterable[str]) -> dict[str, dict]:
        """Stored fields (kind, tags, solved, language) of the keys that are in the index."""
        try:
            with self.terms.reading() as matrix:
                return matrix.metadata(doc_keys)
        except StoreDamaged as error:
            self._lost_terms(error)
            return {}

    def shown(self, doc_keys: Iterable[str]) -> dict[str, dict]:
        """What results show (``shown_fields``) of the keys that are in the index: read
        from its stored fields, one lookup per key, no database."""
        found: dict[str, dict] = {}
        with self._searcher() as searcher:
            for key in doc_keys:
                docnum = searcher.document_number(doc_key=key)
                stored = searcher.stored_fields(docnum) if docnum is not None else {}
                if SHOWN_FIELD in stored:
                    tags = [tag for tag in (stored.get("tags") or "").split(",") if tag]
                    found[key] = {
                        **stored[SHOWN_FIELD],
                        "kind": stored["kind"],
                        "language": stored["language"],
                        "solved": stored["solved"],
                        "tags": tags,
                    }
        return found

    def _lost_terms(self, error: StoreDamaged) -> None:
        if not self.stale:
            log.warning("full-text index at %s needs a rebuild: %s", self.path, error)
        self.stale = str(error)

    def corrected(self, query_text: str) -> str | None:
        """The query with unknown words replaced by their closest known word, or None when
        every word is known (a stop word or a word without its accents included)."""
        vocabulary = self.vocabulary()
        words, changed = plain_words(query_text), False
        for i, word in enumerate(words):
            fixes = vocabulary.corrections(word)
            if fixes:
                words[i], changed = fixes[0], True
        return " ".join(words) if changed else None

    def _write(self, docs: Iterable[Document], *, replace: bool, mergetype=None) -> int:
        """Whoosh and the numpy postings written together, under the term matrix's lock."""
        schema = self._ix.schema
        stores_shown = SHOWN_FIELD in schema.names()  # not in an index made before (above)
        with self.terms.writing(fresh=not replace, timeout=WRITER_TIMEOUT_S) as terms:
            writer = self._ix.writer(timeout=WRITER_TIMEOUT_S, limitmb=128)
            records, matrix, count = [], TermMatrix(TEXT_FIELDS), 0
            try:
                for doc in docs:
                    fields = _to_fields(doc)
                    if not stores_shown:
                        del fields[SHOWN_FIELD]
                    writer.update_document(**fields) if replace else writer.add_document(**fields)
                    record = record_for(schema, TEXT_FIELDS, fields)
                    # A full reindex builds its matrix as it goes: no list of 100,000 records.
                    records.append(record) if replace else matrix.put(record)
                    count += 1
            except BaseException:
                writer.cancel()
                raise
            writer.commit(mergetype=mergetype) if mergetype else writer.commit()
            if replace:
                terms.append([record.to_json() for record in records])
            else:
                terms.replace(matrix)
                self.stale = None
        return count


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
    # The other fields a result shows (kind, language, solved, tags) are stored above.
    fields[SHOWN_FIELD] = {name: shown_fields(doc)[name] for name in SHOWN_KEYS}
    return fields


def shown_fields(doc: Document) -> dict[str, object]:
    """What a result shows of a document: what ``FullTextIndex.shown`` reads back."""
    return {
        "title": doc.title or "",
        "excerpt": "\n\n".join(part for part in (doc.body, doc.solution) if part)[:EXCERPT_CHARS],
        "updated": doc.updated,
        "url": doc.url,
        "route": doc.route,
        "kind": doc.kind,
        "language": known_language(doc.language),
        "solved": bool(doc.solved),
        "tags": list(doc.tags),
    }


def _open_or_create(path: Path, create: bool) -> tuple[whoosh_index.Index, OpenReport]:
    """Open the index; a missing, corrupt or outdated one is recreated empty (``create``)
    or reported as StoreDamaged, leaving the files alone."""
    report = OpenReport(path=str(path))
    schema = build_schema()
    if create:
        path.mkdir(parents=True, exist_ok=True)
    try:
        # exists_in() itself opens the TOC, so a garbled one raises here too.
        if not path.is_dir() or not whoosh_index.exists_in(str(path)):
            report.reason = "no index in directory"
            if not create:
                raise StoreDamaged(f"no full-text index in {path}")
            report.created = True
            return whoosh_index.create_in(str(path), schema), report
        ix = whoosh_index.open_dir(str(path))
        # An index made before results were stored is still good: its results are shown
        # from the database until the next rebuild (``FullTextIndex.shown`` lacks them).
        if (set(ix.schema.names()) ^ set(schema.names())) - {SHOWN_FIELD}:
            raise ValueError("schema changed")
        with ix.searcher() as searcher:  # reads every segment: catches truncated files
            searcher.doc_count()
        return ix, report
    except StoreDamaged:
        raise
    except Exception as exc:  # noqa: BLE001 - corruption surfaces as many exception types
        report.rebuilt, report.reason = True, f"{type(exc).__name__}: {exc}"
        if not create:
            raise StoreDamaged(f"full-text index at {path} unusable: {report.reason}") from exc
        log.warning("full-text index at %s unusable (%s); recreated empty", path, report.reason)
        for file in path.iterdir():  # only Whoosh's own files, never anything else there
            if file.is_file() and file.name.startswith(("_MAIN_", "MAIN_")):
                file.unlink(missing_ok=True)
        return whoosh_index.create_in(str(path), schema), report
