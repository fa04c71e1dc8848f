"""Forms of the agent desk, the Contact support page and the survey."""

from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from moderation.cases.macros import PLACEHOLDERS
from moderation.cases.models import MACRO_TITLE_MAX, PRIORITIES, SUBJECT_MAX, Disposition
from moderation.cases.surveys import CSAT_LABELS
from portal.forms import PortalForm

PRIORITY_CHOICES = [SelectChoice(p, p.capitalize()) for p in reversed(PRIORITIES)]
THEN_CHOICES = [
    SelectChoice("pending customer", "then wait for the customer"),
    SelectChoice("open", "then keep it open"),
]


class ReplyForm(PortalForm):
    body = TextAreaField("Reply", validators=[DataRequired()], description="Markdown works.")
    visibility = RadioField(
        "Send as",
        choices=[
            SelectChoice("public", "Public answer in the thread"),
            SelectChoice("private", "Private reply"),
        ],
        default="public",
    )
    then = SelectField("Afterwards", choices=THEN_CHOICES, default="pending customer")


class NoteForm(PortalForm):
    # Not "body": the reply box on the same page owns that id.
    note = TextAreaField(
        "Internal note", validators=[DataRequired()], description="Only staff ever see notes."
    )


class AssignForm(PortalForm):
    assignee = SelectField("Assign to", choices=[])  # the view lists the agents


class PriorityForm(PortalForm):
    priority = SelectField("Priority", choices=PRIORITY_CHOICES)


class StatusForm(PortalForm):
    status = SelectField("Move to", choices=[], validate_choice=False)


class SolveForm(PortalForm):
    disposition = RadioField(
        "How was it answered?",
        choices=[SelectChoice(d.value, d.value.capitalize()) for d in Disposition],
        validate_choice=False,
    )
    article = SelectField("The article that answers it", choices=[], validate_choice=False)
    accept_answer = BooleanField("Accept our public answer as the thread's solution")


class ContactForm(PortalForm):
    subject = StringField(
        "What is it about?", validators=[DataRequired(), Length(min=5, max=SUBJECT_MAX)]
    )
    body = TextAreaField(
        "Tell us more",
        validators=[DataRequired()],
        description="Your contract, the device, what you tried. Only you and our agents see it.",
    )
    topics = SelectMultipleField("Topics (optional)", choices=[], validate_choice=False)


class CustomerMessageForm(PortalForm):
    body = TextAreaField("Your message", validators=[DataRequired()])


class SurveyForm(PortalForm):
    csat = RadioField(
        "How satisfied are you with the help you got?",
        choices=[SelectChoice(str(k), f"{k} — {v}") for k, v in CSAT_LABELS.items()],
        validate_choice=False,
    )
    nps = RadioField(
        "How likely are you to recommend Brightwave to a friend? (0 = not at all, 10 = very)",
        choices=[SelectChoice(str(n), str(n)) for n in range(11)],
        validate_choice=False,
    )
    comment = TextAreaField("Anything to add? (optional)", validators=[Optional()])


class MacroForm(PortalForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=MACRO_TITLE_MAX)])
    body = TextAreaField(
        "Text",
        validators=[DataRequired()],
        description="Placeholders: " + ", ".join("{" + n + "}" for n in PLACEHOLDERS) + ".",
    )


class RuleForm(PortalForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=80)])
    keywords = TextAreaField(
        "Keywords", validators=[DataRequired()], description="One per line; accents are ignored."
    )
    priority = SelectField("Priority", choices=PRIORITY_CHOICES)


class ProfileForm(PortalForm):
    available = BooleanField("Available for new cases")
    skills = SelectMultipleField(
        "Skills (topics you take cases for)", choices=[], validate_choice=False
    )


class EscalateForm(PortalForm):
    reason = StringField("Why (optional)", validators=[Optional(), Length(max=300)])
