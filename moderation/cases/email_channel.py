"""Support by e-mail: mail to MAIL_SUPPORT_ADDRESS opens a case, answers come back into it.

portal/inbound hands over what arrived (``mail.support_received``: the sender, their
account if the address has one, the message and the words they added) after dropping
bounces, auto-replies and floods. Here:

- an answer about an open case (its Message-ID in In-Reply-To/References, or the case's
  ``[#123]`` token in the subject, from the case's customer) is added to it as the
  customer's message, through the same ``customer_message`` as the case page;
- anything else opens a case through Contact support's own path (``contact_support`` with
  the e-mail channel: the same checks, rate limit, priority triage, SLA and routing), and
  the customer gets an acknowledgement with the case number, threaded under their message,
  whose Reply-To brings their answers back into the case;
- a sender without an account gets a visitor's request (guests.py, as Contact support
  without an account): acknowledged with its number and a signed link, answered by e-mail;
  their answers carrying the case's token come back into it.

Answers to a notification about a case (``mail.reply_received`` with a "case:N" target)
are the customer's messages too. Agents answer with "Reply privately": the customer gets
it by e-mail (portal/notification_mail.py), under the same subject token and thread.
"""

import re

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from moderation.cases import guests
from moderation.cases.acknowledgements import acknowledge
from moderation.cases.models import SUBJECT_MAX, Case, Channel
from moderation.cases.service import customer_message
from moderation.cases.sources import contact_support
from portal.errors import NotFound, TooManyAttempts, ValidationFailed
from portal.inbound import conversations
from portal.models import Tag

# "[#12]" (members' e-mails), "[Case #12]" / "[Cas n° 12]" (visitors', in their language).
CASE_TOKEN = re.compile(r"\[[^\]\d]*?(?:#|n°)\s*(\d+)\]")
WORD = re.compile(r"\w+")
REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|tr|aw|sv)\s*:\s*)+", re.IGNORECASE)


def on_reply_received(sender, *, session, user, target, text, results, **data) -> None:
    """An answer to a notification about a case: the customer's message on it."""
    kind, _sep, number = target.partition(":")
    if kind != "case":
        return
    case = session.get(Case, int(number))
    if case is None:
        raise NotFound(_("This request no longer exists, so your message was not added."))
    customer_message(session, user, case, text)
    results.append(f"customer message on case {case.id}")


def on_support_received(
    sender,
    *,
    session,
    sender_address,
    user,
    message,
    subject,
    text,
    results,
    may_answer,
    answered,
    **data,
) -> None:
    """Mail to the support address: a message on the case it answers, or a new case.

    ``may_answer``: whether a "no account" note may go out (at most one a day an address);
    ``answered`` is told when one did."""
    message_id = str(message.get("Message-ID", "") or "").strip()
    if user is None:
        _from_visitor(session, sender_address, data.get("sender_name", ""), subject, text, results)
        return
    case = case_answered(session, user, message, subject)
    if case is not None and case.is_active:
        customer_message(session, user, case, text)
        conversations.remember(session, message_id, f"case:{case.id}", user.id)
        results.append(f"customer message on case {case.id}")
        return
    try:
        case = contact_support(
            session,
            user,
            subject=case_subject(subject, text),
            body=text,
            tag_slugs=tags_named(session, f"{subject}\n{text}"),
            channel=Channel.EMAIL,
        )
    except TooManyAttempts:
        limit = current_app.config["CASES_CONTACT_RATE_LIMIT"]
        raise ValidationFailed(
            ngettext(
                "You sent us %(num)s request in the last hour, the most we take at once. "
                "Please write again a little later, or answer one of your open requests.",
                "You sent us %(num)s requests in the last hour, the most we take at once. "
                "Please write again a little later, or answer one of your open requests.",
                limit,
            )
        ) from None
    conversations.remember(session, message_id, f"case:{case.id}", user.id)
    acknowledge(session, user, case, message)
    results.append(f"case {case.id} opened")


def case_answered(session, user, message, subject: str) -> Case | None:
    """The customer's case this message answers: by its references, else the subject's token."""
    target = conversations.target_of(session, message)
    number = target.partition(":")[2] if target.startswith("case:") else ""
    if not number:
        found = CASE_TOKEN.search(subject or "")
        number = found.group(1) if found else ""
    case = session.get(Case, int(number)) if number else None
    return case if case is not None and case.customer_id == user.id else None


def tags_named(session, text: str) -> list[str]:
    """The topics an e-mail names (its words), for routing by skill: a form has a topic
    picker, an e-mail only its words."""
    words = set(WORD.findall(text.lower()))
    tags = session.execute(select(Tag.slug, Tag.name)).all()
    return [slug for slug, name in tags if set(WORD.findall(name.lower())) <= words and name]


def case_subject(subject: str, text: str) -> str:
    """The case's subject: the e-mail's without "Re:"/"Fwd:", else the text's first words."""
    subject = REPLY_PREFIX.sub("", CASE_TOKEN.sub("", subject or "")).strip()
    if len(subject) < 5:
        first_line = next((line for line in (text or "").splitlines() if line.strip()), "")
        subject = first_line.strip()[:80] or _("Request by e-mail")
    return " ".join(subject.split())[:SUBJECT_MAX]


def _from_visitor(session, address: str, name: str, subject: str, text: str, results) -> None:
    """Mail from an address without an account: a message on the visitor's open request its
    subject names, else a new visitor's request (acknowledged with its link)."""
    found = CASE_TOKEN.search(subject or "")
    case = session.get(Case, int(found.group(1))) if found else None
    ours = case is not None and case.customer_id is None and case.requester_email == address
    if ours and case.is_active:
        guests.guest_message(session, case, text)
        results.append(f"visitor message on case {case.id}")
        return
    case = guests.contact_as_guest(
        session,
        email=address,
        name=name,
        subject=case_subject(subject, text),
        body=text,
        tag_slugs=tags_named(session, f"{subject}\n{text}"),
        locale=None,
        channel=Channel.EMAIL,
    )
    results.append(f"visitor case {case.id} opened")
