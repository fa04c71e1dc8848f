"""Text analysis shared by the index, the queries and the snippets: English and French.

Queries are user text, never Whoosh syntax: they are tokenized with the same analyzers
as the index, so ``"``, ``*``, ``AND(`` or ``title:`` are just characters.
"""

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
from whoosh.highlight import ContextFragmenter, HtmlFormatter, highlight
from whoosh.lang.porter2 import stem as porter2_stem
from whoosh.support.charset import accent_map

LANGUAGES = ("en", "fr")
MAX_QUERY_CHARS = 2000  # longer input is truncated: a pasted log should not cost seconds
MAX_QUERY_TERMS = 64  # unique terms per language; keeps the OR query bounded
SNIPPET_CHARS = 200


def english_analyzer() -> Analyzer:
    """English: regex tokens, lowercase, English stop words, porter2 stemming."""
    return StemmingAnalyzer(stemfn=porter2_stem)


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
_WORDS = RegexTokenizer() | LowercaseFilter()


def known_language(language: str | None) -> str:
    """The language itself when the index has analyzers for it, else English."""
    return language if language in LANGUAGES else "en"


# A word list reads best as text.
_FRENCH_HINTS = frozenset(
    "le la les des du un une est et pas je mon ma mes ne que qui pour avec sur dans ce cette "  # noqa: SIM905
    "il elle nous vous sont été avoir être au aux mais ou donc car depuis quand comment".split()
)
_ENGLISH_HINTS = frozenset(
    "the a an is and not i my me that which for with on in this it we you are was have be "  # noqa: SIM905
    "to of but or so because since when how what".split()
)


def clear_language(text: str) -> str | None:
    """The language common function words point to ("fr" or "en"), None if they do not tell."""
    words = plain_words(text[:2000])
    french = sum(word in _FRENCH_HINTS for word in words)
    english = sum(word in _ENGLISH_HINTS for word in words)
    if french == english:
        return None
    return "fr" if french > english else "en"


def guess_language(text: str, default: str = "en") -> str:
    """The language of a text (community posts carry none), else the default."""
    return clear_language(text) or known_language(default)


def query_terms(text: str, lang: str = "en") -> list[str]:
    """Analysed unique query terms for a language, in first-seen order."""
    seen: dict[str, None] = {}
    for token in ANALYZERS[known_language(lang)]((text or "")[:MAX_QUERY_CHARS], mode="query"):
        if token.text and token.text not in seen:
            seen[token.text] = None
            if len(seen) >= MAX_QUERY_TERMS:
                break
    return list(seen)


def plain_words(text: str) -> list[str]:
    """Lowercase words as typed (no stemming): what "did you mean" corrects."""
    return [token.text for token in _WORDS((text or "")[:MAX_QUERY_CHARS])][:MAX_QUERY_TERMS]


def snippet(query_text: str, text: str, language: str = "en", top: int = 2) -> str:
    """HTML-escaped excerpt of ``text`` with the query's terms wrapped in <mark>."""
    if not text:
        return ""
    lang = known_language(language)
    terms = query_terms(query_text, lang)
    formatter = HtmlFormatter(tagname="mark", classname="match", termclass="t")
    # highlight() escapes the text around the marks itself, so the result is safe HTML.
    fragment = ContextFragmenter(maxchars=SNIPPET_CHARS)
    out = highlight(text, terms, ANALYZERS[lang], fragment, formatter, top=top) if terms else ""
    if not out:  # no term occurs in this text (a semantic match): show its beginning
        return escape(text[:SNIPPET_CHARS]) + ("…" if len(text) > SNIPPET_CHARS else "")
    return out
