"""Reply by e-mail: the portal's SMTP sender → a mailbox → the person answers → ``flask mail
serve`` → the answer is a reply in the thread, as that person, quotes and signature gone.
And what must never become a post: forged addresses, other senders, robots, floods."""

import imaplib
import smtplib
import socket
import subprocess
import sys
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select

from community import service as community_service
from community.models import Post, PostStatus
from portal import email_preferences
from portal.email_preferences import Mode
from portal.inbound.models import InboundMessage, InboundStatus
from portal.inbound.service import store
from portal.mail_addresses import reply_address
from tests.factories import PASSWORD, make_reply, make_thread, make_user
from tests.mail_helpers import read_messages, text_of
from tests.mail_servers import (
    DOMAIN,
    Mailbox,
    configure_inbound,
    free_port,
    receiver_settings,
    send,
    smtp_to,
    start_receiver,
    stop_worker,
    wait_for,
)

# "-- " with its space: the signature separator mail clients write (RFC 3676).
FRENCH_ANSWER = """Merci, ça a marché !

Le bouton était caché.

--\x20
Marie
Envoyé de mon téléphone

Le lun. 30 nov. 2026 à 10:00, Care Portal <no-reply@example.test> a écrit :
> emma a répondu à votre question
> Restart the hub
"""


@pytest.fixture
def inbound(app, monkeypatch, tmp_path):
    return configure_inbound(app, monkeypatch, tmp_path)


def answer_to(notification: EmailMessage, sender: str, text: str) -> EmailMessage:
    """What a mail client sends when its user answers ``notification``."""
    answer = EmailMessage()
    answer["From"] = sender
    answer["To"] = notification["Reply-To"]
    answer["Subject"] = f"Re: {notification['Subject']}"
    answer["Message-ID"] = f"<answer-{id(answer)}@client.example>"
    answer["In-Reply-To"] = notification["Message-ID"]
    answer.set_content(text)
    return answer


def test_a_reply_by_email_lands_in_the_thread(app, db, tmp_path, monkeypatch, inbound):
    with Mailbox() as mailbox:
        smtp_to(app, monkeypatch, mailbox)
        marie = make_user(db.session, "marie", locale="fr")
        thread = make_thread(db.session, marie, title="Le bouton de réinitialisation")
        make_reply(db.session, thread, make_user(db.session, "emma"), body="Restart the hub")
        db.session.commit()
        [notification] = wait_for(lambda: mailbox.to("marie@example.com"), what="the e-mail")
        assert notification["Reply-To"].startswith("reply+") and DOMAIN in notification["Reply-To"]

        settings = receiver_settings(app, tmp_path, inbound, mailbox)
        process, port = start_receiver(settings, tmp_path / "receiver.log")
        try:
            send(port, answer_to(notification, "marie@example.com", FRENCH_ANSWER))

            def posted():
                db.session.rollback()
                return db.session.scalar(
                    select(Post).where(
                        Post.thread_id == thread.id, Post.author_id == marie.id, ~Post.is_question
                    )
                )

            post = wait_for(posted, what="the reply in the thread")
            assert post.body == "Merci, ça a marché !\n\nLe bouton était caché."
            assert post.status == PostStatus.VISIBLE
            # Emma follows the thread she answered: she hears about it, by e-mail too.
            [told] = wait_for(lambda: mailbox.to("emma@example.com"), what="emma's e-mail")
            assert "Merci, ça a marché" in told.get_body(("plain",)).get_content()

            forged = answer_to(notification, "marie@example.com", "Hi")
            # Another member's id with Marie's signature: the receiver does not take it.
            local, domain = notification["Reply-To"].split("@")
            user_id = str(marie.id)
            other = local.replace(f"reply+{user_id}-", f"reply+{int(user_id) + 1}-")
            assert other != local
            forged.replace_header("To", f"{other}@{domain}")
            with pytest.raises(smtplib.SMTPRecipientsRefused):
                send(port, forged)
            stranger = answer_to(notification, "marie@example.com", "Hi")
            stranger.replace_header("To", "someone@elsewhere.example")
            with pytest.raises(smtplib.SMTPRecipientsRefused):
                send(port, stranger)
        finally:
            stop_worker(process)
        assert "Traceback" not in (tmp_path / "receiver.log").read_text()


def receive(db, message: EmailMessage, *, mail_from: str | None = None) -> InboundMessage:
    """What the receiver does with a message: store it and its job; the job runs inline."""
    row = store(db.session, bytes(message), mail_from or str(message["From"]), [message["To"]])
    db.session.commit()
    db.session.refresh(row)
    return row


