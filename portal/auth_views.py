"""Sign up, sign in and sign out."""

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from portal import service
from portal.errors import DomainError, TooManyAttempts
from portal.extensions import db
from portal.forms import LoginForm, RegisterForm, form_status, show_domain_error
from portal.inputs import local_path

bp = Blueprint("auth", __name__)


@bp.before_app_request
def sign_out_suspended_users():
    """A suspension takes effect at once, even for someone already signed in."""
    if current_user.is_authenticated and current_user.is_suspended:
        message = service.suspension_message(current_user)
        logout_user()
        flash(message, "error")


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("portal.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = service.register_user(
                db.session,
                username=form.username.data,
                email=form.email.data,
                password=form.password.data,
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            login_user(user)
            flash(f"Welcome, {user.name}! Your account is ready.", "success")
            return redirect(url_for("portal.profile", username=user.username))
    return render_template("auth/register.html", form=form), form_status(form)


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = local_path(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("portal.home"))
    form = LoginForm()
    if form.validate_on_submit():
        config = current_app.config
        try:
            user = service.authenticate(
                db.session,
                identifier=form.identifier.data,
                password=form.password.data,
                ip=request.remote_addr or "unknown",
                max_failures=config["LOGIN_MAX_FAILURES"],
                window=timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"]),
            )
        except TooManyAttempts as error:
            db.session.rollback()
            abort(429, description=error.message)
        except DomainError as error:
            db.session.commit()  # keep the attempt: failures count towards the limit
            show_domain_error(form, error)
        else:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            flash(f"Signed in as {user.name}.", "success")
            return redirect(next_url or url_for("portal.home"))
    return render_template("auth/login.html", form=form), form_status(form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("portal.home"))
