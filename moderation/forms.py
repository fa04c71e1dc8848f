"""Forms of the moderation pages: report, appeal, queue actions, watched terms, audit search."""

from flask_babel import lazy_gettext as _l
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
        _l("Why are you reporting this post?"),
        choices=[SelectChoice(category.value, category.label) for category in FlagCategory],
        validators=[DataRequired(message=_l("Choose a reason."))],
    )
    note = TextAreaField(
        _l("Anything the moderators should know?"),
        validators=[Optional(), Length(max=NOTE_MAX)],
        description=_l("Required for “Other”."),
    )


class AppealForm(PortalForm):
    message = TextAreaField(
        _l("Why should the post come back?"),
        validators=[DataRequired(), Length(max=MESSAGE_MAX)],
        description=_l("You can appeal each removal once. A moderator reads it."),
    )


class ItemForm(PortalForm):
    """Approve or remove one item; the revision is the state the moderator saw."""

    revision = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(
        _l("Reason (the author reads it)"), validators=[Optional(), Length(max=REASON_MAX)]
    )


class EditPostForm(PortalForm):
    revision = HiddenField(validators=[DataRequired()])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=200)])
    body = TextAreaField(_l("Post text"), validators=[DataRequired()])
    reason = StringField(
        _l("Why the edit (for the audit log)"), validators=[Optional(), Length(max=REASON_MAX)]
    )
    approve_after = BooleanField(_l("Approve after saving"))


class DuplicateForm(PortalForm):
    original = StringField(
        _l("Original thread"),
        validators=[DataRequired(), Length(max=300)],
        description=_l("Its number, or paste its link."),
    )


class SuspendForm(PortalForm):
    # Its own ids: the item page's decision form has a "reason" too.
    reason = TextAreaField(
        _l("Reason (shown to the member)"),
        validators=[DataRequired(), Length(max=REASON_MAX)],
        id="suspend-reason",
    )
    days = IntegerField(
        _l("Days"),
        validators=[Optional(), NumberRange(min=1, max=3650)],
        description=_l("Leave empty to suspend until lifted."),
    )


class BulkForm(PortalForm):
    how = SelectField(
        _l("With the selected items"),
        choices=[SelectChoice("approve", _l("Approve")), SelectChoice("hide", _l("Hide"))],
    )
    reason = StringField(
        _l("Reason (the authors read it)"), validators=[Optional(), Length(max=REASON_MAX)]
    )


class TermForm(PortalForm):
    term = StringField(_l("Word or pattern"), validators=[DataRequired(), Length(max=200)])
    is_regex = BooleanField(_l("Regular expression"))
    whole_word = BooleanField(_l("Whole words only"), default=True)
    action = SelectField(
        _l("Action"), choices=[SelectChoice(value, label) for value, label in TERM_ACTIONS.items()]
    )
