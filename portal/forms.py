"""The base of every form (PortalForm); the forms of the portal shell: sign-up, sign-in,
profile, password, user administration; and how every package's views run a form's
service call (commit_or_show, form_status)."""

from collections.abc import Callable

from flask import current_app, has_request_context, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from flask_wtf.csrf import _FlaskFormCSRF
from flask_wtf.form import SUBMIT_METHODS
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    FileField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import LANGUAGES, N_
from portal.inputs import json_formdata
from portal.localtime import time_zone_names
from portal.models import BIO_MAX, DISPLAY_NAME_MAX, EMAIL_MAX, REASON_MAX, USERNAME_MAX
from portal.permissions import Role
from portal.public_pages import is_public_get

PASSWORD_MAX = 128
FILE_REFUSED = N_("Type this in the form: a file is not accepted here.")
PREVIEW_BUTTON = "preview"  # the name of every Markdown editor's Preview button
_SUBMITTED = object()  # "read the request", as FlaskForm does when no formdata is given


def submitted_formdata():
    """The submitted fields: the form body (already cleaned by portal.inputs.PortalRequest)
    or a JSON object; None when nothing was submitted. Uploaded files are not fields except
    for a form's FileFields (PortalForm)."""
    if not has_request_context() or request.method not in SUBMIT_METHODS:
        return None
    if request.form:
        return request.form
    return json_formdata() if request.is_json else None


class TagChoices(SelectMultipleField):
    """Tags as a list of checkboxes (no Ctrl-click as in a multiple select); unknown values
    reach the service, which names them."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        pass  # the service checks the tags, so the error message is the same everywhere


class PageCSRF(_FlaskFormCSRF):
    """Flask-WTF's token, but none on a public GET (portal/public_pages.py: no session)."""

    def generate_csrf_token(self, csrf_token_field):
        return "" if is_public_get() else super().generate_csrf_token(csrf_token_field)


class PortalForm(FlaskForm):
    """Every form of the portal: fields come from submitted_formdata(), a file sent for a
    field is refused with a message, and a single-line field keeps no line break."""

    class Meta(FlaskForm.Meta):
        csrf_class = PageCSRF

    def __init__(self, formdata=_SUBMITTED, **kwargs):
        submitted = formdata is _SUBMITTED
        if submitted:
            formdata = submitted_formdata()
            takes_files = self._file_fields() if has_request_context() else set()
            if takes_files & set(request.files if takes_files else ()):
                # Only the file fields read files: a text field sent as a file is refused.
                formdata = MultiDict(formdata or request.form)
                for name in takes_files & set(request.files):
                    formdata.setlist(name, request.files.getlist(name))
        super().__init__(formdata=formdata, **kwargs)
        self.sent_as_files = []
        if submitted and self.is_submitted():
            takes_files = self._file_fields()
            self.sent_as_files = [
                name for name in request.files if name in self._fields and name not in takes_files
            ]
        for field in self:
            if isinstance(field.widget, TextInput) and isinstance(field.data, str):
                field.data = " ".join(field.data.splitlines())

    @classmethod
    def _file_fields(cls) -> set[str]:
        """The fields that take files (attachments, a profile picture); the others refuse them."""
        return {
            name
            for name in dir(cls)
            if isinstance(getattr(cls, name, None), UnboundField)
            and issubclass(getattr(cls, name).field_class, FileField)
        }

    @property
    def previewing(self) -> bool:
        """The editor's Preview button sent the form: show the text rendered, save nothing."""
        return self.is_submitted() and PREVIEW_BUTTON in request.form

    def validate_on_submit(self, extra_validators=None) -> bool:
        """As Flask-WTF's, but never true for a preview (portal/templates/_forms.html)."""
        return not self.previewing and super().validate_on_submit(extra_validators)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for name in self.sent_as_files:
            self[name].errors = [_(FILE_REFUSED)]
        return valid and not self.sent_as_files


