"""The one mail interface: each message is a job, written to the outbox or sent over SMTP.

``send_later(session, to=..., subject=..., body=...)`` records the message in the caller's
transaction (a ``mail.send`` job); a worker delivers it after the commit and retries while
the SMTP server does not answer. The message's Message-ID is chosen when it is recorded,
so a retry is the same message (and writes the same outbox file).

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


def one_line(text: str) -> str:
    """A header value on one line: CR, LF and runs of spaces become one space."""
    return " ".join(text.split())


def build_message(*, to: str, subject: str, body: str, message_id: str = "") -> EmailMessage:
    """A plain-text message from the configured sender."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = one_line(to)
    message["Subject"] = one_line(subject)
    message["Message-ID"] = message_id or new_message_id()
    message.set_content(body)
    return message


def new_message_id() -> str:
    """A unique Message-ID under the site's own host name."""
    return make_msgid(domain=urlsplit(current_app.config["SITE_URL"]).hostname or "localhost")


def send_later(session: Session, *, to: str, subject: str, body: str) -> None:
    """Queue one e-mail in the session's transaction; it leaves after the commit."""
    now = utcnow()
    enqueue(
        session,
        MAIL_JOB,
        to=to,
        subject=subject,
        body=body,
        message_id=new_message_id(),
        queued_at=f"{now:%Y%m%dT%H%M%S%f}",
    )


@job(MAIL_JOB)
def deliver(
    session: Session, *, to: str, subject: str, body: str, message_id: str, queued_at: str
) -> None:
    """Send one queued message (SMTP when configured, else the outbox folder)."""
    message = build_message(to=to, subject=subject, body=body, message_id=message_id)
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
