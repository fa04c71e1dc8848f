"""Searching as the portal does it: filters, visibility, pages, snippets, "did you mean".

Both the search page and the suggestions rank through ``SearchIndex.rank`` with the
weights of the settings (``ranking_weights``), as the quality benchmark does.

**Content language.** Every indexed document knows its language (documents.py). A reader
may keep to one language (``Filters.language``); the ranking is the same one, with the
documents of other languages left out, so filtering never reorders what remains (and the
benchmark, which filters nothing, is unchanged). Without a filter a page counts its
results per language (``SearchPage.languages``): the page offers a reader whose language
is among them to keep to it, rather than reordering results by a guess about the reader.
"""

import logging
import math
from dataclasses import dataclass, field
from datetime import datetime

from babel import Locale
from flask import current_app, has_request_context, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.i18n import N_
from portal.models import Tag
from portal.text_language import CONTENT_LANGUAGES
from search import confidence, documents, encoding, fallback, fulltext
from search.analysis import MAX_QUERY_CHARS, snippet
from search.indexing import SearchUnavailable, report_damage, searchable_index
from search.ranking import RankingWeights

KINDS = ("article", "thread")
# The ranking is cut after the language filter: look this much further when it applies,
# as the engine does for its own filters after the cosine search.
LANGUAGE_DEPTH = 4
# A content language as a filter and a result's badge say it ("In French"); a language
# added later without a line here is named by Babel.
LANGUAGE_LABELS = {"en": N_("In English"), "fr": N_("In French")}
log = logging.getLogger(__name__)


