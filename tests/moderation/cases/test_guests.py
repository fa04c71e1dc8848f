"""Contact support without an account: a visitor's request becomes a case for their
address, answered by e-mail with a signed link; the desk, the dashboard and surveys work
with it; it joins the account registered and verified with that address later."""

from urllib.parse import urlsplit

from sqlalchemy import func, select

from moderation.cases.models import Case, EventKind
from portal import account_tokens
from portal.permissions import Role
from tests.factories import make_tag, make_user
from tests.mailbox import mailbox  # noqa: F401 (fixture)
from tests.moderation.cases.helpers import make_agent

GUEST = "visitor@example.com"
REQUEST = {
    "name": "Vera Visitor",
    "email": GUEST,
    "subject": "My router blinks red",
    "body": "Since this morning the light is red and nothing loads.",
}


def path_of(link: str) -> str:
    return urlsplit(link).path


def send_request(client, **changes):
    return client.post("/support/contact", data={**REQUEST, **changes})


def guest_case(db) -> Case:
    return db.session.scalar(select(Case).where(Case.requester_email == GUEST))


def test_visitors_see_contact_support_and_its_form(client):
    home = client.get("/").get_data(as_text=True)
    assert 'href="/support/contact"' in home
    page = client.get("/support/contact")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Your e-mail address" in text and "No account needed" in text
    # A member locked out of their account finds it from "Forgot your password?" too.
    assert 'href="/support/contact"' in client.get("/forgot-password").get_data(as_text=True)


def test_a_visitors_request_becomes_a_case_and_an_acknowledgement(client, db, mailbox):  # noqa: F811
    tag = make_tag(db.session, "Internet")
    agent = make_agent(db.session, "sam", skills=[tag])
    db.session.commit()
    sent = send_request(client, topics=[tag.slug])
    assert sent.status_code == 200 and GUEST in sent.get_data(as_text=True)

    case = guest_case(db)
    assert case.customer_id is None and case.requester_name == "Vera Visitor"
    assert case.requester_locale == "en" and case.assignee_id == agent.id  # routed by skill
    assert case.first_response_due is not None  # the SLA clock runs as for members
    ack = mailbox.last_to(GUEST)
    assert f"[Case #{case.id}]" in ack["Subject"]
    assert f"case #{case.id}" in mailbox.text(ack)
    assert client.get(path_of(mailbox.link(ack, "/support/requests/"))).status_code == 200


def test_the_agent_answers_by_e_mail_and_the_visitor_answers_back(app, client, db, auth, mailbox):  # noqa: F811
    make_agent(db.session, "sam")
    db.session.commit()
    send_request(client)
    case = guest_case(db)

    auth.login("sam")
    desk = client.get("/desk/?queue=all")
    assert desk.status_code == 200 and "Vera Visitor" in desk.get_data(as_text=True)
    page = client.get(f"/desk/cases/{case.id}")
    assert page.status_code == 200 and GUEST in page.get_data(as_text=True)
    public = client.post(
        f"/desk/cases/{case.id}/reply", data={"body": "Restart it please.", "visibility": "public"}
    )
    assert public.status_code == 422  # no thread: the desk says to reply privately
    client.post(
        f"/desk/cases/{case.id}/reply",
        data={"body": "Unplug it for ten seconds.", "visibility": "private"},
    )
    auth.logout()

    reply = mailbox.last_to(GUEST)
    assert "Our answer" in reply["Subject"] and "Unplug it for ten seconds." in mailbox.text(reply)
    link = path_of(mailbox.link(reply, "/support/requests/"))
    visitor = app.test_client()
    page = visitor.get(link)
    assert page.status_code == 200 and "Unplug it for ten seconds." in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    empty = visitor.post(link, data={"body": ""})
    assert empty.status_code == 422
    answered = visitor.post(link, data={"body": "Done, it works again!"})
    assert answered.status_code == 302
    db.session.refresh(case)
    answers = [event for event in case.events if event.kind == EventKind.CUSTOMER_MESSAGE]
    assert [(a.body, a.actor_id) for a in answers] == [("Done, it works again!", None)]
    assert case.status == "open"  # it was waiting for the customer


