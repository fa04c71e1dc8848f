"""E-mail to case: mail to the support address opens a case (Contact support's path), the
customer is acknowledged with the number, agents' answers go out by e-mail and the
customer's come back into the case. Robots and floods never open cases or loops."""

from email.message import EmailMessage

import pytest
from sqlalchemy import select

from moderation.cases import service
from moderation.cases.models import Case, CaseEvent, Channel, EventKind
from portal.database import utcnow
from portal.inbound.models import InboundMessage, InboundStatus
from portal.inbound.service import store
from tests.factories import make_tag, make_user
from tests.mail_helpers import read_messages, text_of
from tests.mail_servers import (
    SUPPORT,
    Mailbox,
    configure_inbound,
    receiver_settings,
    send,
    smtp_to,
    start_receiver,
    stop_worker,
    wait_for,
)
from tests.moderation.cases.helpers import make_agent

_numbers = iter(range(1, 10_000))


@pytest.fixture
def inbound(app, monkeypatch, tmp_path):
    return configure_inbound(app, monkeypatch, tmp_path)


def mail(sender: str, subject: str, text: str, *, to: str = SUPPORT, **headers) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<customer-{next(_numbers)}@client.example>"
    message.set_content(text)
    for name, value in headers.items():
        name = name.replace("_", "-")
        if name in message:
            message.replace_header(name, value)
        else:
            message[name] = value
    return message


def receive(db, message: EmailMessage, mail_from: str | None = None) -> InboundMessage:
    row = store(db.session, bytes(message), mail_from or str(message["From"]), [message["To"]])
    db.session.commit()
    db.session.refresh(row)
    return row


def cases_of(db, user) -> list[Case]:
    db.session.rollback()
    return list(db.session.scalars(select(Case).where(Case.customer_id == user.id)))


def customer_messages(db, case) -> list[str]:
    db.session.rollback()
    kind = EventKind.CUSTOMER_MESSAGE.value
    query = select(CaseEvent.body).where(CaseEvent.case_id == case.id, CaseEvent.kind == kind)
    return list(db.session.scalars(query.order_by(CaseEvent.id)))


def test_an_email_to_support_becomes_a_case_and_the_conversation_stays_in_it(
    app, db, tmp_path, monkeypatch, inbound
):
    with Mailbox() as mailbox:
        smtp_to(app, monkeypatch, mailbox)
        billing = make_tag(db.session, "Facturation")
        agent = make_agent(db.session, "sam", skills=[billing])
        marie = make_user(db.session, "marie", locale="fr")
        db.session.commit()
        settings = receiver_settings(app, tmp_path, inbound, mailbox)
        process, port = start_receiver(settings, tmp_path / "receiver.log")
        try:
            first = mail(
                "Marie <marie@example.com>",
                "Facturation en double ce mois-ci",
                "Bonjour,\n\nJ'ai été facturée deux fois.\n\n-- \nMarie",
            )
            send(port, first)
            [case] = wait_for(lambda: cases_of(db, marie), what="the case")
            assert case.channel == Channel.EMAIL
            assert case.subject == "Facturation en double ce mois-ci"
            assert case.body == "Bonjour,\n\nJ'ai été facturée deux fois."
            assert case.first_response_due is not None and case.assignee_id == agent.id
            [ack] = wait_for(lambda: mailbox.to("marie@example.com"), what="the acknowledgement")
            assert ack["Subject"] == f"[#{case.id}] Facturation en double ce mois-ci"
            assert ack["In-Reply-To"] == first["Message-ID"]
            assert ack["Auto-Submitted"] == "auto-replied" and ack["Reply-To"].startswith("reply+")
            assert f"n°\u00a0{case.id}" in ack.get_body(("plain",)).get_content()
            assert "Nous avons bien reçu votre demande" in ack.get_body(("plain",)).get_content()

            # The customer answers the acknowledgement (to its Reply-To).
            more = mail(
                "marie@example.com",
                f"Re: {ack['Subject']}",
                "Le numéro est 4411.",
                to=ack["Reply-To"],
                In_Reply_To=ack["Message-ID"],
            )
            send(port, more)
            wait_for(lambda: customer_messages(db, case), what="the customer's answer")

            # The agent answers: by e-mail, threaded, the text in it.
            service.reply_privately(
                db.session, agent, db.session.get(Case, case.id), "Refund on its way."
            )
            db.session.commit()
            answer = wait_for(
                lambda: [m for m in mailbox.to("marie@example.com") if m is not ack][-1:],
                what="the agent's answer",
            )[0]
            assert answer["Subject"].startswith(f"[#{case.id}] ")
            assert "Refund on its way." in answer.get_body(("plain",)).get_content()
            assert answer["In-Reply-To"] and answer["List-Unsubscribe"]

            # She answers it with "Reply all" to support: the references bring it back.
            again = mail(
                "marie@example.com",
                f"Re: {answer['Subject']}",
                "Merci beaucoup !",
                In_Reply_To=answer["Message-ID"],
                References=answer["Message-ID"],
            )
            send(port, again)
            wait_for(lambda: len(customer_messages(db, case)) == 2, what="the second answer")
            assert customer_messages(db, case) == ["Le numéro est 4411.", "Merci beaucoup !"]
            assert len(cases_of(db, marie)) == 1
        finally:
            stop_worker(process)


