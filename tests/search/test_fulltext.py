"""Full-text index: analysis, languages, filters, hostile queries, spelling, corruption recovery."""

from datetime import datetime

import pytest

from search import fulltext
from search.analysis import query_terms, snippet
from search.fulltext import Document, FullTextIndex


@pytest.fixture
def ft(tmp_path):
    ix = FullTextIndex(tmp_path / "idx")
    ix.upsert(
        [
            Document(
                "article:1",
                "article",
                "Resetting your router",
                "Hold the reset button for ten seconds.",
                tags=["Network", "wifi"],
                updated=datetime(2024, 1, 2),
            ),
            Document(
                "thread:7",
                "thread",
                "Printer offline after update",
                "My printer shows offline.",
                replies="Reinstall the driver.",
                solved=True,
                tags=["printing"],
            ),
            Document(
                "thread:8",
                "thread",
                "Mon imprimante ne fonctionne plus",
                "Quel est le problème avec les imprimantes laser ?",
                language="fr",
            ),
        ]
    )
    return ix


def keys(results):
    return [k for k, _ in results]


def test_stemming_plural_finds_singular(ft):
    assert keys(ft.search("routers")) == ["article:1"]
    assert keys(ft.search("resets")) == ["article:1"]


def test_french_doc_found_by_french_query(ft):
    assert "thread:8" in keys(ft.search("imprimantes"))
    # accents folded after stemming: typed without the accent still matches
    assert "thread:8" in keys(ft.search("probleme"))


def test_pleas_and_thanks_do_not_match_anything(ft):
    ft.upsert([Document("article:2", "article", "Get help from us", "Please call us, thanks.")])
    assert keys(ft.search("Hi, can anyone help please? Thanks")) == []
    assert keys(ft.search("router reset, please help")) == ["article:1"]


def test_replies_are_searchable(ft):
    assert keys(ft.search("driver")) == ["thread:7"]


def test_filters(ft):
    assert keys(ft.search("printer router", kind="article")) == ["article:1"]
    assert keys(ft.search("printer router", solved=True)) == ["thread:7"]
    assert keys(ft.search("printer router", tag="NETWORK")) == ["article:1"]
    assert keys(ft.search("printer router", allowed_keys=["thread:7"])) == ["thread:7"]
    assert ft.search("printer router", allowed_keys=[]) == []


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '"unbalanced quote',
        "router*",
        "*",
        "AND(",
        "title:router",
        "body:(a OR",
        "router AND OR NOT",
        "(((",
        "?~^2",
        "x" * 5000,
        "router " * 1000,
        "",
        "   ",
        "the and of",
        "\x00\x01",
        "😀 routeur",
        "[a TO b]",
        "<script>alert(1)</script>",
    ],
)
def test_hostile_queries_never_raise(ft, q):
    assert isinstance(ft.search(q), list)


def test_syntax_is_plain_text(ft):
    # "title:router" must behave like the words "title" and "router", not a field query
    assert keys(ft.search("title:router")) == ["article:1"]


def test_upsert_replaces_and_delete_removes(ft):
    ft.upsert([Document("article:1", "article", "Billing FAQ", "Invoices and refunds.")])
    assert ft.search("router") == []
    assert keys(ft.search("invoices")) == ["article:1"]
    assert ft.delete(["article:1", "article:404"]) == 1
    assert ft.search("invoices") == []
    assert ft.doc_count() == 2


def test_missing_dir_is_created(tmp_path):
    ix = FullTextIndex(tmp_path / "new" / "idx")
    assert ix.report.created and not ix.report.rebuilt
    assert ix.doc_count() == 0


def test_corrupt_index_is_rebuilt_empty(ft, tmp_path):
    path = ft.path
    for f in path.rglob("*"):  # garble every file: TOC, segments and the numpy postings
        if f.is_file():
            f.write_bytes(b"\x00garbage" * 7)
    (path / "README.txt").write_text("not ours")
    ix = FullTextIndex(path)
    assert ix.report.rebuilt and ix.report.reason
    assert (path / "README.txt").read_text() == "not ours"  # foreign files survive
    assert ix.doc_count() == 0
    ix.upsert([Document("thread:1", "thread", "Router again", "")])
    assert keys(ix.search("router")) == ["thread:1"]


def test_truncated_segment_is_rebuilt(ft):
    seg = max(ft.path.glob("*.seg"), key=lambda p: p.stat().st_size)
    seg.write_bytes(seg.read_bytes()[:20])
    assert FullTextIndex(ft.path).report.rebuilt


def test_query_terms_and_snippet():
    assert query_terms("The Routers are resetting", "en") == ["router", "reset"]
    html = snippet("routers", "Reset the <b>router</b> & wait.")
    assert '<mark class="match' in html and "&lt;b&gt;" in html and "&amp;" in html
    assert snippet("zzz", "no match here") == "no match here"


def test_solution_is_searchable_and_metadata_is_stored(ft):
    ft.upsert([Document("thread:9", "thread", "Slow line", "", solution="Swap the splitter.")])
    assert keys(ft.search("splitter")) == ["thread:9"]
    meta = ft.metadata(["article:1", "thread:7", "thread:404"])
    assert meta["article:1"]["kind"] == "article" and meta["article:1"]["tags"] == [
        "network",
        "wifi",
    ]
    assert meta["thread:7"]["solved"] is True and "thread:404" not in meta


def test_did_you_mean_corrects_unknown_words_only(ft):
    assert ft.corrected("rooter resett") == "router reset"
    assert ft.corrected("printer offline") is None  # every word is known
    assert ft.corrected("imprimente") == "imprimante"


def test_replace_all_swaps_the_content(ft):
    assert ft.replace_all([Document("thread:1", "thread", "Only one", "")]) == 1
    assert ft.doc_count() == 1 and ft.search("router") == []


def test_an_index_made_before_results_were_stored_still_serves(tmp_path, monkeypatch):
    new_schema = fulltext.build_schema

    def schema_before():
        schema = new_schema()
        schema.remove(fulltext.SHOWN_FIELD)
        return schema

    monkeypatch.setattr(fulltext, "build_schema", schema_before)
    FullTextIndex(tmp_path).upsert([Document("thread:1", "thread", "Router resets", "Often.")])
    monkeypatch.undo()
    index = FullTextIndex(tmp_path)  # not rebuilt: its results come from the database
    assert not index.report.is_new and index.stale is None
    index.upsert([Document("thread:2", "thread", "Modem lights", "Blinking.")])
    assert index.shown(["thread:1", "thread:2"]) == {}
    assert {key for key, _score in index.search("router modem")} == {"thread:1", "thread:2"}
    fresh = FullTextIndex(tmp_path / "new")
    fresh.upsert([Document("thread:3", "thread", "Modem lights", "Blinking.", url="/t/3")])
    assert fresh.shown(["thread:3"])["thread:3"]["title"] == "Modem lights"
