"""Automatic topics: trained on the database's tagged content with the real model, proposed
for a text being written (JSON and on a refused form), applied to a new case and routed."""

from proactive import tagging
from tests.factories import make_article, make_tag, make_thread, make_user
from tests.moderation.cases.helpers import make_agent, make_case

WIFI = [
    ("Wi-Fi drops every evening", "My laptop loses the wireless network at 8 pm."),
    ("Weak Wi-Fi upstairs", "The wireless signal is poor in the bedroom."),
    ("Wi-Fi password forgotten", "How do I find the password of my wireless network?"),
    ("Phone will not join the Wi-Fi", "My phone cannot connect to the wireless network."),
    ("Change the Wi-Fi channel", "Neighbours' networks interfere with my wireless."),
    ("Slow wireless on the 5 GHz band", "Devices on Wi-Fi are slow since yesterday."),
]
BILLING = [
    ("Charged twice this month", "My invoice shows the same payment two times."),
    ("Change my bank card", "How do I update the card my bill is paid with?"),
    ("Invoice amount is wrong", "The bill is higher than my plan's price."),
    ("Where are my invoices?", "I need last year's bills for my accountant."),
    ("Refund after cancelling", "I cancelled but was still charged for the month."),
    ("Direct debit failed", "My payment was refused by the bank this month."),
]


def seed_content(s):
    wifi, billing = make_tag(s, "Wi-Fi"), make_tag(s, "Billing")
    author = make_user(s)
    for tag, items in ((wifi, WIFI), (billing, BILLING)):
        for title, body in items:
            make_thread(s, author, title, body=body, tags=[tag])
    make_article(s, title="Pay your bill by card", tags=[billing], body="Pay the invoice online.")
    return wifi, billing


def test_trained_model_proposes_the_topic_of_a_new_text(app, db, semantic, client, tmp_path):
    app.config["PROACTIVE_DIR"] = str(tmp_path / "proactive")
    s = db.session
    wifi, billing = seed_content(s)
    s.commit()
    tagger = tagging.train(s)
    assert tagger is not None and tagger.examples == 13
    assert tagging.model_path().exists()
    proposed = tagging.propose(s, "my wireless connection keeps dropping in the kitchen")
    assert proposed[0][0].slug == wifi.slug
    data = client.get("/proactive/topics?text=I was billed twice for my subscription").get_json()
    assert data["topics"][0]["slug"] == billing.slug


def test_new_case_without_topics_gets_them_and_is_routed(app, db, semantic, tmp_path):
    app.config["PROACTIVE_DIR"] = str(tmp_path / "proactive")
    s = db.session
    wifi, billing = seed_content(s)
    biller = make_agent(s, "bea", skills=[billing])
    s.commit()
    tagging.train(s)
    case = make_case(s, subject="Double charge", body="You took my payment twice this month")
    assert [t.slug for t in case.tags][:1] == [billing.slug]
    assert case.assignee_id == biller.id


def test_no_model_no_proposals_and_nothing_breaks(app, db, client, tmp_path):
    app.config["PROACTIVE_DIR"] = str(tmp_path / "none")
    assert client.get("/proactive/topics?text=my wifi is slow today").get_json() == {"topics": []}
    case = make_case(db.session, subject="Anything", body="Something is wrong with my line")
    assert case.tags == []


def test_refused_question_shows_the_proposals_without_scripts(
    app, db, semantic, client, auth, tmp_path
):
    app.config["PROACTIVE_DIR"] = str(tmp_path / "proactive")
    s = db.session
    seed_content(s)
    make_user(s, "carla")
    s.commit()
    tagging.train(s)
    auth.login("carla")
    response = client.post(
        "/community/ask",
        data={"title": "Wireless keeps dropping", "body": "My Wi-Fi drops every night", "tags": ""},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Proposed topics:" in page and 'data-slug="wi-fi"' in page
