"""The case page's suggested articles and similar solved threads come from search (by the
customer's words), restricted to what a visitor may open, with the tag match as fallback."""

import pytest

from community.solutions import accept_solution
from moderation.cases import queries
from search import service as search_service
from tests.factories import make_article, make_reply, make_tag, make_thread, make_user
from tests.moderation.cases.helpers import make_agent, make_case

ORANGE_BODY = "Orange means the hub is installing new firmware. Leave it ten minutes."


@pytest.fixture
def fresh_index(app, tmp_path, monkeypatch):
    """A search index of this test's own, built from the database on first use (keyword-only)."""
    monkeypatch.setitem(app.config, "SEARCH_INDEX_DIR", str(tmp_path / "index"))
    assert not app.config["SEARCH_SEMANTIC_ENABLED"]


def solved_thread(s, title: str, body: str, tags):
    thread = make_thread(s, title=title, body=body, tags=tags)
    answer = make_reply(s, thread, body="Wait for the firmware update to finish.")
    accept_solution(s, thread.author, thread, answer)
    return thread


def test_article_matching_the_customers_words_is_suggested_without_shared_tags(
    db, fresh_index, client, auth
):
    s = db.session
    router, billing, cameras = make_tag(s, "Router"), make_tag(s, "Billing"), make_tag(s, "Cameras")
    agent = make_agent(s, "sam")
    orange = make_article(
        s, agent, "Orange hub light after a firmware update", tags=[router], body=ORANGE_BODY
    )
    make_article(
        s,
        agent,
        "Change your billing address",
        tags=[billing],
        body="Open Account, then Billing, and type the new address.",
    )
    make_article(
        s, agent, "Orange light: draft notes", tags=[router], body=ORANGE_BODY, publish=False
    )
    case = make_case(
        s,
        subject="Hub light stays orange",
        body="Since the firmware update last night the light on my hub is orange.",
        tags=[cameras],
    )
    s.commit()
    assert [article.title for article in queries.suggested_articles(s, case)] == [orange.title]
    auth.login("sam")
    page = client.get(f"/desk/cases/{case.id}").get_data(as_text=True)
    assert f"Insert link: {orange.title}" in page
    assert "draft notes" not in page and "billing address" not in page


def test_similar_threads_are_solved_public_ones_and_never_the_cases_own(db, fresh_index):
    s = db.session
    router, cameras = make_tag(s, "Router"), make_tag(s, "Cameras")
    customer = make_user(s, "jordan")
    own = make_thread(
        s,
        customer,
        "Hub light orange since the firmware update",
        body="The hub light is orange since the firmware update.",
        tags=[cameras],
    )
    solved = solved_thread(
        s,
        "Orange hub light after firmware update",
        "My hub light turned orange after a firmware update.",
        [router],
    )
    make_thread(
        s,
        title="Orange hub light, no answer yet",
        body="Hub light orange after the firmware update.",
        tags=[router],
    )
    case = make_case(s, thread=own)
    s.commit()
    assert queries.similar_solved_threads(s, case) == [solved]


def test_tag_match_when_search_finds_nothing_or_fails(db, fresh_index, monkeypatch):
    s = db.session
    router = make_tag(s, "Router")
    agent = make_agent(s)
    tagged = make_article(s, agent, "Router basics", tags=[router], body="Plug it in.")
    tagged_thread = solved_thread(s, "Router basics question", "How do I plug it in?", [router])
    case = make_case(s, subject="Qwzx vbnm", body="Plkj mnbv.", tags=[router])
    s.commit()
    assert queries.suggested_articles(s, case) == [tagged]
    assert queries.similar_solved_threads(s, case) == [tagged_thread]

    def broken(*args, **kwargs):
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(search_service, "best_matches", broken)
    case.body = "Plug it in please"
    assert queries.suggested_articles(s, case) == [tagged]
    assert queries.similar_solved_threads(s, case) == [tagged_thread]


def test_search_hits_come_first_then_tag_matches_fill_up(db, fresh_index):
    s = db.session
    router, cameras = make_tag(s, "Router"), make_tag(s, "Cameras")
    agent = make_agent(s)
    by_tag = make_article(s, agent, "Camera mounting", tags=[cameras], body="Screws and plugs.")
    by_words = make_article(
        s,
        agent,
        "Reset a frozen hub",
        tags=[router],
        body="Hold the reset button of the frozen hub for ten seconds.",
    )
    case = make_case(
        s, subject="My hub is frozen", body="Frozen hub, nothing works.", tags=[cameras]
    )
    s.commit()
    assert queries.suggested_articles(s, case) == [by_words, by_tag]
