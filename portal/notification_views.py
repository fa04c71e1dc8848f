"""The notification list, opening one (marks it read) and marking all read."""

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_login import current_user, login_required

from portal import notifications
from portal.extensions import db
from portal.forms import EmptyForm
from portal.inputs import paginate

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.route("/")
@login_required
def index():
    page = paginate(
        notifications.notifications_for(current_user),
        per_page=current_app.config["NOTIFICATIONS_PER_PAGE"],
    )
    return render_template("portal/notifications.html", page=page, form=EmptyForm())


@bp.route("/<int:notification_id>/open", methods=["POST"])
@login_required
def open_one(notification_id: int):
    note = db.session.get(notifications.Notification, notification_id)
    if note is None or note.user_id != current_user.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    notifications.mark_read(db.session, current_user, note)
    db.session.commit()
    # Links are written by the portal itself, but stay on site whatever happens.
    target = note.link if note.link.startswith("/") and not note.link.startswith("//") else None
    return redirect(target or url_for("notifications.index"))


@bp.route("/read-all", methods=["POST"])
@login_required
def read_all():
    if not EmptyForm().validate_on_submit():
        abort(400)
    notifications.mark_all_read(db.session, current_user)
    db.session.commit()
    return redirect(url_for("notifications.index"))
