"""The reply being written survives inserting a macro or a link and adding a note, with
and without JavaScript; "Move to" starts at the current status; macros in the customer's
language first."""

from sqlalchemy import select

from moderation.cases import drafts, macros, service
from moderation.cases.drafts import ReplyDraft
from portal.permissions import Role
from tests.factories import make_article, make_tag, make_thread, make_user
from tests.moderation.cases.helpers import make_agent, make_case

JSON = {"Accept": "application/json"}


def setup_case(s):
    agent = make_agent(s, "agent1", display_name="Sam Varga")
    router = make_tag(s, "Router")
    customer = make_user(s, "asker", display_name="Jordan Lee")
    case = make_case(s, customer, thread=make_thread(s, customer, tags=[router]))
    admin = make_user(s, "boss", role=Role.ADMIN)
    macro = macros.save_macro(s, admin, None, title="Greeting", body="Hello {customer_name}!")
    article = make_article(s, agent, "Hub lights: what each colour means", tags=[router])
    s.commit()
    return agent, case, macro, article


def test_without_javascript_insert_and_note_keep_the_reply_as_a_draft(client, db, auth):
    s = db.session
    agent, case, macro, article = setup_case(s)
    auth.login("agent1")
    url = f"/desk/cases/{case.id}"
    typed = "I checked your line: it is fine."

    response = client.post(
        f"{url}/insert", data={"body": typed, "insert": "macro", "macro": macro.id}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("#body")
    page = client.get(url).get_data(as_text=True)
    assert f"{typed}\n\nHello Jordan Lee!" in page and "Your unsent reply was kept." in page

    draft = drafts.draft_text(s, agent, case)
    client.post(f"{url}/insert", data={"body": draft, "article": article.slug, "macro": macro.id})
    draft = drafts.draft_text(s, agent, case)
    assert draft.startswith(f"{typed}\n\nHello Jordan Lee!\n\nThis article explains it: [Hub")
    assert draft.count("Hello Jordan Lee!") == 1  # the macro select is sent, not inserted

    # A note keeps the reply too, and a refused note keeps both texts.
    refused = client.post(f"{url}/note", data={"body": draft + " more", "note": ""})
    assert refused.status_code == 422 and f"{draft} more" in refused.get_data(as_text=True)
    response = client.post(f"{url}/note", data={"body": draft + " more", "note": "VIP, be quick"})
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "VIP, be quick" in page and f"{draft} more" in page

    # Sending the reply discards the draft.
    client.post(
        f"{url}/reply",
        data={"body": draft, "visibility": "private", "then": "pending customer"},
    )
    assert s.scalar(select(ReplyDraft)) is None
    assert "Your unsent reply was kept." not in client.get(url).get_data(as_text=True)


def test_with_javascript_the_page_asks_for_json(client, db, auth):
    s = db.session
    agent, case, macro, article = setup_case(s)
    auth.login("agent1")
    url = f"/desk/cases/{case.id}"
    inserted = client.post(
        f"{url}/insert", data={"body": "x", "insert": "macro", "macro": macro.id}, headers=JSON
    )
    assert inserted.get_json() == {"text": "Hello Jordan Lee!"}
    assert s.scalar(select(ReplyDraft)) is None  # the script inserts; nothing saved yet
    note = client.post(f"{url}/note", data={"note": "Called the customer"}, headers=JSON)
    assert note.status_code == 200 and "Called the customer" in note.get_json()["html"]
    assert client.post(f"{url}/note", data={"note": ""}, headers=JSON).status_code == 422
    saved = client.post(f"{url}/draft", data={"body": "Half a reply"}, headers=JSON)
    assert saved.status_code == 204 and drafts.draft_text(s, agent, case) == "Half a reply"
    # Other agents do not see it.
    make_agent(s, "agent2")
    s.commit()
    auth.logout()
    auth.login("agent2")
    assert "Half a reply" not in client.get(url).get_data(as_text=True)


def test_move_to_starts_at_the_current_status_and_the_timeline_comes_first(client, db, auth):
    s = db.session
    agent, case, _, _ = setup_case(s)
    service.change_status(s, agent, case, "open")
    s.commit()
    auth.login("agent1")
    page = client.get(f"/desk/cases/{case.id}").get_data(as_text=True)
    select_html = page.split('id="status"')[1].split("</select>")[0]
    assert '<option selected value="open">Open (now)</option>' in select_html
    assert page.index('id="timeline-title"') < page.index('id="reply-title"')
    response = client.post(f"/desk/cases/{case.id}/status", data={"status": "open"})
    assert response.status_code == 302
    s.refresh(case)
    assert case.status == "open"
    assert "The status stays" in client.get(f"/desk/cases/{case.id}").get_data(as_text=True)


def test_the_first_macro_offered_is_in_the_customers_language(client, db, auth):
    s = db.session
    agent, case, _, _ = setup_case(s)
    make_user(s, "nina", role=Role.AGENT, locale="fr")
    macros.save_macro(
        s,
        make_user(s, "chef", role=Role.ADMIN),
        None,
        title="Bonjour",
        body="Bonjour {customer_name}, merci pour votre message.",
    )
    s.commit()
    auth.login("nina")  # a French-speaking agent, an English-speaking customer
    page = client.get(f"/desk/cases/{case.id}").get_data(as_text=True)
    options = page.split('id="macro"')[1].split("</select>")[0]
    assert options.index("Greeting") < options.index("Bonjour")