def reply_mail(user, thread, text: str, **headers) -> EmailMessage:
    message = EmailMessage()
    message["From"] = headers.pop("sender", user.email)
    message["To"] = reply_address(user.id, f"thread:{thread.id}")
    message["Subject"] = "Re: your thread"
    message["Message-ID"] = f"<m{id(message)}@client.example>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text)
    return message


def replies_in(db, thread) -> list[Post]:
    return list(
        db.session.scalars(select(Post).where(Post.thread_id == thread.id, ~Post.is_question))
    )


def test_a_locked_thread_refuses_the_reply_and_says_why(db, inbound, tmp_path):
    marie = make_user(db.session, "marie", locale="fr")
    thread = make_thread(db.session, marie)
    moderator = make_user(db.session, "mod", role="moderator")
    community_service.lock_thread(db.session, moderator, thread)
    db.session.commit()
    row = receive(db, reply_mail(marie, thread, "Still broken"))
    assert row.status == InboundStatus.REFUSED and replies_in(db, thread) == []
    [refusal] = read_messages(tmp_path / "outbox")
    assert refusal["To"] == "marie@example.com" and refusal["Auto-Submitted"] == "auto-replied"
    assert "verrouillée" in text_of(refusal) and refusal["In-Reply-To"]


def test_a_suspended_member_cannot_reply_by_email(db, inbound):
    marie = make_user(db.session, "marie")
    thread = make_thread(db.session)
    from portal.database import utcnow

    marie.suspended_at = utcnow()
    db.session.commit()
    row = receive(db, reply_mail(marie, thread, "Let me in"))
    assert row.status == InboundStatus.REFUSED and replies_in(db, thread) == []


def test_a_reply_by_email_is_screened_like_a_web_post(db, inbound, app, monkeypatch):
    newcomer = make_user(db.session, "newcomer")
    thread = make_thread(db.session)
    db.session.commit()
    monkeypatch.setitem(app.config, "MODERATION_NEW_ACCOUNT_HELD_POSTS", 2)
    row = receive(db, reply_mail(newcomer, thread, "My first answer, by e-mail."))
    assert row.status == InboundStatus.DONE, row.outcome
    [post] = replies_in(db, thread)
    assert post.status == PostStatus.HELD


def test_someone_else_using_a_reply_address_is_refused(db, inbound):
    marie = make_user(db.session, "marie")
    thread = make_thread(db.session)
    db.session.commit()
    row = receive(db, reply_mail(marie, thread, "Hijack", sender="eve@example.com"))
    assert row.status == InboundStatus.REFUSED and replies_in(db, thread) == []


@pytest.mark.parametrize(
    "headers, mail_from",
    [
        ({"Auto_Submitted": "auto-replied"}, None),
        ({"Precedence": "bulk"}, None),
        ({"Precedence": "junk"}, None),
        ({"Precedence": "list"}, None),
        ({"X_Autoreply": "yes"}, None),
        ({}, "<>"),
        ({"sender": "MAILER-DAEMON@example.com"}, None),
    ],
)
def test_robots_never_post_nor_get_an_answer(db, inbound, tmp_path, headers, mail_from):
    marie = make_user(db.session, "marie")
    thread = make_thread(db.session)
    db.session.commit()
    row = receive(
        db, reply_mail(marie, thread, "I am out of office", **headers), mail_from=mail_from
    )
    assert row.status == InboundStatus.IGNORED and row.outcome.startswith("automatic")
    assert replies_in(db, thread) == [] and read_messages(tmp_path / "outbox") == []


