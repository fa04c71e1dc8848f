"""Forms of the knowledge base: the editor, suggested edits, reviews and feedback."""

from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from kb.models import COMMENT_MAX, LANGUAGES, NOTE_MAX, SUMMARY_MAX, TITLE_MAX
from portal.forms import PortalForm

BODY_HELP = (
    "Markdown: ## headings (they build the table of contents), **bold**, lists, "
    "tables, ```code```, [links](https://…)."
)


class TagChoices(SelectMultipleField):
    """Tags as a list of checkboxes; unknown values reach the service, which names them."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        pass  # the service checks the tags, so the error message is the same everywhere


class ArticleForm(PortalForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=TITLE_MAX)])
    summary = TextAreaField(
        "Summary",
        validators=[Optional(), Length(max=SUMMARY_MAX)],
        description="One or two sentences, shown in lists and to search engines.",
    )
    body = TextAreaField("Text", validators=[DataRequired()], description=BODY_HELP)
    tags = TagChoices("Tags", description="Choose 1 to 5 topics.")
    language = SelectField(
        "Language",
        choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()],
        default="en",
    )
    note = StringField(
        "Note for the history",
        validators=[Optional(), Length(max=NOTE_MAX)],
        description="What changed and why, e.g. “New firmware screenshots”.",
    )
    base_version = HiddenField(default="0")


class SuggestionForm(PortalForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=TITLE_MAX)])
    summary = TextAreaField("Summary", validators=[Optional(), Length(max=SUMMARY_MAX)])
    body = TextAreaField("Text", validators=[DataRequired()], description=BODY_HELP)
    note = StringField(
        "What did you change, and why?",
        validators=[DataRequired(), Length(max=NOTE_MAX)],
        description="An agent reads this before accepting your suggestion.",
    )
    base_version = HiddenField(default="0")


class ReviewForm(PortalForm):
    note = StringField(
        "Note to the author (optional)",
        validators=[Optional(), Length(max=NOTE_MAX)],
    )


class FeedbackForm(PortalForm):
    # Set by the "Yes" / "No" buttons themselves, so no hidden input duplicates it.
    helpful = StringField()
    comment = TextAreaField(
        "What were you looking for? (optional)",
        validators=[Optional(), Length(max=COMMENT_MAX)],
        description="Tell us what was missing or unclear; our agents read every comment.",
    )


def base_version_of(form) -> int:
    """The revision number the editor was opened on (-1 when tampered with: a conflict)."""
    try:
        return int(form.base_version.data)
    except (TypeError, ValueError):
        return -1
