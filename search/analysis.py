"""Text analysis shared by the index, the queries and the snippets: English and French.

Queries are user text, never Whoosh syntax: they are tokenized with the same analyzers
as the index, so ``"``, ``*``, ``AND(`` or ``title:`` are just characters.
"""

import re
from functools import lru_cache
from html import escape

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StemmingAnalyzer,
    StopFilter,
)
from whoosh.analysis.filters import STOP_WORDS
from whoosh.lang.porter2 import stem as porter2_stem
from whoosh.support.charset import accent_map

from portal.text_language import WORD, clear_language

LANGUAGES = ("en", "fr")
MAX_QUERY_CHARS = 2000  # longer input is truncated: a pasted log should not cost seconds
MAX_QUERY_TERMS = 64  # unique terms per language; keeps the OR query bounded
SNIPPET_CHARS = 200
# Long messages (search.engine reads them passage by passage; see ``passages``).
LONG_MESSAGE_WORDS = 150
PASSAGE_WORDS = 60
MAX_PASSAGES = 6


# Politeness and pleas carry no topic: "Can you help, please?" ends most support questions,
# and matching "help" pulled unrelated articles into suggestions.
SUPPORT_FILLER = frozenset(
    "help helps helped please pls thanks thank thx hi hello hey anyone anybody regards".split()  # noqa: SIM905
)


def english_analyzer() -> Analyzer:
    """English: regex tokens, lowercase, stop words (Whoosh's + filler), porter2 stemming."""
    return StemmingAnalyzer(stemfn=porter2_stem, stoplist=STOP_WORDS | SUPPORT_FILLER)


def french_analyzer() -> Analyzer:
    """French: lowercase, French stop words, Snowball stemming, then accent folding."""
    # Fold accents AFTER stemming: the French stemmer needs the accents, while users
    # often type "probleme" for "problème"; folding both sides makes them meet.
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | StopFilter(lang="fr")
        | StemFilter(lang="fr")
        | CharsetFilter(accent_map)
    )


ANALYZERS: dict[str, Analyzer] = {"en": english_analyzer(), "fr": french_analyzer()}
# Whoosh's RegexTokenizer pattern: the words of a text are the tokens the index was given.
_TOKEN = WORD
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def known_language(language: str | None) -> str:
    """The language itself when the index has analyzers for it, else English."""
    return language if language in LANGUAGES else "en"


def guess_language(text: str, default: str = "en") -> str:
    """The language of a text (portal.text_language's rule), else the default."""
    return clear_language(text) or known_language(default)


def query_terms(text: str, lang: str = "en", most: int | None = MAX_QUERY_TERMS) -> list[str]:
    """Analysed unique query terms for a language, in first-seen order (the first ``most``;
    None: all of the first MAX_QUERY_CHARS)."""
    seen: dict[str, None] = {}
    for token in ANALYZERS[known_language(lang)]((text or "")[:MAX_QUERY_CHARS], mode="query"):
        if token.text and token.text not in seen:
            seen[token.text] = None
            if most is not None and len(seen) >= most:
                break
    return list(seen)


def passages(text: str) -> list[str]:
    """A long message cut into passages of whole sentences (about PASSAGE_WORDS words each),
    for the model to read it all: it reads the first 256 word pieces (about 180 words) of a
    text, and customers often say what is wrong in their last sentence. [] for a short text.
    """
    text = (text or "")[:MAX_QUERY_CHARS]
    if len(_TOKEN.findall(text)) <= LONG_MESSAGE_WORDS:
        return []
    windows: list[list[str]] = [[]]
    words_in_window = 0
    for sentence in _SENTENCE_END.split(text):
        words = len(_TOKEN.findall(sentence))
        if not words:
            continue
        if windows[-1] and words_in_window + words > PASSAGE_WORDS:
            windows.append([])
            words_in_window = 0
        windows[-1].append(sentence.strip())
        words_in_window += words
    return [" ".join(window) for window in windows if window][-MAX_PASSAGES:]


