"""Forms of the community: ask, reply, edit, retag, close as duplicate."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from community.models import TITLE_MAX, TITLE_MIN
from portal.forms import AttachmentsField, PortalForm
from portal.i18n import LANGUAGES
from portal.text_language import CONTENT_LANGUAGES

BODY_HELP = _l("Markdown works: **bold**, lists, `code`, links. Mention someone with @username.")
TAGS_HELP = _l("1 to 5 topics separated by commas, for example: Wi-Fi, Router.")
LANGUAGE_LABEL = _l("Language of your post")
# Each language content may be written in, under its own name (as the footer's switcher).
LANGUAGE_NAMES = {code: LANGUAGES.get(code, code) for code in CONTENT_LANGUAGES}
LANGUAGE_CHOICES = [
    SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGE_NAMES.items()
]
DETECT_CHOICE = SelectChoice("", _l("Detect from my text"))


def language_field(description=None) -> SelectField:
    """The post's language: detected from the text unless the author picks one."""
    return SelectField(
        LANGUAGE_LABEL,
        choices=[DETECT_CHOICE, *LANGUAGE_CHOICES],
        default="",
        validators=[Optional()],
        description=description,
    )


class AskForm(PortalForm):
    title = StringField(
        _l("Your question in one line"),
        validators=[DataRequired(), Length(min=TITLE_MIN, max=TITLE_MAX)],
        description=_l("Be specific: “Wi-Fi drops every evening around 8 pm on the Hub 3”."),
    )
    body = TextAreaField(
        _l("Details"),
        validators=[DataRequired()],
        description=_l(
            "Markdown works: **bold**, lists, `code`, links. Mention someone with @username. "
            "What did you try?"
        ),
    )
    tags = StringField(_l("Topics"), validators=[DataRequired()], description=TAGS_HELP)
    language = language_field()
    attachments = AttachmentsField()


class ReplyForm(PortalForm):
    body = TextAreaField(_l("Your reply"), validators=[DataRequired()], description=BODY_HELP)
    language = language_field()
    attachments = AttachmentsField()


class EditForm(PortalForm):
    title = StringField(_l("Title"), validators=[Optional(), Length(min=TITLE_MIN, max=TITLE_MAX)])
    body = TextAreaField(_l("Text"), validators=[DataRequired()], description=BODY_HELP)
    language = SelectField(LANGUAGE_LABEL, choices=LANGUAGE_CHOICES)


class RetagForm(PortalForm):
    tags = StringField(_l("Topics"), validators=[DataRequired()], description=TAGS_HELP)


class DuplicateForm(PortalForm):
    original = StringField(
        _l("Original thread"),
        validators=[DataRequired(), Length(max=300)],
        description=_l("The number of the original thread, or paste its link."),
    )
