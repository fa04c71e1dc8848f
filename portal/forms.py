"""Forms of the portal shell: sign-up, sign-in, profile, password, user administration;
and how every package's views run a form's service call (commit_or_show, form_status)."""

from collections.abc import Callable

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from portal.errors import DomainError
from portal.extensions import db
from portal.localtime import time_zone_names
from portal.models import BIO_MAX, DISPLAY_NAME_MAX, EMAIL_MAX, REASON_MAX, USERNAME_MAX
from portal.permissions import Role

PASSWORD_MAX = 128


def strong_enough(form, field) -> None:
    """Passwords at least PASSWORD_MIN_LENGTH long (a setting)."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(field.data or "") < minimum:
        raise ValidationError(f"Use at least {minimum} characters.")


class RegisterForm(FlaskForm):
    username = StringField(
        "Username",
        validators=[DataRequired(), Length(min=3, max=USERNAME_MAX)],
        description="3–32 lowercase letters, digits, '-' or '_'. Shown next to your posts.",
    )
    email = StringField(
        "E-mail address", validators=[DataRequired(), Length(max=EMAIL_MAX), Email()]
    )
    password = PasswordField(
        "Password", validators=[DataRequired(), strong_enough, Length(max=PASSWORD_MAX)]
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo("password", message="The passwords differ.")],
    )


class LoginForm(FlaskForm):
    identifier = StringField(
        "Username or e-mail address", validators=[DataRequired(), Length(max=EMAIL_MAX)]
    )
    password = PasswordField("Password", validators=[DataRequired(), Length(max=PASSWORD_MAX)])
    remember = BooleanField("Keep me signed in on this device")


class ProfileForm(FlaskForm):
    display_name = StringField(
        "Display name", validators=[Optional(), Length(max=DISPLAY_NAME_MAX)]
    )
    bio = TextAreaField("About you", validators=[Optional(), Length(max=BIO_MAX)])


class PreferencesForm(FlaskForm):
    """E-mail notifications and the time zone: how the portal reaches and speaks to a user."""

    email_notifications = BooleanField(
        "E-mail me my notifications",
        description="Replies, accepted solutions, mentions and followed topics. "
        "Notifications always appear under the bell.",
    )
    # The service checks the name (portal.localtime): one rule, one message.
    time_zone = SelectField(
        "Time zone",
        validate_choice=False,
        description="Times on every page and in your e-mails. “Detect from my browser” "
        "shows pages in your device's zone and e-mails in UTC.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone.choices = [
            SelectChoice("", "Detect from my browser"),
            *(SelectChoice(name, name.replace("_", " ")) for name in time_zone_names()),
        ]
        if self.time_zone.data is None:  # no zone saved: "detect" is the selected choice
            self.time_zone.data = ""


class PasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=PASSWORD_MAX)]
    )
    new_password = PasswordField(
        "New password", validators=[DataRequired(), strong_enough, Length(max=PASSWORD_MAX)]
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("new_password", message="The passwords differ.")],
    )


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=[SelectChoice(role.value, role.label) for role in Role])


class SuspendForm(FlaskForm):
    reason = TextAreaField(
        "Reason (shown to the user)", validators=[DataRequired(), Length(max=REASON_MAX)]
    )
    days = IntegerField(
        "Days",
        validators=[Optional(), NumberRange(min=1, max=3650)],
        description="Leave empty to suspend until an admin lifts it.",
    )


class DeleteAccountForm(FlaskForm):
    """A member deletes their own account: their password, and that they understood."""

    password = PasswordField("Your password", validators=[DataRequired(), Length(max=PASSWORD_MAX)])
    understood = BooleanField(
        "I understand that my account is deleted for good and cannot be restored",
        validators=[DataRequired(message="Tick the box to confirm.")],
    )


class AdminDeleteAccountForm(FlaskForm):
    """An admin deletes someone's account: typing its username guards against a slip."""

    username = StringField(
        "Type the username to confirm", validators=[DataRequired(), Length(max=USERNAME_MAX)]
    )
    reason = TextAreaField(
        "Reason (for the audit log)", validators=[Optional(), Length(max=REASON_MAX)]
    )


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that POST."""


def show_domain_error(form: FlaskForm, error) -> None:
    """Put a service's DomainError on the field it names, or on the form as a whole."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def commit_or_show(form: FlaskForm, action: Callable[[], object]) -> bool:
    """Run the service call of a validated form as one transaction: commit and return True,
    or roll back, put the DomainError's message on the form (the user's input stays) and
    return False, so the view shows the form again."""
    try:
        action()
        db.session.commit()  # in the try: a rule checked by the final flush is a refusal too
    except DomainError as error:
        db.session.rollback()
        show_domain_error(form, error)
        return False
    return True


def form_status(form: FlaskForm) -> int:
    """422 for a refused form (its errors include those of show_domain_error), else 200."""
    return 422 if form.errors else 200
