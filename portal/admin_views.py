"""Admin pages: the admin area's index, find users, change their role, suspend and lift
suspensions, delete accounts."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from portal import i18n, privacy, service
from portal.confirm import confirmation_page
from portal.extensions import db
from portal.forms import (
    AdminDeleteAccountForm,
    EmptyForm,
    RoleForm,
    SiteLanguageForm,
    SuspendForm,
    commit_or_show,
)
from portal.inputs import paginate
from portal.models import User
from portal.permissions import (
    STAFF_ROLES,
    Role,
    can_manage_users,
    can_suspend,
    permission_required,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@permission_required(can_manage_users)
def index():
    """One page that links every admin tool, wherever its package serves it."""
    return render_template("admin/index.html")


@bp.route("/users")
@permission_required(can_manage_users)
def users():
    query = request.args.get("q", "").strip()[:100]
    role = request.args.get("role", "")
    statement = select(User).where(User.deleted_at.is_(None)).order_by(User.username)
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(or_(User.username.like(pattern), User.email.like(pattern)))
    if role in {r.value for r in Role}:
        statement = statement.where(User.role == role)
    page = paginate(statement, per_page=25)
    return render_template("admin/users.html", page=page, query=query, role=role, roles=list(Role))


def render_user(user: User, role_form=None, suspend_form=None, delete_form=None, status=200):
    page = render_template(
        "admin/user.html",
        user=user,
        role_form=role_form or RoleForm(formdata=None, role=user.role),
        suspend_form=suspend_form or SuspendForm(formdata=None),
        unsuspend_form=EmptyForm(),
        delete_form=delete_form or AdminDeleteAccountForm(formdata=None),
    )
    return page, status


def load_user(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or user.is_deleted:
        abort(404)
    return user


@bp.route("/settings", methods=["GET", "POST"])
@permission_required(can_manage_users)
def site_settings():
    """The site's default language (more site-wide choices belong here)."""
    form = SiteLanguageForm(formdata=None, locale=i18n.site_default())
    if request.method == "POST":
        form = SiteLanguageForm()
        if form.validate_on_submit() and commit_or_show(
            form, lambda: service.set_site_language(db.session, current_user, form.locale.data)
        ):
            flash(_("The site's default language is now %(name)s.",
                    name=i18n.LANGUAGES[form.locale.data]), "success")  # fmt: skip
            return redirect(url_for("admin.site_settings"))
        return render_template("admin/settings.html", form=form), 422
    return render_template("admin/settings.html", form=form)


@bp.route("/users/<username>")
@permission_required(can_manage_users)
def user_detail(username: str):
    return render_user(load_user(username))


def confirm_role_change(user, role: Role):
    """Making someone an admin, or taking a staff role away, is asked first; other changes
    (customer ↔ super-user) are not."""
    was = Role(user.role)
    if role == was or (role is not Role.ADMIN and was not in STAFF_ROLES):
        return None
    if role is Role.ADMIN:
        question = _(
            "%(username)s will manage every account, role, setting and log of the portal.",
            username=user.username,
        )
    else:
        question = _(
            "%(username)s loses the %(old)s's tools and becomes %(new)s.",
            username=user.username,
            old=was.label,
            new=role.label,
        )
    return confirmation_page(
        title=_("Make %(username)s %(role)s?", username=user.username, role=role.label),
        question=question,
        button=_("Change the role"),
        cancel_url=url_for("admin.user_detail", username=user.username),
    )


@bp.route("/users/<username>/role", methods=["POST"])
@permission_required(can_manage_users)
def change_role(username: str):
    user, form = load_user(username), RoleForm()
    if form.validate_on_submit() and (page := confirm_role_change(user, Role(form.role.data))):
        return page
    if form.validate_on_submit() and commit_or_show(
        form, lambda: service.change_role(db.session, current_user, user, Role(form.role.data))
    ):
        flash(
            _("%(username)s is now %(role)s.", username=user.username, role=Role(user.role).label),
            "success",
        )
        return redirect(url_for("admin.user_detail", username=user.username))
    return render_user(user, role_form=form, status=422)


@bp.route("/users/<username>/suspend", methods=["POST"])
@permission_required(can_manage_users)
def suspend(username: str):
    user, form = load_user(username), SuspendForm()
    if form.validate_on_submit():
        page = confirmation_page(
            title=_("Suspend %(username)s?", username=user.username),
            question=_("They cannot post and are signed out everywhere until it ends."),
            button=_("Suspend"),
            cancel_url=url_for("admin.user_detail", username=user.username),
            quote=form.reason.data,
        )
        if page is not None:
            return page
    if form.validate_on_submit() and commit_or_show(
        form,
        lambda: service.suspend_user(
            db.session, current_user, user, reason=form.reason.data, days=form.days.data
        ),
    ):
        flash(_("%(username)s is suspended.", username=user.username), "success")
        return redirect(url_for("admin.user_detail", username=user.username))
    return render_user(user, suspend_form=form, status=422)


@bp.route("/users/<username>/unsuspend", methods=["POST"])
@permission_required(can_manage_users)
def unsuspend(username: str):
    user = load_user(username)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not can_suspend(current_user, user):
        abort(403)
    service.unsuspend_user(db.session, current_user, user)
    db.session.commit()
    flash(_("%(username)s can sign in again.", username=user.username), "success")
    return redirect(url_for("admin.user_detail", username=user.username))


@bp.route("/users/<username>/delete", methods=["POST"])
@permission_required(can_manage_users)
def delete(username: str):
    """Delete someone else's account (audited); one's own goes through Settings."""
    user, form = load_user(username), AdminDeleteAccountForm()
    if user.id == current_user.id:
        abort(403)
    if form.validate_on_submit():
        if form.username.data.strip().lower() != user.username:
            form.username.errors = [_("Type %(username)s to confirm.", username=user.username)]
        elif commit_or_show(
            form,
            lambda: privacy.delete_account(
                db.session, current_user, user, reason=form.reason.data or ""
            ),
        ):
            flash(
                _(
                    "Account #%(id)s is deleted; its posts stay as “Deleted member”.",
                    id=user.id,
                ),
                "success",
            )
            return redirect(url_for("admin.users"))
    return render_user(user, delete_form=form, status=422)
