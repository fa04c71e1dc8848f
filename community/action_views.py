"""Community buttons (votes, accept, delete, lock, follow) and the curators' forms."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from community import curation, service, solutions, subscriptions
from community.forms import DuplicateForm, RetagForm
from community.views import all_tags, bp, load_post, load_thread, thread_url
from portal.confirm import confirmation_page
from portal.errors import Conflict, DomainError, NotFound, PermissionDenied
from portal.extensions import db
from portal.forms import EmptyForm, commit_or_show, form_status
from portal.models import Tag
from portal.permissions import can_close_as_duplicate, can_post, can_retag, permission_required

VOTE_VALUES = {"up": 1, "down": -1, "none": 0}


def run_action(action, done_message: str, target: str):
    """Run a button's service call: commit and go back, or explain why not."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        action()
    except Conflict as error:
        # Someone else was faster; the fresh page shows what happened.
        db.session.rollback()
        flash(error.message, "error")
        return redirect(target)
    except DomainError as error:
        db.session.rollback()
        status = (
            403
            if isinstance(error, PermissionDenied)
            else 404
            if isinstance(error, NotFound)
            else 400
        )
        abort(status, description=error.message)
    db.session.commit()
    if done_message:
        flash(done_message, "success")
    return redirect(target)


@bp.route("/posts/<int:post_id>/vote", methods=["POST"])
@permission_required(can_post)
def vote(post_id: int):
    post = load_post(post_id)
    value = VOTE_VALUES.get(request.form.get("value", ""))
    if value is None:
        abort(400, description=_("A vote is up, down or none."))
    return run_action(
        lambda: service.vote(db.session, current_user, post, value),
        "",
        thread_url(post.thread_id, None if post.is_question else post.id),
    )


def shown_solution():
    """The solution the page showed when the button was pressed (its ``replacing`` field:
    a post id, or empty for none), so a click never replaces one its page did not show."""
    shown = request.form.get("replacing")
    if shown is None:
        return solutions.CURRENT  # a form from before the field: the current one
    if not shown:
        return None
    if not shown.isdecimal():
        abort(400, description=_("Reload the thread and try again."))
    return int(shown)


@bp.route("/threads/<int:thread_id>/accept/<int:post_id>", methods=["POST"])
@permission_required(can_post)
def accept(thread_id: int, post_id: int):
    thread, post = load_thread(thread_id), load_post(post_id)
    return run_action(
        lambda: service.accept_solution(
            db.session, current_user, thread, post, replacing=shown_solution()
        ),
        _("Marked as the solution. Thank you for closing the loop!"),
        thread_url(thread.id, post.id),
    )


@bp.route("/threads/<int:thread_id>/unaccept", methods=["POST"])
@permission_required(can_post)
def unaccept(thread_id: int):
    thread = load_thread(thread_id)
    page = confirmation_page(
        title=_("Withdraw the solution?"),
        question=_(
            "The thread “%(title)s” will show as unsolved again, and the answer's author "
            "loses the points it earned.",
            title=thread.title,
        ),
        button=_("Withdraw the solution"),
        cancel_url=thread_url(thread.id),
    )
    if page is not None:
        return page
    return run_action(
        lambda: service.withdraw_solution(db.session, current_user, thread),
        _("The solution is withdrawn; the thread is open again."),
        thread_url(thread.id),
    )


@bp.route("/posts/<int:post_id>/delete", methods=["POST"])
@permission_required(can_post)
def delete(post_id: int):
    post = load_post(post_id)
    target = url_for("community.index") if post.is_question else thread_url(post.thread_id)
    page = confirmation_page(
        title=_("Delete this question?") if post.is_question else _("Delete this reply?"),
        question=_("The whole thread goes with it. This cannot be undone.")
        if post.is_question
        else _("This cannot be undone."),
        button=_("Delete"),
        cancel_url=thread_url(post.thread_id, None if post.is_question else post.id),
        quote=post.body[:300],
    )
    if page is not None:
        return page
    return run_action(
        lambda: service.delete_post(db.session, current_user, post), _("Deleted."), target
    )


@bp.route("/threads/<int:thread_id>/lock", methods=["POST"])
@permission_required(can_post)
def lock(thread_id: int):
    thread = load_thread(thread_id)
    locked = request.form.get("locked", "1") == "1"
    return run_action(
        lambda: service.lock_thread(db.session, current_user, thread, locked=locked),
        _("Thread locked.") if locked else _("Thread unlocked."),
        thread_url(thread.id),
    )


@bp.route("/threads/<int:thread_id>/follow", methods=["POST"])
@permission_required(can_post)
def follow(thread_id: int):
    thread = load_thread(thread_id)
    if request.form.get("follow", "1") == "1":
        action, message = subscriptions.follow_thread, _("You follow this thread.")
    else:
        action, message = subscriptions.unfollow_thread, _("You no longer follow this thread.")
    return run_action(
        lambda: action(db.session, current_user, thread), message, thread_url(thread.id)
    )


@bp.route("/tags/<slug>/follow", methods=["POST"])
@permission_required(can_post)
def follow_tag(slug: str):
    tag = db.session.scalar(select(Tag).where(Tag.slug == slug))
    if tag is None:
        abort(404)
    if request.form.get("follow", "1") == "1":
        action, message = subscriptions.follow_tag, _("You follow %(topic)s.", topic=tag.name)
    else:
        action = subscriptions.unfollow_tag
        message = _("You no longer follow %(topic)s.", topic=tag.name)
    return run_action(
        lambda: action(db.session, current_user, tag), message, url_for("community.tag", slug=slug)
    )


@bp.route("/threads/<int:thread_id>/retag", methods=["GET", "POST"])
@permission_required(can_retag)
def retag(thread_id: int):
    thread = load_thread(thread_id)
    form = RetagForm()
    if not form.is_submitted():
        form.tags.data = ", ".join(tag.name for tag in thread.tags)
    if form.validate_on_submit() and commit_or_show(
        form, lambda: curation.retag_thread(db.session, current_user, thread, form.tags.data)
    ):
        flash(_("Topics updated."), "success")
        return redirect(thread_url(thread.id))
    page = render_template("community/retag.html", form=form, thread=thread, tags=all_tags())
    return page, form_status(form)


@bp.route("/threads/<int:thread_id>/duplicate", methods=["GET", "POST"])
@permission_required(can_close_as_duplicate)
def close_duplicate(thread_id: int):
    thread, form = load_thread(thread_id), DuplicateForm()
    if form.validate_on_submit() and commit_or_show(
        form,
        lambda: curation.close_as_duplicate(db.session, current_user, thread, form.original.data),
    ):
        # The service links the thread to the root of any chain of duplicates.
        flash(
            _("Closed as a duplicate of “%(title)s”.", title=thread.duplicate_of.title), "success"
        )
        return redirect(thread_url(thread.id))
    page = render_template("community/duplicate.html", form=form, thread=thread)
    return page, form_status(form)


@bp.route("/threads/<int:thread_id>/reopen", methods=["POST"])
@permission_required(can_close_as_duplicate)
def reopen(thread_id: int):
    thread = load_thread(thread_id)
    return run_action(
        lambda: curation.reopen_thread(db.session, current_user, thread),
        _("The thread is open again."),
        thread_url(thread.id),
    )
