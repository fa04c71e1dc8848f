"""Inbound mail by polling an IMAP mailbox (MAIL_IMAP_HOST), for sites whose mail server
cannot deliver to ``flask mail serve``: a periodic job stores each unseen message like the
receiver does (imaplib, from the standard library).

Nothing is deleted from the mailbox before it is safely stored: fetching marks a message
seen, and the job's transaction stores it; the next poll deletes the seen messages it finds
stored and marks any other seen one unseen again (its transaction did not commit), so it
is fetched once more. A message is known by its Message-ID (or a digest of its bytes), so
a second copy is never handled twice.
"""

import hashlib
import imaplib

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.inbound.models import InboundMessage
from portal.inbound.service import header, parse, store
from portal.jobs import job

IMAP_JOB = "mail.imap_poll"
BATCH = 50
TIMEOUT_SECONDS = 30


def connect() -> imaplib.IMAP4:
    config = current_app.config
    host, port = config["MAIL_IMAP_HOST"], config["MAIL_IMAP_PORT"]
    if config["MAIL_IMAP_SSL"]:
        client = imaplib.IMAP4_SSL(host, port, timeout=TIMEOUT_SECONDS)
    else:
        client = imaplib.IMAP4(host, port, timeout=TIMEOUT_SECONDS)
    client.login(config["MAIL_IMAP_USERNAME"], config["MAIL_IMAP_PASSWORD"])
    client.select(config["MAIL_IMAP_FOLDER"])
    return client


def identity(raw: bytes) -> str:
    """The message's Message-ID, or a digest of its bytes when it has none."""
    return header(parse(raw), "Message-ID") or f"<sha256-{hashlib.sha256(raw).hexdigest()}>"


def is_stored(session: Session, message_id: str) -> bool:
    query = select(InboundMessage.id).where(InboundMessage.message_id == message_id)
    return session.scalar(query) is not None


def fetch(client: imaplib.IMAP4, number: bytes) -> bytes:
    _status, parts = client.fetch(number, "(RFC822)")
    return parts[0][1]


@job(IMAP_JOB)
def poll_imap(session: Session) -> None:
    """Clear what earlier polls stored, then store up to BATCH unseen messages."""
    if not current_app.config.get("MAIL_IMAP_HOST"):
        return
    client = connect()
    try:
        _status, data = client.search(None, "SEEN")
        for number in data[0].split():
            _status, parts = client.fetch(number, "(BODY.PEEK[HEADER])")
            if is_stored(session, identity_of_header(parts[0][1], client, number)):
                client.store(number, "+FLAGS", "\\Deleted")
            else:
                client.store(number, "-FLAGS", "\\Seen")
        client.expunge()
        _status, data = client.search(None, "UNSEEN")
        fallback = current_app.config["MAIL_IMAP_RECIPIENT"]
        for number in data[0].split()[:BATCH]:
            raw = fetch(client, number)  # marks it seen
            message_id = identity(raw)
            if is_stored(session, message_id):
                continue
            message = parse(raw)
            # The envelope is gone: Delivered-To (or To) names the address it came to.
            to = header(message, "Delivered-To") or header(message, "To") or fallback
            envelope_from = header(message, "Return-Path") or header(message, "From")
            store(session, raw, envelope_from, [to], message_id=message_id)
    finally:
        client.logout()


def identity_of_header(head: bytes, client: imaplib.IMAP4, number: bytes) -> str:
    """A seen message's identity: its Message-ID, else (rare) its whole bytes' digest."""
    message_id = header(parse(head), "Message-ID")
    return message_id or identity(fetch(client, number))