def test_the_subject_token_threads_only_for_the_cases_customer(db, inbound):
    marie, eve = make_user(db.session, "marie"), make_user(db.session, "eve")
    db.session.commit()
    receive(db, mail("marie@example.com", "Router keeps rebooting", "Every night at 3."))
    [case] = cases_of(db, marie)
    receive(db, mail("marie@example.com", f"Re: [#{case.id}] Router", "Also at 4."))
    assert customer_messages(db, case) == ["Also at 4."]
    receive(db, mail("eve@example.com", f"[#{case.id}] let me in", "Show me this case."))
    assert customer_messages(db, case) == ["Also at 4."]
    [eves] = cases_of(db, eve)
    assert eves.id != case.id


def test_a_sender_without_an_account_gets_a_visitors_request_answered_by_email(
    db, inbound, tmp_path
):
    row = receive(db, mail("Sam Stranger <stranger@example.org>", "Help with my order", "Where?"))
    assert row.status == InboundStatus.DONE
    case = db.session.scalars(select(Case)).one()
    assert (case.customer_id, case.requester_email) == (None, "stranger@example.org")
    assert case.channel == Channel.EMAIL and case.requester_name == "Sam Stranger"
    [acknowledgement] = read_messages(tmp_path / "outbox")
    assert acknowledgement["To"] == "stranger@example.org"
    assert acknowledgement["Reply-To"] == SUPPORT
    assert f"[Case #{case.id}]" in acknowledgement["Subject"]
    assert "/support/requests/" in text_of(acknowledgement)  # the signed link to the request
    # Answering the acknowledgement adds to the request; nothing goes back (no loop).
    receive(db, mail("stranger@example.org", f"Re: {acknowledgement['Subject']}", "Order 5521."))
    assert customer_messages(db, case) == ["Order 5521."]
    assert len(read_messages(tmp_path / "outbox")) == 1
    # Another address naming the case opens a request of its own.
    receive(db, mail("eve@example.org", f"Re: [Case #{case.id}] x", "Let me in."))
    assert customer_messages(db, case) == ["Order 5521."]


def test_a_suspended_customer_is_refused_by_mail(db, inbound, tmp_path):
    marie = make_user(db.session, "marie")
    marie.suspended_at = utcnow()
    db.session.commit()
    row = receive(db, mail("marie@example.com", "Please lift it", "Why was I suspended?"))
    assert row.status == InboundStatus.REFUSED and cases_of(db, marie) == []
    [refusal] = read_messages(tmp_path / "outbox")
    assert refusal["To"] == "marie@example.com"


