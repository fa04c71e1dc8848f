"""Forgotten password, the reset link, confirming an address, changing it (on the auth and
settings pages; the rules are in portal/recovery.py)."""

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import account_tokens, ratelimits, recovery, service, sessions
from portal.account_forms import ChangeEmailForm, ForgotPasswordForm, ResetPasswordForm
from portal.account_tokens import LinkRefused
from portal.auth_views import bp
from portal.extensions import db
from portal.forms import EmptyForm, PasswordForm, ProfileForm, commit_or_show, form_status
from portal.views import render_settings


def private(page, status: int = 200):
    """A page whose address holds a secret: never cached, never sent on as a Referer."""
    response = make_response(page, status)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def too_many(form, wait: int):
    form.form_errors.append(
        _(
            "Too many requests for this address or from your network just now. Please try "
            "again in %(wait)s.",
            wait=ratelimits.describe_wait(wait),
        )
    )


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    """Ask for a reset link: the same answer whether or not an account has the address."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        email = service.normalize_email(form.email.data)
        # Per address typed (a digest: no addresses in the counter's store) and per network.
        buckets = (
            ratelimits.Bucket("PASSWORD_RESET_RATE_LIMIT", ratelimits.client_address()),
            ratelimits.Bucket("PASSWORD_RESET_EMAIL_RATE_LIMIT", account_tokens.fingerprint(email)),
        )
        wait = ratelimits.wait_seconds(*buckets)
        if wait:
            too_many(form, wait)
            page = render_template("auth/forgot_password.html", form=form)
            return page, 429, {"Retry-After": str(wait)}
        recovery.request_password_reset(db.session, email)
        db.session.commit()
        ratelimits.count(*buckets)
        return render_template("auth/reset_sent.html", email=email)
    return render_template("auth/forgot_password.html", form=form), form_status(form)


def refused(error: LinkRefused, *, verification: bool = False):
    page = render_template(
        "auth/link_refused.html", message=error.message, verification=verification
    )
    return private(page, 410)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from the e-mailed link; this browser is then signed in."""
    try:
        user = account_tokens.user_of_reset_token(db.session, token)
    except LinkRefused as error:
        return refused(error)
    form = ResetPasswordForm()
    if form.validate_on_submit() and commit_or_show(
        form, lambda: recovery.reset_password(db.session, token, form.new_password.data)
    ):
        if user.is_suspended:
            flash(service.suspension_message(user), "error")
            return redirect(url_for("auth.login"))
        sessions.sign_in(user)
        flash(
            _("Your password is changed and you are signed in. Every other session was ended."),
            "success",
        )
        return redirect(url_for("portal.home"))
    page = render_template("auth/reset_password.html", form=form, user=user)
    return private(page, form_status(form))


@bp.route("/verify-email/<token>", methods=["GET", "POST"])
def verify_email(token: str):
    """A button, not the link itself, confirms: mail scanners that open links change nothing."""
    try:
        user, email = recovery.claim_of(db.session, token)
    except LinkRefused as error:
        return refused(error, verification=True)
    form = EmptyForm()
    if form.validate_on_submit() and commit_or_show(
        form, lambda: recovery.verify_email(db.session, token)
    ):
        flash(_("Thank you: %(email)s is confirmed.", email=email), "success")
        if current_user.is_authenticated:
            return redirect(url_for("portal.settings"))
        return redirect(url_for("auth.login"))
    already = email == user.email and user.email_verified
    page = render_template("auth/verify_email.html", form=form, email=email, already=already)
    return private(page, form_status(form))


def verification_bucket(user) -> ratelimits.Bucket:
    return ratelimits.Bucket("VERIFICATION_EMAIL_RATE_LIMIT", f"user-{user.id}")


@bp.post("/settings/email/verify")
@login_required
def resend_verification():
    """Send the confirmation link again (rate-limited per account)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    if user.email_verified:
        flash(_("Your address is confirmed already."), "info")
        return redirect(url_for("portal.settings"))
    if not ratelimits.take(verification_bucket(user)):
        flash(_("We sent several links just now. Please wait a little, then try again."), "error")
        return redirect(url_for("portal.settings"))
    recovery.send_verification(db.session, user)
    db.session.commit()
    flash(_("We sent a new link to %(email)s.", email=user.email), "success")
    return redirect(url_for("portal.settings"))


@bp.post("/settings/email")
@login_required
def change_email():
    """A new address: confirmed by a link sent to it before the account uses it."""
    form = ChangeEmailForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        wait = ratelimits.wait_seconds(verification_bucket(user))
        if wait:
            too_many(form, wait)
        elif commit_or_show(
            form,
            lambda: recovery.request_email_change(
                db.session, user, password=form.password.data, new_email=form.email.data
            ),
        ):
            ratelimits.count(verification_bucket(user))
            flash(
                _(
                    "We sent a link to %(new)s. Your address stays %(old)s until you open it.",
                    new=service.normalize_email(form.email.data),
                    old=user.email,
                ),
                "success",
            )
            return redirect(url_for("portal.settings"))
    return render_settings(
        ProfileForm(formdata=None, obj=user), PasswordForm(formdata=None), email_form=form
    )