def plain_words(text: str) -> list[str]:
    """Lowercase words as typed (no stemming): what "did you mean" corrects.

    The tokenizer's own pattern as one regex call: this runs for every result shown (the
    language of a community thread is guessed from its words).
    """
    words = _TOKEN.findall((text or "")[:MAX_QUERY_CHARS], 0)[:MAX_QUERY_TERMS]
    return [word.lower() for word in words]


SNIPPET_SURROUND = 20  # characters of context before the first and after the last match
SNIPPET_SCAN_CHARS = 50_000  # a matching word further into a long text is not looked for


@lru_cache(maxsize=65536)
def _index_term(lang: str, word: str) -> str | None:
    """The term one lowercase word is indexed as (None: a stop word).

    Every filter of both analyzers works token by token, so a word analysed alone gives
    the term it gets inside a text; cached, a snippet costs a regex scan and dict lookups
    instead of running the analyzer chain over the whole passage as Whoosh's highlighter
    does (about 1 ms per result of a few hundred words, and more on long articles).
    """
    return next((token.text for token in ANALYZERS[lang](word)), None)


def snippet(query_text: str, text: str, language: str = "en", top: int = 2) -> str:
    """HTML-escaped excerpt of ``text`` with the query's terms wrapped in <mark>.

    The best ``top`` passages of at most SNIPPET_CHARS (most distinct query terms, then
    most matches), in text order, joined by an ellipsis; the beginning of the text when no
    query term occurs in it (a semantic match).
    """
    if not text:
        return ""
    lang = known_language(language)
    wanted = _snippet_terms(query_text, lang)
    matches = []  # (start, end, term number)
    if wanted:
        for found in _TOKEN.finditer(text, 0, SNIPPET_SCAN_CHARS):
            number = wanted.get(_index_term(lang, found.group().lower()))
            if number is not None:
                matches.append((found.start(), found.end(), number))
    if not matches:
        return escape(text[:SNIPPET_CHARS]) + ("…" if len(text) > SNIPPET_CHARS else "")
    passages = _passages(matches, len(text))
    best = sorted(passages, key=lambda p: (-len({m[2] for m in p[2]}), -len(p[2]), p[0]))[:top]
    return "…".join(_marked(text, start, end, hits) for start, end, hits in sorted(best))


@lru_cache(maxsize=256)
def _snippet_terms(query_text: str, lang: str) -> dict[str, int]:
    # A page shows ten snippets of one query: analysed once (read-only: shared by the cache).
    return {term: number for number, term in enumerate(query_terms(query_text, lang))}


def _passages(matches: list[tuple[int, int, int]], length: int) -> list[tuple[int, int, list]]:
    """Group matches into windows of at most SNIPPET_CHARS with some context around them."""
    passages, current = [], []
    for match in matches:
        if current and match[1] - max(current[0][0] - SNIPPET_SURROUND, 0) > SNIPPET_CHARS:
            passages.append(current)
            current = []
        current.append(match)
    passages.append(current)
    windows = []
    for hits in passages:
        start = max(hits[0][0] - SNIPPET_SURROUND, 0)
        end = min(max(hits[-1][1] + SNIPPET_SURROUND, start + SNIPPET_CHARS // 2), length)
        windows.append((start, end, hits))
    return windows


def _marked(text: str, start: int, end: int, hits: list[tuple[int, int, int]]) -> str:
    """text[start:end] escaped, whole words only at the edges, matches in <mark>."""
    if start > 0:  # begin at a word: skip the partial one
        space = text.find(" ", start, hits[0][0])
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", hits[-1][1], end)
        end = space if space >= 0 else end
    out, position = [], start
    for hit_start, hit_end, number in hits:
        out.append(escape(text[position:hit_start]))
        out.append(f'<mark class="match t{number}">{escape(text[hit_start:hit_end])}</mark>')
        position = hit_end
    out.append(escape(text[position:end]))
    return "".join(out).strip()
