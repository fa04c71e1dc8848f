"""E-mail choices in the settings, and the one-click unsubscribe every notification carries.

``/unsubscribe/<token>`` answers a mail client's RFC 8058 one-click POST (no sign-in, no
CSRF token: the signed token is the proof, and the only thing it can do is turn one
category of e-mail off for one person); a person who follows the link gets a page that
asks before doing it (GET never changes anything: link scanners fetch every link).
"""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import email_preferences
from portal.email_forms import EmailPreferencesForm
from portal.extensions import csrf, db
from portal.forms import PasswordForm, PreferencesForm, ProfileForm
from portal.views import bp, render_settings


def _found(token: str):
    found = email_preferences.read_unsubscribe_token(db.session, token)
    if found is None:
        abort(404, _("This unsubscribe link is not valid. Choose your e-mails in your settings."))
    return found


@bp.get("/unsubscribe/<token>")
def unsubscribe(token: str):
    user, category = _found(token)
    label = _(email_preferences.CATEGORIES[category][0])
    return render_template("portal/unsubscribe.html", user=user, label=label, done=False)


@bp.post("/unsubscribe/<token>")
@csrf.exempt
def unsubscribe_now(token: str):
    user, category = _found(token)
    email_preferences.unsubscribe(db.session, token)
    db.session.commit()
    label = _(email_preferences.CATEGORIES[category][0])
    return render_template("portal/unsubscribe.html", user=user, label=label, done=True)


@bp.post("/settings/emails")
@login_required
def save_email_preferences():
    """Save every category's choice at once; a choice the form does not offer is a 422."""
    form = EmailPreferencesForm()
    if not form.validate_on_submit():
        return render_settings(
            ProfileForm(formdata=None, obj=current_user),
            PasswordForm(formdata=None),
            PreferencesForm(formdata=None, obj=current_user),
            email_choices_form=form,
        )
    for field in form.categories():
        email_preferences.set_mode(db.session, current_user, field.name, field.data)
    db.session.commit()
    flash(_("Your e-mail choices are saved."), "success")
    return redirect(url_for("portal.settings", _anchor="email-choices"))
