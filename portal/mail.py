"""The one mail interface: messages become .eml files in the outbox, or go out over SMTP.

The outbox (``instance/outbox/`` unless MAIL_OUTBOX_DIR says otherwise) is the default so
a fresh install never needs a mail server; set MAIL_SMTP_HOST to send for real.
"""

import smtplib
import uuid
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

from portal.database import utcnow


def build_message(*, to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message from the configured sender."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message


def outbox_dir() -> Path:
    configured = current_app.config.get("MAIL_OUTBOX_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "outbox"


def send_mail(*, to: str, subject: str, body: str) -> None:
    """Send one message through SMTP when configured, else write it to the outbox."""
    message = build_message(to=to, subject=subject, body=body)
    config = current_app.config
    if config.get("MAIL_SMTP_HOST"):
        with smtplib.SMTP(config["MAIL_SMTP_HOST"], config["MAIL_SMTP_PORT"], timeout=10) as smtp:
            if config["MAIL_SMTP_STARTTLS"]:
                smtp.starttls()
            if config["MAIL_SMTP_USERNAME"]:
                smtp.login(config["MAIL_SMTP_USERNAME"], config["MAIL_SMTP_PASSWORD"])
            smtp.send_message(message)
        return
    folder = outbox_dir()
    folder.mkdir(parents=True, exist_ok=True)
    # Time first so a directory listing reads in sending order; the suffix avoids clashes.
    name = f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
    (folder / name).write_bytes(bytes(message))
