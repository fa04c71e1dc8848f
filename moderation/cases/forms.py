"""Forms of the agent desk, the Contact support page and the survey.

Labels are lazy (``_l``): translated when the form is shown, in the reader's language.
"""

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from moderation.cases.labels import case_label
from moderation.cases.macros import PLACEHOLDERS
from moderation.cases.models import MACRO_TITLE_MAX, PRIORITIES, SUBJECT_MAX, Disposition
from portal.forms import AttachmentsField, PortalForm, TagChoices
from portal.models import EMAIL_MAX

PRIORITY_CHOICES = [
    SelectChoice(p, LazyString(case_label, "priority", p)) for p in reversed(PRIORITIES)
]
THEN_CHOICES = [
    SelectChoice("pending customer", _l("then wait for the customer")),
    SelectChoice("open", _l("then keep it open")),
]


class ReplyForm(PortalForm):
    body = TextAreaField(
        _l("Reply"), validators=[DataRequired()], description=_l("Markdown works.")
    )
    visibility = RadioField(
        _l("Send as"),
        choices=[
            SelectChoice("public", _l("Public answer in the thread")),
            SelectChoice("private", _l("Private reply")),
        ],
        default="public",
    )
    then = SelectField(_l("Afterwards"), choices=THEN_CHOICES, default="pending customer")
    attachments = AttachmentsField()


class NoteForm(PortalForm):
    # Not "body": the reply box on the same page owns that id.
    note = TextAreaField(
        _l("Internal note"),
        validators=[DataRequired()],
        description=_l("Only staff ever see notes."),
    )


class AssignForm(PortalForm):
    assignee = SelectField(_l("Assign to"), choices=[])  # the view lists the agents


class PriorityForm(PortalForm):
    priority = SelectField(_l("Priority"), choices=PRIORITY_CHOICES)


class StatusForm(PortalForm):
    status = SelectField(_l("Move to"), choices=[], validate_choice=False)


class SolveForm(PortalForm):
    disposition = RadioField(
        _l("How was it answered?"),
        choices=[
            SelectChoice(d.value, LazyString(case_label, "disposition", d)) for d in Disposition
        ],
        validate_choice=False,
    )
    article = SelectField(_l("The article that answers it"), choices=[], validate_choice=False)
    accept_answer = BooleanField(_l("Accept our public answer as the thread's solution"))


class ContactForm(PortalForm):
    subject = StringField(
        _l("What is it about?"), validators=[DataRequired(), Length(min=5, max=SUBJECT_MAX)]
    )
    body = TextAreaField(
        _l("Tell us more"),
        validators=[DataRequired()],
        description=_l(
            "Your contract, the device, what you tried. Only you and our agents see it."
        ),
    )
    topics = TagChoices(_l("Topics (optional)"), choices=[])
    attachments = AttachmentsField()


class GuestContactForm(ContactForm):
    """Contact support for a visitor: where to answer, and a field only bots fill in."""

    name = StringField(_l("Your name (optional)"), validators=[Optional(), Length(max=80)])
    email = StringField(
        _l("Your e-mail address"),
        validators=[DataRequired(), Length(max=EMAIL_MAX), Email()],
        description=_l("We answer there, with a link to follow your request."),
    )
    # The honeypot: hidden from people (and from screen readers); a bot fills it in.
    website = StringField(_l("Leave this field empty"), validators=[Optional()])


class CustomerMessageForm(PortalForm):
    body = TextAreaField(_l("Your message"), validators=[DataRequired()])
    attachments = AttachmentsField()


class SurveyForm(PortalForm):
    csat = RadioField(
        _l("How satisfied are you with the help you got?"),
        choices=[
            SelectChoice(str(score), _l("%(score)s — %(label)s", score=score, label=label))
            for score, label in ((n, LazyString(case_label, "csat", n)) for n in range(1, 6))
        ],
        validate_choice=False,
    )
    nps = RadioField(
        _l("How likely are you to recommend us to a friend? (0 = not at all, 10 = very likely)"),
        choices=[SelectChoice(str(n), str(n)) for n in range(11)],
        validate_choice=False,
    )
    comment = TextAreaField(_l("Anything to add? (optional)"), validators=[Optional()])


class MacroForm(PortalForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=MACRO_TITLE_MAX)])
    body = TextAreaField(
        _l("Text"),
        validators=[DataRequired()],
        description=_l(
            "Placeholders: %(names)s.", names=", ".join("{" + n + "}" for n in PLACEHOLDERS)
        ),
    )


class RuleForm(PortalForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    keywords = TextAreaField(
        _l("Keywords"),
        validators=[DataRequired()],
        description=_l(
            "One per line, in any language; a keyword matches the start of a word, and "
            "accents, capitals, apostrophes and hyphens are ignored."
        ),
    )
    priority = SelectField(_l("Priority"), choices=PRIORITY_CHOICES)


class ProfileForm(PortalForm):
    available = BooleanField(_l("Available for new cases"))
    skills = SelectMultipleField(
        _l("Skills (topics you take cases for)"), choices=[], validate_choice=False
    )


class EscalateForm(PortalForm):
    reason = StringField(_l("Why (optional)"), validators=[Optional(), Length(max=300)])
