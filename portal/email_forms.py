"""The settings form for which e-mails a person gets, one choice per category."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from portal.email_preferences import CATEGORIES, Mode, modes_allowed
from portal.forms import PortalForm
from portal.i18n import N_

MODE_LABELS = {
    Mode.EACH: N_("One e-mail each"),
    Mode.DAILY: N_("A daily digest"),
    Mode.WEEKLY: N_("A weekly digest"),
    Mode.OFF: N_("No e-mail"),
}


class EmailPreferencesForm(PortalForm):
    """One select per category (fields named after the categories, added below)."""

    def categories(self):
        """The category fields, in the order of the settings page."""
        return [self[name] for name in CATEGORIES]


for _name, (_label, _help, _kinds) in CATEGORIES.items():
    setattr(
        EmailPreferencesForm,
        _name,
        SelectField(
            _l(_label),
            description=_l(_help),
            choices=[
                SelectChoice(mode.value, _l(MODE_LABELS[mode])) for mode in modes_allowed(_name)
            ],
        ),
    )
