"""Your account (Settings): delete it."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required, logout_user

from portal import privacy
from portal.extensions import db
from portal.forms import DeleteAccountForm, commit_or_show, form_status
from portal.permissions import Role
from portal.views import bp


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
        flash("Your account is deleted. Your posts stay, signed “Deleted member”.", "info")
        return redirect(url_for("portal.home"))
    last_admin = user.role == Role.ADMIN and not privacy.other_admins(db.session, user)
    page = render_template(
        "portal/delete_account.html",
        form=form,
        last_admin=last_admin,
    )
    return page, form_status(form)
