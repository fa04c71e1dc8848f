"""Your data, your picture and your account (Settings): download what the portal holds,
upload or remove a profile picture, delete the account."""

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from portal import attachments, avatars, privacy
from portal.attachments import accepts_uploads
from portal.database import utcnow
from portal.errors import DomainError, ValidationFailed
from portal.extensions import db
from portal.forms import (
    AvatarForm,
    DeleteAccountForm,
    EmptyForm,
    PasswordForm,
    ProfileForm,
    commit_or_show,
    form_status,
    show_domain_error,
)
from portal.permissions import Role
from portal.views import bp, render_settings


@bp.route("/settings/data", methods=["POST"])
@login_required
def download_data():
    """Everything the portal holds about the signed-in user, as a JSON file (a POST, so
    no link prefetcher builds one)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    body = privacy.export_json(db.session, current_user)
    filename = f"careportal-{current_user.username}-{utcnow():%Y-%m-%d}.json"
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/settings/delete-account", methods=["GET", "POST"])
@login_required
def delete_account():
    """What deleting means, then the password; the account goes and this browser signs out."""
    form = DeleteAccountForm()
    user = current_user._get_current_object()
    if form.validate_on_submit() and commit_or_show(
        form, lambda: privacy.delete_account(db.session, user, user, password=form.password.data)
    ):
        logout_user()
        flash(_("Your account is deleted. Your posts stay, signed “Deleted member”."), "info")
        return redirect(url_for("portal.home"))
    last_admin = user.role == Role.ADMIN and not privacy.other_admins(db.session, user)
    page = render_template(
        "portal/delete_account.html",
        form=form,
        last_admin=last_admin,
        data_form=EmptyForm(),
    )
    return page, form_status(form)


@bp.route("/settings/avatar", methods=["POST"])
@login_required
@accepts_uploads
def save_avatar():
    """Upload a profile picture, or (the Remove button) go back to the drawn one."""
    form = AvatarForm()
    if not form.validate_on_submit():
        return render_settings(ProfileForm(obj=current_user), PasswordForm(formdata=None))
    try:
        removing = "remove" in request.form
        if removing:
            old = avatars.remove_avatar(db.session, current_user, current_user)
        else:
            upload = form.avatar.data
            if not getattr(upload, "filename", ""):
                raise ValidationFailed(_("Choose a picture first."), field="avatar")
            data = upload.stream.read(current_app.config["ATTACHMENT_MAX_BYTES"] + 1)
            if len(data) > current_app.config["ATTACHMENT_MAX_BYTES"]:
                raise ValidationFailed(
                    _(
                        "This picture is larger than %(size)s.",
                        size=attachments.megabytes(current_app.config["ATTACHMENT_MAX_BYTES"]),
                    ),
                    field="avatar",
                )
            old = avatars.set_avatar(
                db.session, current_user, current_user, filename=upload.filename, data=data
            )
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        show_domain_error(form, error)
        page, _status = render_settings(
            ProfileForm(obj=current_user), PasswordForm(formdata=None), avatar_form=form
        )
        return page, 422
    avatars.discard_file(old)
    flash(_("Your picture is removed.") if removing else _("Your picture is saved."), "success")
    return redirect(url_for("portal.settings"))
