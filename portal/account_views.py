"""Your data and your account (Settings): download what the portal holds, delete the account."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from portal import privacy
from portal.database import utcnow
from portal.extensions import db
from portal.forms import DeleteAccountForm, EmptyForm, commit_or_show, form_status
from portal.permissions import Role
from portal.views import bp


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