@pytest.mark.parametrize(
    "headers, mail_from, sender",
    [
        ({"Auto_Submitted": "auto-replied"}, None, "marie@example.com"),
        ({"Precedence": "bulk"}, None, "marie@example.com"),
        ({"X_Autoreply": "yes"}, None, "marie@example.com"),
        ({}, "<>", "marie@example.com"),
        ({}, None, "MAILER-DAEMON@mx.example.com"),
        ({}, None, "no-reply@example.test"),  # our own acknowledgement, bounced back to us
        (
            {"Content_Type": "multipart/report; report-type=delivery-status"},
            None,
            "marie@example.com",
        ),
    ],
)
def test_bounces_and_auto_replies_never_open_cases_nor_get_answers(
    db, inbound, tmp_path, headers, mail_from, sender
):
    marie = make_user(db.session, "marie")
    db.session.commit()
    row = receive(
        db, mail(sender, "Out of office", "I am away until Monday.", **headers), mail_from
    )
    assert row.status == InboundStatus.IGNORED
    assert cases_of(db, marie) == [] and read_messages(tmp_path / "outbox") == []


def test_a_vacation_responder_cannot_loop_with_the_acknowledgement(db, inbound, tmp_path):
    """Our acknowledgement reaches a responder that answers everything (even, wrongly,
    without Auto-Submitted): its answers thread into the case, each one rate-limited, and
    it never gets a second acknowledgement."""
    marie = make_user(db.session, "marie")
    db.session.commit()
    receive(db, mail("marie@example.com", "Broken screen", "It cracked."))
    [case] = cases_of(db, marie)
    [ack] = read_messages(tmp_path / "outbox")
    for _round in range(15):
        receive(
            db,
            mail(
                "marie@example.com",
                f"Re: {ack['Subject']}",
                "I am on holiday.",
                In_Reply_To=ack["Message-ID"],
            ),
        )
    assert len(cases_of(db, marie)) == 1
    assert len(read_messages(tmp_path / "outbox")) == 1  # no answer to any of them
    ignored = db.session.scalars(
        select(InboundMessage).where(InboundMessage.status == InboundStatus.IGNORED)
    ).all()
    assert len(ignored) == 16 - 10  # MAIL_INBOUND_RATE_LIMIT: 10 an hour from one sender


def test_one_sender_opens_a_few_cases_at_most(db, inbound, app, monkeypatch):
    monkeypatch.setitem(app.config, "CASES_CONTACT_RATE_LIMIT", 2)
    marie = make_user(db.session, "marie")
    db.session.commit()
    rows = [
        receive(db, mail("marie@example.com", f"Problem number {n}", "Help.")) for n in range(3)
    ]
    assert [row.status for row in rows] == ["done", "done", "refused"]
    assert len(cases_of(db, marie)) == 2


def test_a_robot_without_an_account_cannot_keep_a_conversation_going(db, inbound, tmp_path):
    """A responder that answers everything and says nothing of it: its first mail is a
    request (one acknowledgement), its answers to that are messages on it, answered by
    nobody, so the two never keep each other busy."""
    receive(db, mail("robot@example.org", "hello", "Thanks for your message!"))
    [acknowledgement] = read_messages(tmp_path / "outbox")
    for _round in range(3):
        receive(db, mail("robot@example.org", f"Re: {acknowledgement['Subject']}", "Thanks!"))
    assert len(read_messages(tmp_path / "outbox")) == 1
    case = db.session.scalars(select(Case)).one()
    assert customer_messages(db, case) == ["Thanks!"] * 3


def test_the_contact_form_is_acknowledged_by_email_too(client, auth, db, inbound, tmp_path):
    marie = make_user(db.session, "marie")
    db.session.commit()
    auth.login("marie")
    sent = {"subject": "My router is dead", "body": "No lights at all since the storm."}
    assert client.post("/support/contact", data=sent).status_code == 302
    [case] = cases_of(db, marie)
    [ack] = read_messages(tmp_path / "outbox")
    assert ack["Subject"] == f"[#{case.id}] My router is dead"
    assert ack["Auto-Submitted"] == "auto-replied" and ack["In-Reply-To"] is None
    assert ack["Reply-To"].startswith("reply+")
    assert f"#{case.id}" in text_of(ack) and "reply to this e-mail" in text_of(ack)
