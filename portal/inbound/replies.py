"""Answers to a person's own e-mail: why it was refused, the acknowledgement of a request.

These are transactional (the person just wrote to us and expects an answer), so they carry
no unsubscribe; they say they are automatic (Auto-Submitted: auto-replied, RFC 3834) so an
out-of-office robot does not answer them, and they thread under the person's message.
"""

from email.message import EmailMessage

from flask import current_app, render_template
from sqlalchemy.orm import Session

from portal import mail
from portal.urls import external_url

SUBJECT_MAX = 200


def reply_subject(message: EmailMessage) -> str:
    subject = " ".join(str(message.get("Subject", "") or "").split())
    return (subject if subject.lower().startswith("re:") else f"Re: {subject}")[:SUBJECT_MAX]


def threading_headers(message: EmailMessage) -> dict:
    """In-Reply-To and References that put an answer under ``message``."""
    message_id = str(message.get("Message-ID", "") or "").strip()
    references = " ".join(str(message.get("References", "") or "").split())
    return {
        "In-Reply-To": message_id,
        "References": " ".join(filter(None, (references, message_id)))[-900:],
    }


def answer(
    session: Session,
    message: EmailMessage | None,
    *,
    to: str,
    text: str,
    html: str,
    subject: str = "",
    reply_to: str = "",
    message_id: str = "",
) -> str:
    """Send an automatic answer to ``message`` (None: to something done on the site, such as
    the Contact support form); returns its Message-ID."""
    headers = threading_headers(message) if message is not None else {}
    headers |= {"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"}
    if reply_to:
        headers["Reply-To"] = reply_to
    return mail.send_later(
        session,
        to=to,
        subject=subject or reply_subject(message),
        body=text,
        html=html,
        headers=headers,
        message_id=message_id,
    )


def refusal(session: Session, message: EmailMessage, *, to: str, why: str) -> str:
    """ "Your message was not posted, because …" (in the current locale)."""
    context = {
        "why": why,
        "site_name": current_app.config["SITE_NAME"],
        "site_url": external_url("portal.home"),
    }
    return answer(
        session,
        message,
        to=to,
        text=render_template("email/refusal.txt", **context),
        html=render_template("email/refusal.html", **context),
    )
