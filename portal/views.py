"""Home page, health check, profiles and account settings."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select, text

from portal import service
from portal.errors import DomainError, NotFound
from portal.extensions import db
from portal.forms import (
    NotificationSettingsForm,
    PasswordForm,
    ProfileForm,
    show_domain_error,
)
from portal.models import Tag

bp = Blueprint("portal", __name__)


@bp.route("/")
def home():
    tags = db.session.scalars(select(Tag).order_by(Tag.name)).all()
    return render_template("portal/home.html", tags=tags)


@bp.route("/healthz")
def healthz():
    """200 when the database answers, 503 when it does not (for load balancers and monitors)."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # any driver error means "not healthy", never a 500 page
        db.session.rollback()
        return jsonify(status="unavailable", database=type(error).__name__), 503
    return jsonify(status="ok", database="ok")


def load_user_or_404(username: str):
    try:
        return service.get_user_by_username(db.session, username)
    except NotFound:
        abort(404)


@bp.route("/u/<username>")
def profile(username: str):
    user = load_user_or_404(username)
    return render_template("portal/profile.html", user=user)


def render_settings(profile_form: ProfileForm, password_form: PasswordForm):
    failed = profile_form.errors or password_form.errors
    page = render_template(
        "portal/settings.html",
        profile_form=profile_form,
        password_form=password_form,
        notification_form=NotificationSettingsForm(formdata=None, obj=current_user),
    )
    return page, 422 if failed else 200


@bp.route("/settings")
@login_required
def settings():
    return render_settings(ProfileForm(obj=current_user), PasswordForm())


@bp.route("/settings/profile", methods=["POST"])
@login_required
def save_profile():
    form = ProfileForm()
    if not form.validate_on_submit():
        return render_settings(form, PasswordForm(formdata=None))
    service.update_profile(
        db.session,
        current_user,
        current_user,
        display_name=form.display_name.data or "",
        bio=form.bio.data or "",
    )
    db.session.commit()
    flash("Profile saved.", "success")
    return redirect(url_for("portal.profile", username=current_user.username))


@bp.route("/settings/notifications", methods=["POST"])
@login_required
def save_notification_settings():
    form = NotificationSettingsForm()
    if not form.validate_on_submit():
        abort(400)
    enabled = bool(form.email_notifications.data)
    service.set_email_notifications(db.session, current_user, current_user, enabled=enabled)
    db.session.commit()
    flash(
        "We will e-mail you your notifications."
        if enabled
        else "No more notification e-mails: they stay under the bell.",
        "success",
    )
    return redirect(url_for("portal.settings"))


@bp.route("/settings/password", methods=["POST"])
@login_required
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            service.change_password(
                db.session,
                current_user,
                current_password=form.current_password.data,
                new_password=form.new_password.data,
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash("Password changed.", "success")
            return redirect(url_for("portal.settings"))
    return render_settings(ProfileForm(formdata=None, obj=current_user), form)
