"""The pseudo-language reader: what it counts as translated, and what it does not."""

import re

from tests.i18n.pseudo import untranslated_in_page


def caught(page: str) -> list[str]:
    """The words the reader reports, in page order."""
    found = untranslated_in_page(page, "text/html")
    return [word for problem in found for word in re.findall(r"\((.*)\)$", problem)[0].split(", ")]


def test_a_sentence_with_a_link_inside_is_one_catalog_text():
    page = '<p>⟦In “<a href="/t/1">zqtitle</a>”, by <span>Zqname1</span>:⟧</p>'
    assert untranslated_in_page(page, "text/html") == []
    page = '<p>⟦Try other words, or <a href="/search">search without filters</a>.⟧</p>'
    assert untranslated_in_page(page, "text/html") == []


def test_words_between_elements_outside_a_catalog_text_are_caught():
    page = "<p>⟦Question⟧ by <a>Zqname1</a> on <time>1 Dec</time></p>"
    assert caught(page) == ["by", "on"]


def test_a_link_outside_a_catalog_text_is_read_on_its_own():
    assert caught('<p>⟦Read more⟧ <a href="/x">Forgotten link</a></p>') == ["Forgotten", "link"]


def test_an_unclosed_mark_is_reported_with_the_words_after_it():
    assert caught("<p>⟦Reply in “</p><p>stray") == ["Reply", "in", "stray"]
