"""Forms for getting back into an account and proving an address: forgotten password,
new password, a new e-mail address."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from portal.forms import PASSWORD_MAX, PortalForm, strong_enough
from portal.models import EMAIL_MAX


class ForgotPasswordForm(PortalForm):
    email = StringField(
        _l("E-mail address"),
        validators=[DataRequired(), Length(max=EMAIL_MAX), Email()],
        description=_l("The address of your account. We send a link there."),
    )


class ResetPasswordForm(PortalForm):
    """The same strength rules as at registration (strong_enough)."""

    new_password = PasswordField(
        _l("New password"), validators=[DataRequired(), strong_enough, Length(max=PASSWORD_MAX)]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )


class ChangeEmailForm(PortalForm):
    email = StringField(
        _l("New e-mail address"), validators=[DataRequired(), Length(max=EMAIL_MAX), Email()]
    )
    password = PasswordField(
        _l("Your password"), validators=[DataRequired(), Length(max=PASSWORD_MAX)]
    )