def strong_enough(form, field) -> None:
    """Passwords at least PASSWORD_MIN_LENGTH long (a setting)."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(field.data or "") < minimum:
        raise ValidationError(
            ngettext("Use at least %(num)d character.", "Use at least %(num)d characters.", minimum)
        )


class RegisterForm(PortalForm):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(), Length(min=3, max=USERNAME_MAX)],
        description=_l("3–32 lowercase letters, digits, “-” or “_”. Shown next to your posts."),
    )
    email = StringField(
        _l("E-mail address"), validators=[DataRequired(), Length(max=EMAIL_MAX), Email()]
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), strong_enough, Length(max=PASSWORD_MAX)]
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class LoginForm(PortalForm):
    identifier = StringField(
        _l("Username or e-mail address"), validators=[DataRequired(), Length(max=EMAIL_MAX)]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=PASSWORD_MAX)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class ProfileForm(PortalForm):
    display_name = StringField(
        _l("Display name"), validators=[Optional(), Length(max=DISPLAY_NAME_MAX)]
    )
    bio = TextAreaField(_l("About you"), validators=[Optional(), Length(max=BIO_MAX)])


class AvatarForm(PortalForm):
    """A profile picture: any picture, cropped square (portal/avatars.py)."""

    avatar = FileField(
        _l("Profile picture"),
        description=_l("A PNG, JPEG, GIF or WebP picture; we crop it square."),
    )


class PreferencesForm(PortalForm):
    """Language, e-mail notifications and the time zone: how the portal reaches and speaks
    to a user."""

    email_notifications = BooleanField(
        _l("E-mail me my notifications"),
        description=_l(
            "Replies, accepted solutions, mentions and followed topics. Notifications always "
            "appear under the bell."
        ),
    )
    # The service checks the name (portal.localtime): one rule, one message.
    time_zone = SelectField(
        _l("Time zone"),
        validate_choice=False,
        description=_l(
            "Times on every page and in your e-mails. “Detect from my browser” shows pages "
            "in your device’s zone and e-mails in UTC."
        ),
    )

    # The service checks the code: one rule, one message.
    locale = SelectField(_l("Language"), validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = [
            SelectChoice("", _("Follow my browser")),
            *(SelectChoice(code, name) for code, name in LANGUAGES.items()),
        ]
        self.time_zone.choices = [
            SelectChoice("", _("Detect from my browser")),
            # IANA names, the same in every language: marked as such for translation tools.
            *(
                SelectChoice(name, name.replace("_", " "), render_kw={"translate": "no"})
                for name in time_zone_names()
            ),
        ]
        if self.time_zone.data is None:  # no zone saved: "detect" is the selected choice
            self.time_zone.data = ""


class PasswordForm(PortalForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=PASSWORD_MAX)]
    )
    new_password = PasswordField(
        _l("New password"), validators=[DataRequired(), strong_enough, Length(max=PASSWORD_MAX)]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )


class RoleForm(PortalForm):
    role = SelectField(_l("Role"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form: the roles' names are in the reader's language.
        self.role.choices = [SelectChoice(role.value, role.label) for role in Role]


class SuspendForm(PortalForm):
    reason = TextAreaField(
        _l("Reason (shown to the user)"), validators=[DataRequired(), Length(max=REASON_MAX)]
    )
    days = IntegerField(
        _l("Days"),
        validators=[Optional(), NumberRange(min=1, max=3650)],
        description=_l("Leave empty to suspend until an admin lifts it."),
    )


class DeleteAccountForm(PortalForm):
    """A member deletes their own account: their password, and that they understood."""

    password = PasswordField(
        _l("Your password"), validators=[DataRequired(), Length(max=PASSWORD_MAX)]
    )
    understood = BooleanField(
        _l("I understand that my account is deleted for good and cannot be restored"),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )


class AdminDeleteAccountForm(PortalForm):
    """An admin deletes someone's account: typing its username guards against a slip."""

    username = StringField(
        _l("Type the username to confirm"), validators=[DataRequired(), Length(max=USERNAME_MAX)]
    )
    reason = TextAreaField(
        _l("Reason (for the audit log)"), validators=[Optional(), Length(max=REASON_MAX)]
    )


class LanguageForm(PortalForm):
    """The footer's language switcher, on every page (signed in or not)."""

    locale = SelectField(_l("Language"), validate_choice=False)
    next = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = [SelectChoice(code, name) for code, name in LANGUAGES.items()]


class SiteLanguageForm(PortalForm):
    """The admins' choice of the site's default language."""

    locale = SelectField(
        _l("Default language"),
        validate_choice=False,
        description=_l(
            "Pages speak it to visitors whose browser asks for none of the site's languages, "
            "and e-mails to members who chose none."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = [SelectChoice(code, name) for code, name in LANGUAGES.items()]


class EmptyForm(PortalForm):
    """A form with only the CSRF token, for buttons that POST."""


def show_domain_error(form: PortalForm, error) -> None:
    """Put a service's DomainError on the field it names, or on the form as a whole."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def commit_or_show(form: PortalForm, action: Callable[[], object]) -> bool:
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


def form_status(form: PortalForm) -> int:
    """422 for a refused form (its errors include those of show_domain_error), else 200."""
    return 422 if form.errors else 200


def refused_status(form: PortalForm, status: int = 422) -> int:
    """The status of a form shown again: 200 for a preview, else the refusal's."""
    return 200 if form.previewing else status


class AttachmentsField(MultipleFileField):
    """Files attached to a post, a request or an article: checked by their content and
    cleaned while the form validates (portal/uploads.py); the view stores ``cleaned``."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label or _l("Attach files"), validators or [Optional()], **kwargs)
        self.cleaned = []

    def pre_validate(self, form) -> None:
        from portal.attachments import read_uploads

        try:
            self.cleaned = read_uploads(self.data or [])
        except DomainError as error:
            raise ValidationError(error.message) from None

    @property
    def chosen(self) -> bool:
        """Files were sent (the browser cannot keep them if the form comes back)."""
        return any(getattr(f, "filename", "") for f in self.data or [])
