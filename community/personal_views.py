"""A member's own pages: my activity (questions, replies), following, unanswered in my
topics. Linked from the user menu in the header."""

from flask import current_app, render_template, request
from flask_login import current_user

from community import personal
from community.views import bp
from portal.extensions import db
from portal.forms import EmptyForm
from portal.inputs import paginate
from portal.permissions import is_signed_in, permission_required

ACTIVITY_TABS = ("questions", "replies")


def _page(statement):
    return paginate(statement, per_page=current_app.config["THREADS_PER_PAGE"])


@bp.get("/mine")
@permission_required(is_signed_in)
def my_activity():
    """The member's questions (held ones too, marked) or the threads they answered."""
    show = request.args.get("show", "questions")
    show = show if show in ACTIVITY_TABS else "questions"
    query = personal.my_questions if show == "questions" else personal.my_replies
    return render_template("community/my_activity.html", show=show, page=_page(query(current_user)))


@bp.get("/following")
@permission_required(is_signed_in)
def following():
    """The threads and topics the member follows, each with its unfollow button."""
    return render_template(
        "community/following.html",
        page=_page(personal.followed_threads(current_user)),
        tags=personal.followed_tags(db.session, current_user),
        action_form=EmptyForm(),
    )


@bp.get("/unanswered-in-my-topics")
@permission_required(is_signed_in)
def my_unanswered():
    """Questions nobody answered yet in the topics the member follows (or answers most)."""
    tags, chosen = personal.my_topics(db.session, current_user)
    return render_template(
        "community/my_unanswered.html",
        tags=tags,
        chosen=chosen,
        page=_page(personal.unanswered_in(tags, current_user)),
    )
