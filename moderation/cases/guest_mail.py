"""A visitor's request is answered by e-mail: the acknowledgement, agents' replies and the
survey, each with a signed link to the request's page (no account needed).

The link is itsdangerous' timestamped signature over the case and the visitor's address
(salted for this purpose alone), valid GUEST_CASE_LINK_MAX_AGE_DAYS from the e-mail that
carried it: every e-mail carries a fresh one. It stops working when the request is tied
to an account (the member sees it among their requests). E-mails are written in the
visitor's language (the page's when they wrote, else the language of their message).
"""

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from moderation.cases.models import Case
from moderation.cases.queries import customer_language
from portal import mail
from portal.errors import NotFound, ValidationFailed
from portal.urls import external_url

SALT = "careportal.guest-case"


class GuestLinkRefused(ValidationFailed):
    """An expired, tampered or no longer valid link to a visitor's request."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def guest_token(case: Case) -> str:
    return _serializer().dumps({"c": case.id, "e": case.requester_email})


def guest_link(case: Case) -> str:
    """The absolute address of the visitor's page for this request (from SITE_URL)."""
    return external_url("cases.guest_case", token=guest_token(case))


def case_of_token(session: Session, token: str) -> Case:
    """The visitor's request a link opens; GuestLinkRefused or NotFound otherwise."""
    max_age = int(current_app.config["GUEST_CASE_LINK_MAX_AGE_DAYS"]) * 86400
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise GuestLinkRefused(
            _("This link has expired. The latest e-mail about your request has a fresh one.")
        ) from None
    except BadSignature:
        raise NotFound(_("No such request.")) from None
    case = session.get(Case, payload.get("c")) if isinstance(payload, dict) else None
    if case is None or case.requester_email != payload.get("e"):
        raise NotFound(_("No such request."))
    if case.customer_id is not None:
        raise GuestLinkRefused(
            _("This request is now in your account: sign in to see it and answer.")
        )
    return case


def _send(session: Session, case: Case, subject: str, paragraphs: list[str]) -> None:
    site = current_app.config["SITE_NAME"]
    body = "\n\n".join([*paragraphs, guest_link(case), f"— {site}"])
    mail.send_later(session, to=case.requester_email, subject=subject, body=body)


def send_acknowledgement(session: Session, case: Case) -> None:
    """We have the request: its number, and the link to follow and answer it."""
    with force_locale(customer_language(case)):
        subject = _("[Case #%(id)s] We received your request: %(subject)s", id=case.id,
                    subject=case.subject)  # fmt: skip
        greeting = _("Hello %(name)s,", name=case.requester) if case.requester_name else ""
        _send(
            session,
            case,
            subject,
            [
                *filter(None, [greeting]),
                _(
                    "Thank you for writing to us. Your request is case #%(id)s; an agent "
                    "answers by e-mail. You can read our answers and write to us on this "
                    "page, no account needed (keep this link to yourself):",
                    id=case.id,
                ),
            ],
        )


def send_reply(session: Session, case: Case, agent_name: str, text: str) -> None:
    """An agent's reply, its text in the e-mail (what the visitor reads first)."""
    with force_locale(customer_language(case)):
        subject = _("[Case #%(id)s] Our answer: %(subject)s", id=case.id, subject=case.subject)
        _send(
            session,
            case,
            subject,
            [
                _("%(agent)s from support wrote:", agent=agent_name),
                text,
                _("To answer, open your request:"),
            ],
        )


def send_survey(session: Session, case: Case, survey_link: str) -> None:
    """The request is solved: the survey's link, and the request's for the record."""
    with force_locale(customer_language(case)):
        subject = _("[Case #%(id)s] Solved: %(subject)s", id=case.id, subject=case.subject)
        _send(
            session,
            case,
            subject,
            [
                _("We consider your request solved. How did we do? Two questions:"),
                survey_link,
                _("Your request stays on this page for your records:"),
            ],
        )
