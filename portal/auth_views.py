"""Sign up, sign in and sign out."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from portal import known_devices, ratelimits, recovery, service, sessions
from portal.errors import DomainError, TooManyAttempts
from portal.extensions import db
from portal.forms import LoginForm, RegisterForm, form_status, show_domain_error
from portal.inputs import local_path
from portal.signin_throttle import SignInLimits

bp = Blueprint("auth", __name__)


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("portal.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        # Accounts are cheap to script: a few per address, and a cap on the site's burst.
        buckets = (
            ratelimits.Bucket("REGISTER_RATE_LIMIT", ratelimits.client_address()),
            ratelimits.Bucket("REGISTER_RATE_LIMIT_OVERALL", ratelimits.EVERYONE),
        )
        wait = ratelimits.wait_seconds(*buckets)
        if wait:
            form.form_errors.append(
                _(
                    "Too many accounts were created from your network or on the site just now. "
                    "Please try again in %(wait)s; what you typed is kept.",
                    wait=ratelimits.describe_wait(wait),
                )
            )
            page = render_template("auth/register.html", form=form)
            return page, 429, {"Retry-After": str(wait)}
        try:
            user = service.register_user(
                db.session,
                username=form.username.data,
                email=form.email.data,
                password=form.password.data,
            )
            recovery.send_verification(db.session, user)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            ratelimits.count(*buckets)
            sessions.sign_in(user)
            flash(
                _(
                    "Welcome, %(name)s! Your account is ready. We sent a link to %(email)s: "
                    "open it to confirm your address.",
                    name=user.name,
                    email=user.email,
                ),
                "success",
            )
            return redirect(url_for("portal.profile", username=user.username))
    return render_template("auth/register.html", form=form), form_status(form)


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = local_path(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("portal.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = service.authenticate(
                db.session,
                identifier=form.identifier.data,
                password=form.password.data,
                ip=ratelimits.client_address(),
                limits=SignInLimits.from_config(current_app.config),
                known_device_user_ids=known_devices.user_ids(),
            )
        except TooManyAttempts as error:
            db.session.rollback()
            show_domain_error(form, error)
            page = render_template("auth/login.html", form=form)
            return page, 429, {"Retry-After": str(error.retry_after or 60)}
        except DomainError as error:
            db.session.commit()  # keep the attempt: failures count towards the limit
            show_domain_error(form, error)
        else:
            db.session.commit()
            sessions.sign_in(user, remember=form.remember.data)
            flash(_("Signed in as %(name)s.", name=user.name), "success")
            response = redirect(next_url or url_for("portal.home"))
            return known_devices.remember(response, user.id)
    return render_template("auth/login.html", form=form), form_status(form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out, and end every other session and remember cookie of this user with it."""
    if current_user.is_authenticated:
        service.end_sessions(db.session, current_user)
        db.session.commit()
    logout_user()
    flash(_("You are signed out. Your other devices are signed out too."), "info")
    return redirect(url_for("portal.home"))
