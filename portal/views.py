"""Home page, health check, profiles and account settings."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_required, logout_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select, text

from portal import email_preferences, i18n, service, sessions
from portal.account_forms import ChangeEmailForm
from portal.email_forms import EmailPreferencesForm
from portal.errors import NotFound
from portal.extensions import db
from portal.forms import (
    AvatarForm,
    EmptyForm,
    LanguageForm,
    PasswordForm,
    PreferencesForm,
    ProfileForm,
    commit_or_show,
)
from portal.i18n import LANGUAGES
from portal.inputs import local_path
from portal.markdown import profile_links, render_markdown
from portal.models import Tag
from portal.permissions import is_staff
from portal.public_pages import public_page

bp = Blueprint("portal", __name__)


@bp.route("/")
@public_page
def home():
    tags = db.session.scalars(select(Tag).order_by(Tag.name)).all()
    return render_template("portal/home.html", tags=tags)


@bp.route("/csrf-token")
def csrf_token():
    """This browser's CSRF token, for a form sent from a public page (static/public_forms.js):
    asking for it starts the session that keeps it."""
    return "", 204, {"X-CSRFToken": generate_csrf()}


@bp.route("/favicon.ico")
def favicon():
    """The icon browsers and feed readers ask for at the root, whatever the page links."""
    return current_app.send_static_file("favicon.ico")


@bp.post("/preview")
@login_required
def preview_markdown():
    """The editors' live preview (static/preview.js): the text through the one renderer."""
    text = request.form.get("text", "")
    if len(text.encode()) > current_app.config["POST_BODY_MAX_BYTES"]:
        return jsonify(error=_("Too large"), message=_("This text is too long to preview.")), 413
    html = render_markdown(
        text, user_content=not is_staff(current_user), mention_links=profile_links(text)
    )
    return jsonify(html=str(html))


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
    """A member's profile; a deleted account has none."""
    try:
        user = service.get_user_by_username(db.session, username)
    except NotFound:
        abort(404)
    if user.is_deleted:
        abort(404)
    return user


@bp.route("/u/<username>")
def profile(username: str):
    user = load_user_or_404(username)
    return render_template("portal/profile.html", user=user)


def render_settings(
    profile_form: ProfileForm,
    password_form: PasswordForm,
    preferences_form: PreferencesForm | None = None,
    email_form: ChangeEmailForm | None = None,
    email_choices_form: EmailPreferencesForm | None = None,
    avatar_form: AvatarForm | None = None,
):
    failed = (
        profile_form.errors
        or password_form.errors
        or (preferences_form is not None and preferences_form.errors)
        or (email_form is not None and email_form.errors)
        or (email_choices_form is not None and email_choices_form.errors)
        or (avatar_form is not None and avatar_form.errors)
    )
    if email_choices_form is None:
        modes = email_preferences.modes_for(db.session, current_user)
        email_choices_form = EmailPreferencesForm(
            formdata=None, data={name: mode.value for name, mode in modes.items()}
        )
    page = render_template(
        "portal/settings.html",
        profile_form=profile_form,
        password_form=password_form,
        preferences_form=preferences_form or PreferencesForm(formdata=None, obj=current_user),
        email_form=email_form or ChangeEmailForm(formdata=None),
        email_choices_form=email_choices_form,
        sign_out_form=EmptyForm(),
        avatar_form=avatar_form or AvatarForm(formdata=None),
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
    flash(_("Profile saved."), "success")
    return redirect(url_for("portal.profile", username=current_user.username))


@bp.route("/settings/preferences", methods=["POST"])
@login_required
def save_preferences():
    """Language, e-mail notifications and time zone; a refused zone re-renders the form as
    sent (422)."""
    form = PreferencesForm()
    if not form.validate_on_submit():
        abort(400)

    def save() -> None:
        service.set_locale(db.session, current_user, current_user, locale=form.locale.data)
        service.set_time_zone(db.session, current_user, current_user, time_zone=form.time_zone.data)
        service.set_email_notifications(
            db.session, current_user, current_user, enabled=bool(form.email_notifications.data)
        )

    if not commit_or_show(form, save):
        return render_settings(
            ProfileForm(formdata=None, obj=current_user), PasswordForm(formdata=None), form
        )
    refresh()  # the message speaks the language just chosen
    flash(preferences_saved(current_user), "success")
    return redirect(url_for("portal.settings"))


def preferences_saved(user) -> str:
    """What was saved, in whole sentences (in the language just chosen)."""
    zone = user.time_zone
    if user.email_notifications:
        if zone:
            return _(
                "Preferences saved: notifications e-mailed to you, times in %(zone)s.", zone=zone
            )
        return _(
            "Preferences saved: notifications e-mailed to you, times in your browser’s time zone."
        )
    if zone:
        return _(
            "Preferences saved: notifications kept under the bell, times in %(zone)s.", zone=zone
        )
    return _(
        "Preferences saved: notifications kept under the bell, times in your browser’s time zone."
    )


@bp.route("/language", methods=["GET", "POST"])
def choose_language():
    """The footer's switcher. Visitors follow a link (GET: a cookie, no session needed);
    members post a form, which also saves the language as their preference."""
    if request.method == "POST":
        form = LanguageForm()
        if not form.validate_on_submit() or not current_user.is_authenticated:
            abort(400)
        chosen, target = form.locale.data, form.next.data
    else:
        chosen, target = request.args.get("lang"), request.args.get("next")
    if chosen not in LANGUAGES:
        abort(404)
    if request.method == "POST":
        service.set_locale(db.session, current_user, current_user, locale=chosen)
        db.session.commit()
    response = redirect(local_path(target) or url_for("portal.home"))
    response.set_cookie(
        i18n.COOKIE, chosen, max_age=i18n.COOKIE_MAX_AGE, httponly=True, samesite="Lax"
    )
    return response


@bp.route("/settings/password", methods=["POST"])
@login_required
def change_password():
    form = PasswordForm()
    if form.validate_on_submit() and commit_or_show(
        form,
        lambda: service.change_password(
            db.session,
            current_user,
            current_password=form.current_password.data,
            new_password=form.new_password.data,
        ),
    ):
        sessions.sign_in_again(current_user._get_current_object())
        flash(_("Password changed. Every other session of yours has been signed out."), "success")
        return redirect(url_for("portal.settings"))
    return render_settings(ProfileForm(formdata=None, obj=current_user), form)


@bp.route("/settings/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    """End every session and remember cookie of this user, on every device, this one too."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    service.end_sessions(db.session, current_user)
    db.session.commit()
    logout_user()
    flash(_("You are signed out everywhere. Sign in again on the devices you use."), "info")
    return redirect(url_for("auth.login"))
