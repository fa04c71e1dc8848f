"""The one mail interface: each message is a job, written to the outbox or sent over SMTP.

``send_later(session, to=..., subject=..., body=...)`` records the message in the caller's
transaction (a ``mail.send`` job); a worker delivers it after the commit and retries while
the SMTP server does not answer. The message's Message-ID is chosen when it is recorded,
so a retry is the same message (and writes the same outbox file).

A plain call is a plain-text message (the transactional mails: password reset, address
verification, the acknowledgement of a request sent by e-mail). Notifications pass
``html`` (a multipart/alternative message, text first) and ``headers`` (List-Unsubscribe,
Reply-To, threading): portal/notification_mail.py builds them from templates.

The outbox (``instance/outbox/`` unless MAIL_OUTBOX_DIR says otherwise) is the default so
a fresh install never needs a mail server; set MAIL_SMTP_HOST to send for real.
"""

import hashlib
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy.orm import Session

from portal.database import utcnow
from portal.jobs import enqueue, job

MAIL_JOB = "mail.send"
SMTP_TIMEOUT_SECONDS = 10
# Headers a caller may set; the rest (From, To, Subject, Message-ID) are the mailer's.
EXTRA_HEADERS = (
    "Reply-To",
    "In-Reply-To",
    "References",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "List-Id",
    "Auto-Submitted",
    "X-Auto-Response-Suppress",
)


def one_line(text: str) -> str:
    """A header value on one line: CR, LF and runs of spaces become one space."""
    return " ".join(text.split())


def build_message(
    *,
    to: str,
    subject: str,
    body: str,
    message_id: str = "",
    html: str = "",
    headers: dict | None = None,
) -> EmailMessage:
    """A message from the configured sender: plain text, or text and HTML alternatives."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = one_line(to)
    message["Subject"] = one_line(subject)
    message["Message-ID"] = message_id or new_message_id()
    for name in EXTRA_HEADERS:
        value = (headers or {}).get(name)
        if value:
            message[name] = one_line(value)
    message.set_content(body)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def site_domain() -> str:
    return urlsplit(current_app.config["SITE_URL"]).hostname or "localhost"


def new_message_id() -> str:
    """A unique Message-ID under the site's own host name."""
    return make_msgid(domain=site_domain())


def send_later(
    session: Session,
    *,
    to: str,
    subject: str,
    body: str,
    html: str = "",
    headers: dict | None = None,
    message_id: str = "",
) -> str:
    """Queue one e-mail in the session's transaction; it leaves after the commit.

    Returns its Message-ID (given, or chosen now), for threading the answers to it.
    """
    now = utcnow()
    message_id = message_id or new_message_id()
    enqueue(
        session,
        MAIL_JOB,
        to=to,
        subject=subject,
        body=body,
        html=html,
        headers={k: v for k, v in (headers or {}).items() if k in EXTRA_HEADERS and v},
        message_id=message_id,
        queued_at=f"{now:%Y%m%dT%H%M%S%f}",
    )
    return message_id


@job(MAIL_JOB)
def deliver(
    session: Session,
    *,
    to: str,
    subject: str,
    body: str,
    message_id: str,
    queued_at: str,
    html: str = "",
    headers: dict | None = None,
) -> None:
    """Send one queued message (SMTP when configured, else the outbox folder)."""
    message = build_message(
        to=to, subject=subject, body=body, message_id=message_id, html=html, headers=headers
    )
    config = current_app.config
    if config.get("MAIL_SMTP_HOST"):
        host, port = config["MAIL_SMTP_HOST"], config["MAIL_SMTP_PORT"]
        with smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            if config["MAIL_SMTP_STARTTLS"]:
                smtp.starttls()
            if config["MAIL_SMTP_USERNAME"]:
                smtp.login(config["MAIL_SMTP_USERNAME"], config["MAIL_SMTP_PASSWORD"])
            smtp.send_message(message)
        return
    folder = outbox_dir()
    folder.mkdir(parents=True, exist_ok=True)
    # Queue time first so a listing reads in sending order; the same message, delivered
    # twice (a retry after a crash), lands in the same file.
    digest = hashlib.sha256(message_id.encode()).hexdigest()[:12]
    path = folder / f"{queued_at}-{digest}.eml"
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(bytes(message))
    temporary.replace(path)  # never a half-written .eml for whoever reads the folder


def outbox_dir() -> Path:
    configured = current_app.config.get("MAIL_OUTBOX_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "outbox"
