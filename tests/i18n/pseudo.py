"""A pseudo-language that shows which text came from the catalogs, and a reader that finds
the text that did not.

``pseudo_translations()`` makes every gettext call — Python, templates, lazy strings,
form labels, WTForms' own messages — answer ``⟦original⟧``. A page rendered under it then
shows interface text only inside ⟦ ⟧; the people's content of the test world is written
in a made-up language whose words start with "zq". Anything else with letters is a
string someone forgot to put through the catalogs.
"""

import json
import re
from contextlib import contextmanager
from gettext import NullTranslations
from html.parser import HTMLParser
from unittest import mock

OPEN, CLOSE = "⟦", "⟧"
# Texts that are no sentence of the interface: the site's and the languages' own names,
# abbreviations read the same in every language.
ALLOWED = {"care", "portal", "english", "français", "utc", "csv", "json", "sla", "nps"}
ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description"}
SKIPPED_ELEMENTS = {"script", "style", "time", "code", "pre"}
# Phrasing elements may stand inside a translated sentence ("⟦Asked by <a>name</a> on
# <time>…</time>⟧"): the sentence is read around them, each of them on its own.
INLINE_ELEMENTS = {
    *("a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins"),
    *("kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u"),
    "var",
}
# Phrasing elements without an end tag: a picture beside a name (an avatar) stands inside a
# sentence without ending it.
INLINE_VOID_ELEMENTS = {"img", "wbr"}
# Elements without an end tag: never pushed on the stack of skipped elements.
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}
WORD = re.compile(r"[^\W\d_]{2,}")
MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")


class PseudoTranslations(NullTranslations):
    def gettext(self, message):
        return f"{OPEN}{message}{CLOSE}"

    def ngettext(self, singular, plural, n):
        return f"{OPEN}{singular if n == 1 else plural}{CLOSE}"

    def pgettext(self, context, message):
        return self.gettext(message)

    def npgettext(self, context, singular, plural, n):
        return self.ngettext(singular, plural, n)

    # Flask-Babel's pgettext and npgettext (messages with a context) ask for these.
    upgettext, unpgettext = pgettext, npgettext

    # WTForms asks for these names.
    ugettext, ungettext = gettext, ngettext
    # Flask-Babel's pgettext and npgettext (messages with a context) ask for these.
    upgettext, unpgettext = pgettext, npgettext


@contextmanager
def pseudo_translations():
    """Every catalog lookup in the block answers in the pseudo-language."""
    pseudo = PseudoTranslations()
    with (
        mock.patch("flask_babel.Domain.get_translations", lambda self: pseudo),
        mock.patch("flask_wtf.i18n._get_translations", lambda: pseudo),
    ):
        yield


def untranslated(text: str) -> list[str]:
    """The words of ``text`` that are neither marked, content (zq…), nor allowed."""
    while MARKED.search(text):
        text = MARKED.sub(" ", text)
    return [
        word
        for word in WORD.findall(text)
        if not word.lower().startswith("zq") and word.lower() not in ALLOWED
    ]


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skipping: list[str] = []
        # The text of the block being read, then of each open phrasing element inside it:
        # an element's own text is checked alone, and stands as a blank in the text around.
        self._texts: list[list[str]] = [[]]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in INLINE_ELEMENTS:
            self._texts.append([])
        elif tag not in INLINE_VOID_ELEMENTS:
            self._end_block()
        # Skipped: code, dates, and what HTML marks as not to be translated (translate="no":
        # usernames, time zone identifiers), with every element inside them.
        skipped = tag in SKIPPED_ELEMENTS or attributes.get("translate") == "no"
        if (self._skipping or skipped) and tag not in VOID_ELEMENTS:
            self._skipping.append(tag)
        if tag == "time":
            return  # its text and title are Babel's dates, in the page's language
        read = ATTRIBUTES | ({"content"} if _described(tag, attributes) else set())
        if self._skipping or skipped:
            read = set()  # translate="no" covers the element's attributes too (a file's name)
        for name, value in attributes.items():
            if value and name in read:
                self._check(value, f"<{tag} {name}>")
        if tag == "input" and attributes.get("type") in {"submit", "button", "reset"}:
            self._check(attributes.get("value") or "", "<input value>")

    def handle_endtag(self, tag):
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()
        if tag in INLINE_ELEMENTS and len(self._texts) > 1:
            inner, around = "".join(self._texts.pop()), "".join(self._texts[-1])
            if around.count(OPEN) > around.count(CLOSE):
                self._texts[-1].append(inner)  # a link inside a translated sentence
            else:
                self._check(inner, "text")
                self._texts[-1].append(" ")
        elif tag not in INLINE_ELEMENTS:
            self._end_block()

    def handle_data(self, data):
        if not self._skipping:
            self._texts[-1].append(data)

    def close(self):
        super().close()
        self._end_block()

    def _end_block(self) -> None:
        """Check the text read since the last block boundary (a tag that is no phrasing)."""
        for text in reversed(self._texts):
            self._check("".join(text), "text")
        self._texts = [[]]

    def _check(self, text: str, where: str) -> None:
        words = untranslated(text)
        if words:
            self.found.append(f"{where}: {' '.join(text.split())[:120]!r} ({', '.join(words)})")


def _described(tag: str, attributes: dict) -> bool:
    """A <meta> whose content people read (a description), not a browser's setting
    such as the viewport."""
    return tag == "meta" and attributes.get("name") in {"description", "keywords"}


def untranslated_in_page(body: str, mimetype: str) -> list[str]:
    """Every piece of interface text of a response that did not come from a catalog."""
    if mimetype == "application/json":
        return [
            f"json: {value!r}"
            for value in _json_strings(json.loads(body))
            if not value.startswith(("/", "http")) and untranslated(value)
        ]
    if mimetype == "text/csv":
        header = body.splitlines()[0] if body else ""
        return [f"csv header: {header!r}"] if untranslated(header) else []
    reader = _Reader()
    reader.feed(body)
    reader.close()
    return reader.found


def _json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)
