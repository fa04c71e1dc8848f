"""Suggestions on the Contact support form, and a request sent anyway ends the flow."""

from sqlalchemy import select

from search.models import DeflectionEvent
from tests.factories import make_article, make_user


def test_contact_form_suggests_and_a_request_sent_anyway_is_recorded(client, db, auth, search_app):
    agent = make_user(db.session, "sam", role="agent")
    make_user(db.session, "jordan")
    make_article(db.session, agent, "Resetting your router", body="Hold the reset button.")
    db.session.commit()
    auth.login("jordan")
    form = client.get("/support/contact").get_data(as_text=True)
    assert 'data-fields="subject body"' in form and "suggest.js" in form
    assert client.get("/search/suggest?q=router needs a reset").get_json()["suggestions"]
    sent = client.post(
        "/support/contact",
        data={"subject": "Router still broken", "body": "Reset did not help.", "topics": ""},
    )
    assert sent.status_code == 302
    steps = [
        e.step for e in db.session.scalars(select(DeflectionEvent).order_by(DeflectionEvent.id))
    ]
    assert steps == ["shown", "request"]
