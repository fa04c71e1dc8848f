"""Inbound mail by polling an IMAP mailbox (MAIL_IMAP_HOST), for sites whose mail server
cannot deliver to ``flask mail serve``: a periodic job reads unseen messages, stores each
like the receiver does, and deletes it from the mailbox in the same pass (imaplib, stdlib).

Storing commits before the message is deleted: a crash in between stores it again on the
next poll, and the Message-ID check below keeps the second copy from being handled twice.
"""

import imaplib

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.inbound.models import InboundMessage
from portal.inbound.service import header, parse, store
from portal.jobs import job

IMAP_JOB = "mail.imap_poll"
BATCH = 50


def connect() -> imaplib.IMAP4:
    config = current_app.config
    host, port = config["MAIL_IMAP_HOST"], config["MAIL_IMAP_PORT"]
    if config["MAIL_IMAP_SSL"]:
        client = imaplib.IMAP4_SSL(host, port, timeout=30)
    else:
        client = imaplib.IMAP4(host, port, timeout=30)
    client.login(config["MAIL_IMAP_USERNAME"], config["MAIL_IMAP_PASSWORD"])
    client.select(config["MAIL_IMAP_FOLDER"])
    return client


@job(IMAP_JOB)
def poll_imap(session: Session) -> None:
    """Store up to BATCH unseen messages of the mailbox, then delete them there."""
    if not current_app.config.get("MAIL_IMAP_HOST"):
        return
    client = connect()
    try:
        _status, data = client.search(None, "UNSEEN")
        numbers = data[0].split()[:BATCH]
        recipient = current_app.config["MAIL_IMAP_RECIPIENT"]
        for number in numbers:
            _status, parts = client.fetch(number, "(RFC822)")
            raw = parts[0][1]
            message = parse(raw)
            message_id = header(message, "Message-ID")
            seen = message_id and session.scalar(
                select(InboundMessage.id).where(InboundMessage.message_id == message_id)
            )
            if not seen:
                # The envelope is gone: Delivered-To (or the To header) names the address.
                to = header(message, "Delivered-To") or header(message, "To") or recipient
                store(session, raw, header(message, "Return-Path") or "<?>", [to])
        session.commit()
        for number in numbers:
            client.store(number, "+FLAGS", "\\Deleted")
        client.expunge()
    finally:
        client.logout()
