"""Forms of the API's pages: tokens (settings, admin) and webhook endpoints (admin)."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from api.models import TOKEN_NAME_MAX, URL_MAX
from api.tokens import SCOPES
from api.webhooks import EVENTS
from portal.forms import PortalForm


class Choices(SelectMultipleField):
    """Checkboxes; the service checks the values, so its message is the one shown."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        pass


# A scope's or an event's name is what programs see: shown as code, beside its meaning.
NAMED = Markup('<code translate="no">{}</code> — {}')


def scope_choices(*, admin: bool) -> list[SelectChoice]:
    return [
        SelectChoice(name, NAMED.format(name, gettext(label)))
        for name, label in SCOPES.items()
        if admin or name != "admin"
    ]


class TokenForm(PortalForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=TOKEN_NAME_MAX)],
        description=_l("What the token is for, e.g. “CRM sync”."),
    )
    scopes = Choices(_l("Scopes"), description=_l("What the token may do."))


class ServiceTokenForm(TokenForm):
    account = StringField(
        _l("Acts as"),
        validators=[Optional(), Length(max=32)],
        description=_l("The username the token acts as; empty: you. Its role still applies."),
    )


class WebhookForm(PortalForm):
    url = StringField(
        _l("Receiver URL"),
        validators=[DataRequired(), Length(max=URL_MAX)],
        description=_l("https:// is recommended: deliveries carry your portal’s data."),
    )
    description = StringField(_l("Description"), validators=[Optional(), Length(max=200)])
    events = Choices(_l("Events"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.events.choices = [
            SelectChoice(name, NAMED.format(name, gettext(label))) for name, label in EVENTS.items()
        ]
