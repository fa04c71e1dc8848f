"""Typo tolerance (search.spelling) and exact items (codes, numbers, quoted phrases) first."""

import time

import pytest

from search import engine, fulltext
from search.engine import SearchIndex
from search.exact import exact_items
from search.fulltext import Document, FullTextIndex
from search.ranking import RankingWeights

DOCS = [
    Document(
        "thread:1",
        "thread",
        "Cannot change my Wi-Fi password",
        body="The password field is greyed out in the app.",
        replies="Try the thermostat pairing menu while offline.",
    ),
    Document(
        "thread:2", "thread", "Cancel my subscription", body="How do I cancel before renewal?"
    ),
    Document(
        "article:3",
        "article",
        "Comprendre votre facture",
        body="Le problème le plus courant : la facture électronique arrive en retard.",
        language="fr",
    ),
    Document(
        "thread:4",
        "thread",
        "Thermostat offline every night",
        body="The sensor goes offline at night.",
    ),
]


@pytest.fixture
def index(tmp_path):
    index = FullTextIndex(tmp_path / "ft")
    index.upsert(DOCS)
    return index


def keys(hits):
    return [key for key, _ in hits]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("facure", "article:3"),
        ("pasword", "thread:1"),
        ("cancle subscripton", "thread:2"),
        ("thermostst ofline", "thread:4"),
    ],
)
def test_misspelt_words_find_what_the_right_spelling_finds(index, typed, expected):
    assert keys(index.search(typed))[0] == expected


def test_words_the_index_knows_are_never_corrected(index):
    # Stop words and politeness are known, though never indexed; so is a French word typed
    # with or without its accents, and a word only found in replies.
    for text in ("can you help me please", "le problème", "le probleme", "pairing", "password"):
        assert index.corrected(text) is None, text
        assert index.typo_corrections(text) == [], text
    assert index.corrected("cancle my pasword") == "cancel my password"


def test_a_correction_counts_less_than_the_word_as_typed(tmp_path):
    index = FullTextIndex(tmp_path / "ft")
    index.upsert(
        [
            Document("thread:1", "thread", "Router reboots", body="My router reboots."),
            Document("thread:2", "thread", "Routers", body="Which routers reboot at night?"),
        ]
    )
    # "rebots" is one edit from "reboots" (both documents): "night" decides, and a typed
    # word outweighs a corrected one.
    hits = dict(index.search("rebots night"))
    assert hits["thread:2"] > hits["thread:1"] > 0


def test_new_words_are_learnt_as_the_index_changes(index, monkeypatch):
    from search import spelling

    assert index.typo_corrections("zepelin") == []
    monkeypatch.setattr(spelling, "REFRESH_SECONDS", 0.0)
    index.upsert([Document("thread:8", "thread", "Zeppelin mode on the hub")])
    # The search that notices the change goes on with the old words; a thread learns the
    # new ones meanwhile.
    deadline = time.monotonic() + 10
    while index.typo_corrections("zepelin") != ["zeppelin"]:
        assert time.monotonic() < deadline, "the vocabulary was never refreshed"
        time.sleep(0.05)


def test_short_unknown_words_and_codes_are_not_corrected(index):
    assert index.typo_corrections("wat") == []
    assert index.typo_corrections("pa55word E-1042") == []


def test_corrections_can_be_weighted_out(index, monkeypatch):
    monkeypatch.setattr(fulltext, "TYPO_WEIGHT", 0.0)
    assert index.search("facure") == []


def test_exact_items_are_codes_long_numbers_and_quoted_phrases():
    assert exact_items("error E-1042 on boot") == ["E-1042"]
    assert exact_items("order 55821, still missing!") == ["55821"]
    assert exact_items('my X200 says "no signal found"') == ["no signal found", "X200"]
    assert exact_items("« carte refusée » depuis 2 jours") == ["carte refusée"]
    # Too short to single anything out, or a price, a year, a count said among words.
    assert exact_items("v2 of the app, bought in 2024 for 1500, the 1st one") == []
    # An unbalanced quotation mark opens no phrase of a whole paragraph.
    assert exact_items('he said "wait until we say our prayer and then we eat" and left') == []


def test_the_only_thread_naming_a_code_comes_first_among_a_hundred_alike(model, tmp_path):
    similar = [
        Document(f"thread:{n}", "thread", f"Hub shows an error when it starts ({n})",
                 body="After a restart the hub shows an error code on its screen and the "
                      "internet light stays orange. What does the error mean?")
        for n in range(1, 101)
    ]  # fmt: skip
    named = Document("thread:500", "thread", "Error on the screen",
                     body="My hub displays E-4471 and then nothing works.")  # fmt: skip
    index = SearchIndex(tmp_path / "idx")
    index.rebuild([*similar, named])
    ranked = index.rank("the hub shows error E-4471 when it starts", limit=20)
    assert ranked.hits[0][0] == "thread:500"
    # Keyword-only and with the candidates of a benchmark too.
    keyword = RankingWeights(bm25_weight=1.0, semantic_weight=0.0)
    assert index.rank("error E-4471", weights=keyword).hits[0][0] == "thread:500"
    candidates = ["thread:1", "thread:2", "thread:500"]
    assert index.rank("E-4471", candidates=candidates).hits[0][0] == "thread:500"