def test_a_flood_from_one_sender_is_dropped(db, inbound, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_INBOUND_RATE_LIMIT", 3)
    marie = make_user(db.session, "marie")
    thread = make_thread(db.session)
    db.session.commit()
    statuses = [
        receive(db, reply_mail(marie, thread, f"Answer number {n}")).status for n in range(5)
    ]
    assert statuses == [InboundStatus.DONE] * 3 + [InboundStatus.IGNORED] * 2
    assert len(replies_in(db, thread)) == 3


def test_the_job_handles_a_message_once(db, inbound):
    from portal.inbound.service import handle_inbound

    marie = make_user(db.session, "marie")
    thread = make_thread(db.session)
    db.session.commit()
    row = receive(db, reply_mail(marie, thread, "Only once please"))
    handle_inbound(db.session, inbound_id=row.id)  # a second run (a retried job)
    db.session.commit()
    assert len(replies_in(db, thread)) == 1


def test_the_unsubscribe_mailto_turns_the_category_off(db, inbound):
    marie = make_user(db.session, "marie")
    db.session.commit()
    message = EmailMessage()
    message["From"] = marie.email
    token = email_preferences.unsubscribe_token(marie, "follows")
    message["To"] = f"unsubscribe+{token}@{DOMAIN}"
    message["Subject"] = "unsubscribe"
    message.set_content("")
    row = receive(db, message)
    assert row.status == InboundStatus.DONE
    assert email_preferences.modes_for(db.session, marie)["follows"] == Mode.OFF


def test_deleting_an_account_forgets_its_mail_and_choices(db, inbound):
    from portal import privacy
    from portal.inbound.models import MailReference
    from portal.inbound.service import prune_inbound

    marie = make_user(db.session, "marie")
    thread = make_thread(db.session)
    email_preferences.set_mode(db.session, marie, "follows", "weekly")
    db.session.commit()
    receive(db, reply_mail(marie, thread, "A reply by mail"))
    privacy.delete_account(db.session, marie, marie, password=PASSWORD)
    db.session.commit()
    assert db.session.scalars(select(InboundMessage)).all() == []
    assert db.session.scalars(select(email_preferences.EmailPreference)).all() == []
    assert db.session.scalars(select(MailReference)).all() == []
    # Others' mail is forgotten after MAIL_INBOUND_KEPT_DAYS.
    emma = make_user(db.session, "emma")
    db.session.commit()
    row = receive(db, reply_mail(emma, thread, "Mine"))
    prune_inbound(db.session)
    assert db.session.get(InboundMessage, row.id) is not None
    row.handled_at -= timedelta(days=31)
    prune_inbound(db.session)
    db.session.commit()
    assert db.session.get(InboundMessage, row.id) is None


@pytest.fixture
def imap_server(app, monkeypatch, tmp_path):
    """pymap's in-memory IMAP server on a free port, with its demo mailbox."""
    port = free_port()
    with open(tmp_path / "imap.log", "ab") as log:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "pymap"),
                "--port",
                str(port),
                "--no-tls",
                "dict",
                "--demo-data",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(lambda: port_open(port), timeout=30, what="the IMAP server")
        settings = {
            "MAIL_IMAP_HOST": "127.0.0.1",
            "MAIL_IMAP_PORT": port,
            "MAIL_IMAP_SSL": False,
            "MAIL_IMAP_USERNAME": "demouser",
            "MAIL_IMAP_PASSWORD": "demopass",
        }
        for key, value in settings.items():
            monkeypatch.setitem(app.config, key, value)
        yield port
    finally:
        stop_worker(process)


def port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def mailbox_ids(port: int) -> list[str]:
    client = imaplib.IMAP4("127.0.0.1", port)
    client.login("demouser", "demopass")
    client.select("INBOX")
    _status, data = client.search(None, "ALL")
    ids = []
    for number in data[0].split():
        _status, parts = client.fetch(number, "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
        ids.append(parts[0][1].decode().strip())
    client.logout()
    return ids


def test_a_polled_imap_mailbox_brings_replies_in(db, inbound, imap_server):
    from portal.inbound.imap import poll_imap

    marie = make_user(db.session, "marie")
    thread = make_thread(db.session)
    db.session.commit()
    answer = reply_mail(marie, thread, "Answered from my IMAP-polled mailbox.")
    client = imaplib.IMAP4("127.0.0.1", imap_server)
    client.login("demouser", "demopass")
    client.append("INBOX", None, None, bytes(answer))
    client.logout()
    demo_messages = len(mailbox_ids(imap_server)) - 1

    poll_imap(db.session)
    db.session.commit()
    [post] = replies_in(db, thread)
    assert post.body == "Answered from my IMAP-polled mailbox." and post.author_id == marie.id
    assert any(answer["Message-ID"] in line for line in mailbox_ids(imap_server))  # kept …
    poll_imap(db.session)  # … until the next poll finds it stored
    db.session.commit()
    assert not any(answer["Message-ID"] in line for line in mailbox_ids(imap_server))
    assert len(replies_in(db, thread)) == 1
    # The demo mailbox's other messages were for nobody here: stored, ignored, cleared.
    ignored = db.session.scalars(
        select(InboundMessage).where(InboundMessage.status == InboundStatus.IGNORED)
    ).all()
    assert demo_messages > 0 and len(ignored) <= demo_messages


def test_the_receiver_speaks_lmtp_for_a_local_mail_server(app, db, inbound):
    """`flask mail serve --lmtp`: what a local MTA (Postfix, Exim) delivers to."""
    from portal.inbound.receiver import Receiver

    marie = make_user(db.session, "marie")
    thread = make_thread(db.session)
    db.session.commit()
    receiver = Receiver(app, "127.0.0.1", free_port(), lmtp=True)
    receiver.start()
    try:
        with smtplib.LMTP("127.0.0.1", receiver.port, timeout=10) as lmtp:
            lmtp.send_message(reply_mail(marie, thread, "Delivered over LMTP."))
    finally:
        receiver.stop()
    [post] = replies_in(db, thread)
    assert post.body == "Delivered over LMTP."
