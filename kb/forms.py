"""Forms of the knowledge base: the editor, suggested edits, reviews and feedback."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from kb.models import COMMENT_MAX, LANGUAGES, NOTE_MAX, SUMMARY_MAX, TITLE_MAX
from portal.forms import AttachmentsField, PortalForm, TagChoices

BODY_HELP = _l(
    "Markdown: ## headings (they build the table of contents), **bold**, lists, "
    "tables, ```code```, [links](https://…)."
)


class ArticleForm(PortalForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    summary = TextAreaField(
        _l("Summary"),
        validators=[Optional(), Length(max=SUMMARY_MAX)],
        description=_l("One or two sentences, shown in lists and to search engines."),
    )
    body = TextAreaField(_l("Text"), validators=[DataRequired()], description=BODY_HELP)
    tags = TagChoices(_l("Tags"), description=_l("Choose 1 to 5 topics."))
    # Languages under their own names; "" lets the text's words decide when it is saved.
    language = SelectField(
        _l("Language of the article"),
        choices=[
            SelectChoice("", _l("Detect from the text")),
            *(
                SelectChoice(code, name, render_kw={"lang": code})
                for code, name in LANGUAGES.items()
            ),
        ],
        default="",
        description=_l("The language the article is written in, whatever the site’s language."),
    )
    # Choices set by the view: the originals this article may translate.
    translation_of = SelectField(
        _l("Translation of"),
        choices=[],
        default="",
        description=_l(
            "If this article translates another one, choose it: readers of either are "
            "offered the other version."
        ),
    )
    note = StringField(
        _l("Note for the history"),
        validators=[Optional(), Length(max=NOTE_MAX)],
        description=_l("What changed and why, e.g. “New firmware screenshots”."),
    )
    base_version = HiddenField(default="0")
    attachments = AttachmentsField(_l("Attach pictures or files"))


class SuggestionForm(PortalForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=SUMMARY_MAX)])
    body = TextAreaField(_l("Text"), validators=[DataRequired()], description=BODY_HELP)
    note = StringField(
        _l("What did you change, and why?"),
        validators=[DataRequired(), Length(max=NOTE_MAX)],
        description=_l("An agent reads this before accepting your suggestion."),
    )
    base_version = HiddenField(default="0")


class ReviewForm(PortalForm):
    note = StringField(
        _l("Note to the author (optional)"),
        validators=[Optional(), Length(max=NOTE_MAX)],
    )


class FeedbackForm(PortalForm):
    # Set by the "Yes" / "No" buttons themselves, so no hidden input duplicates it.
    helpful = StringField()
    comment = TextAreaField(
        _l("What were you looking for? (optional)"),
        validators=[Optional(), Length(max=COMMENT_MAX)],
        description=_l("Tell us what was missing or unclear: our agents read every comment."),
    )


def base_version_of(form) -> int:
    """The revision number the editor was opened on (-1 when tampered with: a conflict)."""
    try:
        return int(form.base_version.data)
    except (TypeError, ValueError):
        return -1
