"""Which language a text is written in: English or French, told by its common small words.

Content knows its language (articles, threads and posts store it): set by the author, or
detected here when it is written. Search uses the same rule for its analyzers.
"""

import re

# The words of a text as Whoosh's tokenizer cuts them (search indexes the same words).
WORD = re.compile(r"\w+(?:\.?\w+)*")
CONTENT_LANGUAGES = ("en", "fr")

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
    words = [word.lower() for word in WORD.findall((text or "")[:2000])]
    french = sum(word in _FRENCH_HINTS for word in words)
    english = sum(word in _ENGLISH_HINTS for word in words)
    if french == english:
        return None
    return "fr" if french > english else "en"


def detect_language(text: str, default: str = "en") -> str:
    """The language of a text, else ``default`` when its words do not tell."""
    return clear_language(text) or (default if default in CONTENT_LANGUAGES else "en")