def test_solving_mails_the_survey(client, db, auth, mailbox):  # noqa: F811
    make_agent(db.session, "sam")
    db.session.commit()
    send_request(client)
    case = guest_case(db)
    auth.login("sam")
    client.post(
        f"/desk/cases/{case.id}/reply", data={"body": "Fixed on our side.", "visibility": "private"}
    )
    solved = client.post(f"/desk/cases/{case.id}/solve", data={"disposition": "known gap"})
    assert solved.status_code == 302
    auth.logout()
    survey = mailbox.last_to(GUEST)
    assert "Solved" in survey["Subject"]
    link = path_of(mailbox.link(survey, "/support/survey/"))
    answered = client.post(link, data={"csat": "5", "nps": "9", "comment": "Quick!"})
    assert answered.status_code == 302
    db.session.refresh(case)
    assert case.survey.csat == 5


def test_the_dashboard_and_the_desk_lists_count_visitors_requests(client, db, auth):
    make_user(db.session, "ada", role=Role.ADMIN)
    db.session.commit()
    send_request(client)
    auth.login("ada")
    for path in ("/desk/?queue=all", "/dashboard/", f"/desk/cases/{guest_case(db).id}"):
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200, path


def test_a_tampered_link_opens_nothing(client, db, mailbox):  # noqa: F811
    send_request(client)
    link = path_of(mailbox.link(mailbox.last_to(GUEST), "/support/requests/"))
    assert client.get(link[:-2] + ("xy" if not link.endswith("xy") else "zz")).status_code == 404
    assert client.get("/support/requests/nonsense").status_code == 404


def test_the_account_verified_later_gets_the_requests(app, client, db, auth, mailbox):  # noqa: F811
    send_request(client)
    case = guest_case(db)
    guest_link = path_of(mailbox.link(mailbox.last_to(GUEST), "/support/requests/"))

    # Registered with the address but not yet verified: nothing is attached.
    user = make_user(db.session, "vera", email=GUEST, email_verified_at=None)
    db.session.commit()
    db.session.refresh(case)
    assert case.customer_id is None

    assert client.post(f"/verify-email/{account_tokens.verification_token(user)}").status_code
    db.session.refresh(case)
    assert case.customer_id == user.id
    auth.login("vera")
    mine = client.get("/support/cases").get_data(as_text=True)
    assert REQUEST["subject"] in mine
    assert client.get(f"/support/cases/{case.id}").status_code == 200
    auth.logout()
    assert client.get(guest_link).status_code == 410  # now behind the account


def test_a_bot_filling_the_honeypot_opens_no_case(client, db, mailbox):  # noqa: F811
    looks_sent = send_request(client, website="http://spam.example")
    assert looks_sent.status_code == 200 and GUEST in looks_sent.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Case.id))) == 0
    assert mailbox.messages() == []


def test_visitors_requests_are_rate_limited_and_the_text_is_kept(client, db, limits_on):
    for _attempt in range(3):  # GUEST_CONTACT_EMAIL_RATE_LIMIT: 3 per hour
        assert send_request(client).status_code == 200
    refused = send_request(client, body="A fourth message I do not want to lose.")
    assert refused.status_code == 429
    assert "A fourth message I do not want to lose." in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Case.id))) == 3


def test_a_bad_request_comes_back_with_the_text(client, db):
    refused = send_request(client, email="not an address")
    assert refused.status_code == 422 and REQUEST["body"] in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Case.id))) == 0


def test_a_french_visitor_is_answered_in_french(client, db, mailbox):  # noqa: F811
    client.set_cookie("portal_lang", "fr")
    send_request(client, subject="Ma box clignote en rouge", body="Rien ne charge depuis ce matin.")
    ack = mailbox.last_to(GUEST)
    assert "Nous avons bien reçu votre demande" in ack["Subject"]
