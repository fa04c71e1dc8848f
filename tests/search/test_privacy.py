"""A deleted member's searches stay for the numbers, no longer tied to the account."""

from portal import privacy
from search import analytics
from tests.factories import PASSWORD, make_user


def test_searches_are_listed_then_untied_from_a_deleted_account(db):
    member = make_user(db.session)
    query = analytics.log_query(db.session, "Router Lights", 3, "browser-1", member.id)

    searches = privacy.collect_data(db.session, member)["search"]["searches"]
    assert [(s["text"], s["results"]) for s in searches] == [("router lights", 3)]

    privacy.delete_account(db.session, member, member, password=PASSWORD)

    assert (query.user_id, query.text, query.session_id) == (None, "router lights", "browser-1")