def language_label(code: str) -> str:
    """A content language as a reader reads it ("In French" for "fr"), in their language."""
    if code in LANGUAGE_LABELS:
        return _(LANGUAGE_LABELS[code])
    name = Locale.parse(code).get_language_name(str(get_locale() or "en"))
    return name[:1].upper() + name[1:]


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the search to; None means "any"."""

    kind: str | None = None
    tag: str | None = None
    solved_only: bool = False
    language: str | None = None  # a content language ("fr"): its documents only


@dataclass
class Result:
    """One search result, ready for a template."""

    key: str
    kind: str
    label: str
    title: str
    url: str
    snippet: Markup
    tags: list[tuple[str, str]]  # (slug, name)
    solved: bool
    updated: datetime | None
    language: str = "en"  # the content's, for its lang attribute and badge


@dataclass
class SearchPage:
    """One page of results and everything said around them."""

    query: str
    results: list[Result] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 0
    did_you_mean: str | None = None
    keyword_only: bool = False
    from_database: bool = False  # no index could answer: plain word matches meanwhile
    languages: dict[str, int] = field(default_factory=dict)  # results per content language
    # Nothing found is close enough in meaning to be an answer (search.confidence): the
    # results are not listed unless the reader asks for the closest ones anyway.
    uncertain: bool = False


def ranking_weights() -> RankingWeights:
    """The fusion weights of the settings (defaults: the model's, tuned on SemEval dev)."""
    config = current_app.config
    return RankingWeights(
        bm25_weight=encoding.bm25_weight(),
        semantic_weight=encoding.semantic_weight(),
        article_boost=float(config["SEARCH_ARTICLE_BOOST"]),
        solved_boost=float(config["SEARCH_SOLVED_BOOST"]),
    )


def all_tags(session: Session) -> list[Tag]:
    """Every topic, by name, for the filter."""
    return list(session.scalars(select(Tag).order_by(Tag.name)))


def clean_query(text: str | None) -> str:
    """The query as searched: trimmed and cut to a bounded length."""
    return (text or "")[:MAX_QUERY_CHARS].strip()


def clean_filters(
    session: Session,
    kind: str | None,
    tag: str | None,
    solved: str | None,
    language: str | None = None,
) -> tuple[Filters, list[str]]:
    """Filters from request values; unknown values are dropped with a note for the reader."""
    notes = []
    if kind and kind not in KINDS:
        notes.append(_("Unknown type “%(kind)s” ignored: showing every type.", kind=kind))
        kind = None
    if tag and session.scalar(select(Tag.id).where(Tag.slug == tag)) is None:
        notes.append(_("Unknown topic “%(tag)s” ignored: showing every topic.", tag=tag))
        tag = None
    if solved not in (None, "", "0", "1"):
        notes.append(_("Unknown “solved” value ignored."))
    if language and language not in CONTENT_LANGUAGES:
        notes.append(
            _(
                "Unknown language “%(language)s” ignored: showing every language.",
                language=language,
            )
        )
        language = None
    return Filters(kind or None, tag or None, solved == "1", language or None), notes


def search(
    session: Session,
    viewer,
    query: str,
    filters: Filters = Filters(),
    page: int = 1,
    closest: bool = False,
) -> SearchPage:
    """One page of what the viewer may see for the query, best first; when nothing is
    certain (``SearchPage.uncertain``) no results unless ``closest``."""
    text = clean_query(query)
    result = SearchPage(query=text)
    if not text:
        return result
    config = current_app.config
    ranking = _visible_ranking(session, viewer, text, filters, int(config["SEARCH_CANDIDATES"]))
    result.uncertain = ranking.uncertain
    keys = [] if ranking.uncertain and not closest else ranking.keys
    per_page = int(config["SEARCH_RESULTS_PER_PAGE"])
    result.keyword_only, result.from_database = ranking.keyword_only, ranking.from_database
    result.total = len(keys)
    for key in keys:
        language = ranking.languages.get(key, "en")
        result.languages[language] = result.languages.get(language, 0) + 1
    result.pages = math.ceil(result.total / per_page)
    result.page = min(max(page, 1), max(result.pages, 1))
    start = (result.page - 1) * per_page
    result.results = _results(session, text, keys[start : start + per_page])
    if result.total < int(config["SEARCH_DID_YOU_MEAN_BELOW"]) and not ranking.from_database:
        result.did_you_mean = _did_you_mean(text)
    return result


def _did_you_mean(text: str) -> str | None:
    try:
        return searchable_index().fulltext.corrected(text)
    except Exception:  # a garnish: never break the page showing it
        log.exception("did-you-mean failed")
        return None


def suggest(session: Session, viewer, text: str, limit: int = 5) -> list[Result]:
    """The few best answers for a question being typed; none when nothing is certain."""
    text = clean_query(text)
    if len(text) < 3:
        return []
    ranking = _visible_ranking(session, viewer, text, Filters(), limit * 4)
    if ranking.uncertain:
        return []
    return _results(session, text, ranking.keys[:limit])


def similar(session: Session, viewer, doc_key: str, limit: int = 5) -> list[str]:
    """Keys of visible documents of the same kind closest in meaning; [] when keyword-only."""
    try:
        index = searchable_index()
        keys = index.neighbours(doc_key, limit * 2, encoding.min_similarity())
        allowed = documents.visible_keys(session, viewer, keys)
    except Exception:  # related content is a garnish: never break the page showing it
        log.exception("similar documents of %s failed", doc_key)
        return []
    return [key for key in keys if key in allowed][:limit]


def add_related_articles(
    sender, session: Session, article_id: int, limit: int, ids: list[int], **data
) -> None:
    """``kb.related_collecting``: append the ids of the article's neighbours in meaning."""
    for key in similar(session, None, documents.doc_key("article", article_id), limit):
        ids.append(documents.split_key(key)[1])


def best_matches(
    session: Session,
    text: str,
    kind: str,
    *,
    solved_only: bool = False,
    exclude: frozenset[str] = frozenset(),
    limit: int = 5,
) -> list[str]:
    """Keys of public documents of one kind that best answer a free text, best first.

    For staff tools that search on someone else's words (the case page's suggestions):
    only what a visitor may open, so a draft or a held question is never offered.
    """
    text = clean_query(text)
    if not text:
        return []
    keys = _visible_ranking(
        session, None, text, Filters(kind=kind, solved_only=solved_only), limit * 4 + len(exclude)
    ).keys
    return [key for key in keys if key not in exclude][:limit]


@dataclass(frozen=True)
class Ranking:
    keys: list[str]  # visible to the viewer, best first
    keyword_only: bool  # no meaning: the model is off or unavailable
    from_database: bool  # no index: plain word matches (search.fallback)
    languages: dict[str, str] = field(default_factory=dict)  # key → content language
    uncertain: bool = False  # nothing close enough in meaning (search.confidence)


def _visible_ranking(session: Session, viewer, text: str, filters: Filters, depth: int) -> Ranking:
    ranking = _ranked_keys(session, text, filters, depth)
    allowed = documents.visible_keys(session, viewer, ranking.keys)
    keys = [key for key in ranking.keys if key in allowed]
    return Ranking(
        keys, ranking.keyword_only, ranking.from_database, ranking.languages, ranking.uncertain
    )


def _ranked_keys(session: Session, text: str, filters: Filters, depth: int) -> Ranking:
    """The ranking in the filter's language (any: all of it), at most ``depth`` keys."""
    asked = depth * LANGUAGE_DEPTH if filters.language else depth
    keys, keyword_only, from_database, languages, uncertain = _ranked_in_any_language(
        session, text, filters, asked
    )
    if filters.language:
        keys = [key for key in keys if languages.get(key) == filters.language]
    return Ranking(keys[:depth], keyword_only, from_database, languages, uncertain)


def _ranked_in_any_language(
    session: Session, text: str, filters: Filters, depth: int
) -> tuple[list[str], bool, bool, dict[str, str], bool]:
    """The index's ranking, or the database's plain matches while no index can answer;
    with each key's content language, and whether nothing in it is certain."""
    try:
        index = searchable_index()
    except SearchUnavailable:
        index = None
    if index is not None:
        try:
            ranked = index.rank(
                text,
                limit=depth,
                weights=ranking_weights(),
                kind=filters.kind,
                tag=filters.tag,
                solved=True if filters.solved_only else None,
                min_similarity=encoding.min_similarity(),
            )
        except Exception as error:  # a file damaged under a running search: never a 500
            log.exception("search failed; answering from the database meanwhile")
            report_damage(index.directory, repr(error))
        else:
            keys = [key for key, _score in ranked.hits]
            languages = {key: ranked.meta.get(key, {}).get("language", "en") for key in keys}
            uncertain = confidence.is_uncertain(text, ranked, encoding.confident_margin())
            return keys, not ranked.semantic, False, languages, uncertain
    keys = fallback.fallback_keys(
        session,
        text,
        kind=filters.kind,
        tag=filters.tag,
        solved_only=filters.solved_only,
        language=filters.language,
        limit=depth,
    )
    # No index to ask: the documents themselves say their language (a plain-match page).
    loaded = documents.load_documents(session, keys)
    return keys, True, True, {key: doc.language for key, doc in loaded.items()}, False


def _results(session: Session, text: str, keys: list[str]) -> list[Result]:
    """Results for visible keys (the caller checked them), from what the index stores: the
    page costs no query per result, however long the threads. The database is read only
    for keys no index can show (its fallback, or a key it lost meanwhile): their public
    documents, as before."""
    shown = _shown_by_index(keys)
    missing = [key for key in keys if key not in shown]
    if missing:
        loaded = documents.load_documents(session, missing)
        shown.update({key: fulltext.shown_fields(doc) for key, doc in loaded.items()})
    slugs = {slug for fields in shown.values() for slug in fields["tags"]}
    names = (
        dict(session.execute(select(Tag.slug, Tag.name).where(Tag.slug.in_(slugs))).all())
        if slugs
        else {}
    )
    results = []
    for key in keys:
        fields = shown.get(key)
        if fields is None:
            continue  # became private between ranking and loading
        source = documents.source(fields["kind"])
        results.append(
            Result(
                key=key,
                kind=fields["kind"],
                label=_(source.label) if source else fields["kind"],
                title=fields["title"],
                url=_url(fields),
                snippet=Markup(snippet(text, fields["excerpt"], fields["language"])),
                tags=[(slug, names.get(slug, slug)) for slug in fields["tags"]],
                solved=fields["solved"],
                updated=fields["updated"],
                language=fields["language"],
            )
        )
    return results


def _shown_by_index(keys: list[str]) -> dict[str, dict]:
    if not keys:
        return {}
    try:
        return searchable_index().fulltext.shown(keys)
    except SearchUnavailable:  # no index yet: the database answered the search too
        return {}
    except Exception:  # a file damaged under a running search: the database shows them
        log.exception("results shown from the database: the index cannot show them")
        return {}


def _url(fields: dict) -> str:
    """Where a result opens: its route made into a URL here, where a request is."""
    route = fields.get("route")
    if route and has_request_context():
        endpoint, values = route
        return url_for(endpoint, **values)
    return fields["url"]
