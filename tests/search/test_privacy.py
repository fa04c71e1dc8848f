"""A deleted member's searches stay for the numbers, no longer tied to the account."""

from portal import privacy
from search.models import SearchQuery
from tests.factories import PASSWORD, make_user


def test_searches_are_listed_then_untied_from_a_deleted_account(db):
    member = make_user(db.session)
    query = SearchQuery(text="router lights", results_count=3, session_id="browser-1",
                        user_id=member.id)  # fmt: skip
    db.session.add(query)
    db.session.flush()

    searches = privacy.collect_data(db.session, member)["search"]["searches"]
    assert [(s["text"], s["results"]) for s in searches] == [("router lights", 3)]

    privacy.delete_account(db.session, member, member, password=PASSWORD)

    assert (query.user_id, query.text, query.session_id) == (None, "router lights", "browser-1")