def test_a_quoted_phrase_puts_the_documents_holding_it_first(model, tmp_path):
    index = SearchIndex(tmp_path / "idx")
    index.rebuild(
        [
            Document(
                "thread:1",
                "thread",
                "Remote does not pair",
                body="The remote will not pair with the box, pairing fails.",
            ),
            Document(
                "thread:2",
                "thread",
                "Box says pairing failed",
                body="The screen says “pairing code expired” after a minute.",
            ),
        ]  # fmt: skip
    )
    assert index.rank('"pairing code expired" remote').hits[0][0] == "thread:2"


def test_a_common_number_is_not_treated_as_an_identifier(tmp_path, monkeypatch):
    monkeypatch.setattr(fulltext, "EXACT_MAX_DOCUMENTS", 3)
    index = FullTextIndex(tmp_path / "ft")
    index.upsert(
        [Document(f"thread:{n}", "thread", f"Plan 202611 bill number {n}") for n in range(1, 6)]
    )
    assert index.exact_matches("my 202611 bill") == {}
    index.upsert([Document("thread:9", "thread", "Order 778812 never arrived")])
    assert index.exact_matches("order 778812") == {"thread:9": 1}


# A customer's long message: thanks and life story first, the problem in its last sentence.
LONG_MESSAGE = (
    "Hello, I have been a customer for six years and I have always been happy with the "
    "service, and I want to say that first because this is not a complaint. My family and I "
    "live in a small town and for a long time we had no good connection at all, so when your "
    "team arrived it changed our lives: my children can do their homework, my partner can "
    "work from home, and my parents call us from abroad every Sunday. Last spring we moved "
    "house to the other side of town and everything followed us without a problem. Your "
    "people were always polite and patient with me when I called, even when I asked the same "
    "question twice, and I have recommended you to my neighbours and to my colleagues at "
    "work. I also like the app, which is easy to read, and the way the monthly amount is "
    "explained. I am not very good with technology, so please excuse me if this is a silly "
    "question, and I have read the help pages for an hour before writing. I tried to find "
    "the answer myself and asked my son, but he did not know either, and he is usually the "
    "one who fixes everything at home. So here is my question, and thank you in advance for "
    "your time. Every single night, around two in the morning, the thermostat on the wall says "
    "that its temperature sensor is offline, and in the morning the house is cold."
)
ARTICLES_ON_THE_STORY = [
    Document(
        "article:1",
        "article",
        "Thermostat sensor offline at night",
        body="When the thermostat reports its sensor offline overnight, replace the sensor "
        "battery and move the sensor closer to the hub.",
    ),
    Document(
        "article:2",
        "article",
        "Move house with Brightwave",
        body="Your contract and line follow you when you move house.",
    ),
    Document(
        "article:3",
        "article",
        "Understand your invoice",
        body="The monthly amount, the direct debit date and your contract.",
    ),
    Document(
        "article:4",
        "article",
        "Call us from abroad",
        body="Calling customer service from another country: numbers and prices.",
    ),
    Document(
        "article:5",
        "article",
        "Homework and video calls at the same time",
        body="Share the connection in the family: children's homework, working from home.",
    ),
    Document(
        "article:6",
        "article",
        "Recommend us to a neighbour",
        body="Refer a friend or a colleague and both get a month free.",
    ),
    Document(
        "article:7",
        "article",
        "Getting started with the app",
        body="The app is easy: read your bill, see your line, ask the help pages.",
    ),
    Document(
        "article:8",
        "article",
        "Help pages and how to contact us",
        body="Read the help pages, then call us, we answer your question patiently.",
    ),
    Document(
        "article:9",
        "article",
        "Parental controls for children",
        body="Control what the children see at home.",
    ),
    Document(
        "article:10",
        "article",
        "Good connection in a small town",
        body="Fibre arrives in small towns: when your team arrives to connect.",
    ),
    Document(
        "article:11",
        "article",
        "Technology for beginners",
        body="Not good with technology? Ask your son or a neighbour, or our team.",
    ),
]


def test_a_long_message_is_read_to_its_last_sentence(model, tmp_path, monkeypatch):
    index = SearchIndex(tmp_path / "idx")
    index.rebuild(ARTICLES_ON_THE_STORY)
    assert len(LONG_MESSAGE.split()) > 200  # past what the model reads of one text
    assert index.rank(LONG_MESSAGE).hits[0][0] == "article:1"
    # Read as one text (its first 256 word pieces), the message is about something else.
    monkeypatch.setattr(engine, "passages", lambda text: [])
    assert "article:1" not in [key for key, _ in index.rank(LONG_MESSAGE).hits[:5]]
