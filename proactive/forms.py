"""Forms of the known-issue pages. Labels are lazy: translated in the reader's language."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from portal.forms import PortalForm
from proactive.models import EXPLANATION_MAX, TITLE_MAX

STATUS_CHOICES = [
    SelectChoice("investigating", _l("Investigating")),
    SelectChoice("identified", _l("Identified")),
]


class IssueForm(PortalForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    status = SelectField(_l("Status"), choices=STATUS_CHOICES, validate_choice=False)
    explanation = TextAreaField(
        _l("Public explanation"),
        validators=[DataRequired(), Length(max=EXPLANATION_MAX)],
        description=_l("Customers read this on the banner's status page. Markdown works."),
    )
    topics = SelectMultipleField(_l("Affected topics"), choices=[], validate_choice=False)


class ResolveForm(PortalForm):
    message = TextAreaField(
        _l("What was fixed"),
        validators=[DataRequired()],
        description=_l(
            "Posted as one public reply in every linked thread, sent to every linked case "
            "and to everyone following the issue."
        ),
    )
    solve_cases = BooleanField(_l("Solve the linked cases with this answer"))
