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

    # WTForms asks for these names.
    ugettext, ungettext = gettext, ngettext


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
        # Text of a catalog sentence still open: one with a link or a name in it ("In
        # “<a>…</a>”, by …") spans several text nodes, and is read once it closes.
        self._open_text = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in SKIPPED_ELEMENTS:
            self._skipping.append(tag)
        for name, value in attributes.items():
            if value and (name in ATTRIBUTES or (name == "content" and tag == "meta")):
                self._check(value, f"<{tag} {name}>")
        if tag == "input" and attributes.get("type") in {"submit", "button", "reset"}:
            self._check(attributes.get("value") or "", "<input value>")

    def handle_endtag(self, tag):
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data):
        if self._skipping:
            return
        self._open_text += data
        if self._open_text.count(OPEN) > self._open_text.count(CLOSE):
            return
        self._check(self._open_text, "text")
        self._open_text = ""

    def close(self):
        super().close()
        if self._open_text:
            self._check(self._open_text, "text")

    def _check(self, text: str, where: str) -> None:
        words = untranslated(text)
        if words:
            self.found.append(f"{where}: {' '.join(text.split())[:120]!r} ({', '.join(words)})")


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
