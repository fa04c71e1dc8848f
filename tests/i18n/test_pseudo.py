"""The pseudo-language reader: what it counts as translated, and what it does not."""

from tests.i18n.pseudo import untranslated_in_page


def test_a_sentence_with_a_link_inside_is_one_catalog_text():
    page = '<p>⟦In “<a href="/t/1">zqtitle</a>”, by <span>Zqname1</span>:⟧</p>'
    assert untranslated_in_page(page, "text/html") == []


def test_words_between_elements_outside_a_catalog_text_are_caught():
    page = "<p>⟦Question⟧ by <a>Zqname1</a> on <time>1 Dec</time></p>"
    assert untranslated_in_page(page, "text/html") == [
        "text: '⟦Question⟧ by' (by)",
        "text: 'on' (on)",
    ]


def test_an_unclosed_mark_is_read_at_the_end_of_the_page():
    assert untranslated_in_page("<p>⟦Reply in “</p><p>stray", "text/html") == [
        "text: '⟦Reply in “stray' (Reply, in, stray)"
    ]
