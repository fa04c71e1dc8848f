"""Forms of the moderation pages: report, appeal, queue actions, watched terms, audit search."""

from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from moderation.appeals import MESSAGE_MAX
from moderation.models import NOTE_MAX, REASON_MAX, FlagCategory
from moderation.terms import TERM_ACTIONS
from portal.forms import PortalForm


class FlagForm(PortalForm):
    category = RadioField(
        "Why are you reporting this post?",
        choices=[SelectChoice(category.value, category.label) for category in FlagCategory],
        validators=[DataRequired(message="Choose a reason.")],
    )
    note = TextAreaField(
        "Anything the moderators should know?",
        validators=[Optional(), Length(max=NOTE_MAX)],
        description="Required for “Other”.",
    )


class AppealForm(PortalForm):
    message = TextAreaField(
        "Why should the post come back?",
        validators=[DataRequired(), Length(max=MESSAGE_MAX)],
        description="You can appeal each removal once. A moderator reads it.",
    )


class ItemForm(PortalForm):
    """Approve or remove one item; the revision is the state the moderator saw."""

    revision = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(
        "Reason (the author reads it)", validators=[Optional(), Length(max=REASON_MAX)]
    )


class EditPostForm(PortalForm):
    revision = HiddenField(validators=[DataRequired()])
    title = StringField("Title", validators=[Optional(), Length(max=200)])
    body = TextAreaField("Post text", validators=[DataRequired()])
    reason = StringField(
        "Why the edit (for the audit log)", validators=[Optional(), Length(max=REASON_MAX)]
    )
    approve_after = BooleanField("Approve after saving")


class DuplicateForm(PortalForm):
    original = StringField(
        "Original thread",
        validators=[DataRequired(), Length(max=300)],
        description="Its number, or paste its link.",
    )


class SuspendForm(PortalForm):
    reason = TextAreaField(
        "Reason (shown to the member)", validators=[DataRequired(), Length(max=REASON_MAX)]
    )
    days = IntegerField(
        "Days",
        validators=[Optional(), NumberRange(min=1, max=3650)],
        description="Leave empty to suspend until lifted.",
    )


class BulkForm(PortalForm):
    how = SelectField(
        "With the selected items",
        choices=[SelectChoice("approve", "Approve"), SelectChoice("hide", "Hide")],
    )
    reason = StringField(
        "Reason (the authors read it)", validators=[Optional(), Length(max=REASON_MAX)]
    )


class TermForm(PortalForm):
    term = StringField("Word or pattern", validators=[DataRequired(), Length(max=200)])
    is_regex = BooleanField("Regular expression")
    whole_word = BooleanField("Whole words only", default=True)
    action = SelectField(
        "Action", choices=[SelectChoice(value, label) for value, label in TERM_ACTIONS.items()]
    )
