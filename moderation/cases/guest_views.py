"""A visitor's side of Contact support: the form without an account, and their request's
page behind the signed link e-mailed to them (moderation/cases/guests.py, guest_mail.py)."""

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from moderation.cases import guests
from moderation.cases.forms import CustomerMessageForm, GuestContactForm
from moderation.cases.guest_mail import GuestLinkRefused, case_of_token
from moderation.cases.views import bp
from portal import ratelimits
from portal.account_tokens import fingerprint
from portal.errors import DomainError, NotFound
from portal.extensions import db
from portal.forms import commit_or_show, form_status, show_domain_error
from portal.service import normalize_email


def guest_contact(topics):
    """The visitor's form (GET and POST of /support/contact when nobody is signed in)."""
    form = GuestContactForm()
    form.topics.choices = topics
    if form.validate_on_submit():
        email = normalize_email(form.email.data)
        if form.website.data:
            # Only a bot fills in the hidden field: it is told what a person would be.
            return render_template("cases/guest_sent.html", email=email)
        buckets = (
            ratelimits.Bucket("GUEST_CONTACT_RATE_LIMIT", ratelimits.client_address()),
            ratelimits.Bucket("GUEST_CONTACT_EMAIL_RATE_LIMIT", fingerprint(email)),
        )
        wait = ratelimits.wait_seconds(*buckets)
        if wait:
            form.form_errors.append(
                _(
                    "We received several requests from your network or for this address just "
                    "now. Please try again in %(wait)s; your message is kept below.",
                    wait=ratelimits.describe_wait(wait),
                )
            )
            page = render_template("cases/contact.html", form=form)
            return page, 429, {"Retry-After": str(wait)}
        try:
            case = guests.contact_as_guest(
                db.session,
                email=email,
                name=form.name.data or "",
                subject=form.subject.data,
                body=form.body.data,
                tag_slugs=form.topics.data or [],
                locale=str(get_locale() or ""),
            )
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            ratelimits.count(*buckets)
            return render_template("cases/guest_sent.html", email=email, case=case)
    return render_template("cases/contact.html", form=form), form_status(form)


@bp.route("/support/requests/<token>", methods=["GET", "POST"])
def guest_case(token: str):
    """A visitor's request: what they wrote, our replies, and a box to answer."""
    try:
        case = case_of_token(db.session, token)
    except NotFound:
        abort(404)
    except GuestLinkRefused as error:
        page = render_template("cases/guest_link_refused.html", message=error.message)
        return private(page, 410)
    form = CustomerMessageForm()
    if form.validate_on_submit() and commit_or_show(
        form, lambda: guests.guest_message(db.session, case, form.body.data)
    ):
        flash(_("Message sent. We answer by e-mail."), "success")
        return redirect(url_for("cases.guest_case", token=token))
    visible = [event for event in case.events if event.customer_visible]
    page = render_template("cases/guest_case.html", case=case, events=visible, form=form)
    return private(page, form_status(form))


def private(page, status: int):
    """The link is the key to this page: never cached, never passed on as a Referer."""
    response = make_response(page, status)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response
