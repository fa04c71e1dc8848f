""" "We received your request #N": the e-mail a customer gets when a request reaches support,
by the Contact support form or by e-mail.

Transactional (the customer just asked), so no unsubscribe; automatic (Auto-Submitted),
so out-of-office robots do not answer it; with inbound mail set up, its Reply-To is the
customer's reply address for the case, so answering it adds to the request. Its subject
carries the case's token, ``[#N]``, which threads answers sent to the support address.
"""

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.orm import Session

from moderation.cases.models import Case
from portal.i18n import locale_of
from portal.inbound import conversations, replies
from portal.mail import new_message_id
from portal.mail_addresses import reply_address
from portal.models import User
from portal.urls import external_url


def acknowledge(session: Session, customer: User, case: Case, message=None) -> None:
    """Send the acknowledgement of ``case`` (threaded under ``message``, the customer's
    e-mail, when the request came by e-mail), in the customer's language."""
    target = f"case:{case.id}"
    context = {
        "user": customer,
        "case": case,
        "case_url": external_url("cases.my_case", case_id=case.id),
        "site_name": current_app.config["SITE_NAME"],
        "reply_by_email": bool(reply_address(customer.id, target)),
    }
    message_id = new_message_id()
    with force_locale(locale_of(customer)):
        replies.answer(
            session,
            message,
            to=customer.email,
            subject=f"[#{case.id}] {case.subject}",
            text=render_template("cases/email/acknowledgement.txt", **context),
            html=render_template("cases/email/acknowledgement.html", **context),
            reply_to=reply_address(customer.id, target),
            message_id=message_id,
        )
    conversations.remember(session, message_id, target, customer.id)
