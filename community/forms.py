"""Forms of the community: ask, reply, edit, retag, close as duplicate."""

from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from community.models import TITLE_MAX, TITLE_MIN
from portal.forms import PortalForm

BODY_HELP = "Markdown works: **bold**, lists, `code`, links. Mention someone with @username."
TAGS_HELP = "1 to 5 topics separated by commas, for example: wi-fi, router."


class AskForm(PortalForm):
    title = StringField(
        "Your question in one line",
        validators=[DataRequired(), Length(min=TITLE_MIN, max=TITLE_MAX)],
        description="Be specific: “Wi-Fi drops every evening around 8 pm on the Hub 3”.",
    )
    body = TextAreaField(
        "Details", validators=[DataRequired()], description=BODY_HELP + " What did you try?"
    )
    tags = StringField("Topics", validators=[DataRequired()], description=TAGS_HELP)


class ReplyForm(PortalForm):
    body = TextAreaField("Your reply", validators=[DataRequired()], description=BODY_HELP)


class EditForm(PortalForm):
    title = StringField("Title", validators=[Optional(), Length(min=TITLE_MIN, max=TITLE_MAX)])
    body = TextAreaField("Text", validators=[DataRequired()], description=BODY_HELP)


class RetagForm(PortalForm):
    tags = StringField("Topics", validators=[DataRequired()], description=TAGS_HELP)


class DuplicateForm(PortalForm):
    original = StringField(
        "Original thread",
        validators=[DataRequired(), Length(max=300)],
        description="The number of the original thread, or paste its link.",
    )
