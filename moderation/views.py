"""The moderation queue: the list with filters and bulk actions, one item and its actions."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from moderation import actions, audit, queue, terms
from moderation.forms import BulkForm, DuplicateForm, EditPostForm, ItemForm, SuspendForm
from moderation.models import QueueItem
from moderation.rules import RULE_LABELS
from portal.confirm import confirmation_page
from portal.errors import Conflict, DomainError
from portal.extensions import db
from portal.forms import refused_status, show_domain_error
from portal.inputs import paginate, parse_id
from portal.permissions import can_moderate, permission_required

bp = Blueprint("moderation", __name__, url_prefix="/moderation", template_folder="templates")


def register_template_helpers(app) -> None:
    """The queue badge in the navigation, hold reasons on the thread page, and the words
    the moderation pages show for codes (rules, resolutions, actions) in the page's language."""
    app.jinja_env.globals["moderation_open_count"] = lambda: queue.open_count(db.session)
    app.jinja_env.globals["moderation_hold_reasons"] = lambda post: queue.hold_reasons(
        db.session, post
    )
    app.jinja_env.globals["moderation_rule_label"] = rule_label
    app.jinja_env.globals["moderation_resolution"] = queue.resolution_label
    app.jinja_env.globals["moderation_action_label"] = audit.action_label
    app.jinja_env.globals["moderation_term_action"] = term_action


def rule_label(rule: str) -> str:
    """An automatic rule's name in the current language (an unknown one as stored)."""
    return _(RULE_LABELS[rule]) if rule in RULE_LABELS else rule.replace("_", " ")


def term_action(action: str) -> str:
    """A watched term's action ("flag", "hold", "block") in the current language."""
    return _(terms.ACTION_NAMES[action]) if action in terms.ACTION_NAMES else action


def load_item(item_id: int) -> QueueItem:
    item = db.session.get(QueueItem, item_id)
    if item is None:
        abort(404)
    return item


@bp.route("/", endpoint="queue")
@permission_required(can_moderate)
def queue_page():
    filter_ = request.args.get("filter", "open")
    filter_ = filter_ if filter_ in queue.FILTERS else "open"
    rule = request.args.get("rule", "")[:40]
    page = paginate(
        queue.queue_statement(filter_, rule),
        per_page=current_app.config["MODERATION_ITEMS_PER_PAGE"],
    )
    return render_template(
        "moderation/queue.html",
        page=page,
        views=[queue.item_view(db.session, item) for item in page.items],
        filter=filter_,
        filters=queue.FILTERS,
        rule=rule,
        rules=queue.rules_seen(db.session),
        bulk_form=BulkForm(formdata=None),
    )


def render_item(item: QueueItem, status: int = 200, **forms):
    view = queue.item_view(db.session, item)
    post = view.post
    defaults = {
        "item_form": ItemForm(formdata=None, revision=item.revision),
        "edit_form": EditPostForm(
            formdata=None,
            revision=item.revision,
            body=post.body,
            title=post.thread.title if post.is_question else None,
        ),
        "duplicate_form": DuplicateForm(formdata=None),
        "suspend_form": SuspendForm(formdata=None),
    }
    return render_template("moderation/item.html", view=view, **(defaults | forms)), status


@bp.route("/items/<int:item_id>")
@permission_required(can_moderate)
def item(item_id: int):
    return render_item(load_item(item_id))


def revision_of(form) -> int:
    """The item's state the moderator saw; not a number, it matches none (a conflict)."""
    revision = parse_id(form.revision.data)
    return -1 if revision is None else revision


def after_action(item: QueueItem, message: str):
    """From the list, back to it (same filter); from an item, on to the next open item."""
    following = queue.next_open_item(db.session, item) if item.status == "resolved" else None
    if item.status == "resolved" and following is None and request.form.get("back") != "list":
        message = _("%(done)s That was the last open item.", done=message)
    flash(message, "success")
    if request.form.get("back") == "list":
        listed = request.form.get("filter", "open")
        return redirect(
            url_for("moderation.queue", filter=listed if listed in queue.FILTERS else None)
        )
    if item.status != "resolved":
        return redirect(url_for("moderation.item", item_id=item.id))
    if following is None:
        return redirect(url_for("moderation.queue"))
    return redirect(url_for("moderation.item", item_id=following.id))


def run(item: QueueItem, form, form_name: str, action, message: str):
    """Validate, call the service, commit; a conflict is a clear message, not a second action."""
    if form.validate_on_submit():
        try:
            action()
        except Conflict as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for("moderation.item", item_id=item.id))
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            return after_action(item, message)
    return render_item(item, refused_status(form), **{form_name: form})


@bp.route("/items/<int:item_id>/approve", methods=["POST"])
@permission_required(can_moderate)
def approve(item_id: int):
    item, form = load_item(item_id), ItemForm()
    return run(
        item,
        form,
        "item_form",
        lambda: actions.approve(
            db.session, current_user, item, revision_of(form), reason=form.reason.data or ""
        ),
        _("Approved: the post is visible."),
    )


@bp.route("/items/<int:item_id>/remove", methods=["POST"])
@permission_required(can_moderate)
def remove(item_id: int):
    item, form = load_item(item_id), ItemForm()
    how = request.form.get("how", "hide")
    # Deleting is final for the author (hiding can be undone): asked first, reason given.
    if how == "delete" and form.validate_on_submit() and (form.reason.data or "").strip():
        page = confirmation_page(
            title=_("Delete this post?"),
            question=_("Its author is told why and may appeal; readers no longer see it."),
            button=_("Delete"),
            cancel_url=url_for("moderation.item", item_id=item.id),
            quote=item.post.body[:300],
        )
        if page is not None:
            return page
    return run(
        item,
        form,
        "item_form",
        lambda: actions.remove(
            db.session, current_user, item, revision_of(form), how=how, reason=form.reason.data
        ),
        _("Hidden.") if how == "hide" else _("Deleted."),
    )


@bp.route("/items/<int:item_id>/edit", methods=["POST"])
@permission_required(can_moderate)
def edit(item_id: int):
    item, form = load_item(item_id), EditPostForm()

    def save():
        revision = revision_of(form)
        title = form.title.data if item.post.is_question else None
        actions.edit(
            db.session, current_user, item, revision, body=form.body.data, title=title,
            reason=form.reason.data or "",
        )  # fmt: skip
        if form.approve_after.data:
            actions.approve(
                db.session, current_user, item, item.revision, reason=form.reason.data or ""
            )

    message = (
        _("Saved and approved.")
        if form.approve_after.data
        else _("Edit saved (kept in the post’s history).")
    )
    return run(item, form, "edit_form", save, message)


@bp.route("/items/<int:item_id>/lock", methods=["POST"])
@permission_required(can_moderate)
def lock(item_id: int):
    item, form = load_item(item_id), ItemForm()
    return run(
        item,
        form,
        "item_form",
        lambda: actions.lock_thread(db.session, current_user, item, reason=form.reason.data or ""),
        _("Thread locked."),
    )


@bp.route("/items/<int:item_id>/duplicate", methods=["POST"])
@permission_required(can_moderate)
def duplicate(item_id: int):
    item, form = load_item(item_id), DuplicateForm()
    return run(
        item,
        form,
        "duplicate_form",
        lambda: actions.close_duplicate(
            db.session, current_user, item, original=form.original.data
        ),
        _("Thread closed as a duplicate."),
    )


@bp.route("/items/<int:item_id>/suspend", methods=["POST"])
@permission_required(can_moderate)
def suspend(item_id: int):
    item, form = load_item(item_id), SuspendForm()
    if form.validate_on_submit():
        page = confirmation_page(
            title=_("Suspend %(name)s?", name=item.post.author.name),
            question=suspension_question(form.days.data),
            button=_("Suspend"),
            cancel_url=url_for("moderation.item", item_id=item.id),
            quote=form.reason.data,
        )
        if page is not None:
            return page
    return run(
        item,
        form,
        "suspend_form",
        lambda: actions.suspend_author(
            db.session, current_user, item, reason=form.reason.data, days=form.days.data
        ),
        _("%(name)s is suspended.", name=item.post.author.username),
    )


def suspension_question(days: int | None) -> str:
    """What a suspension does, for its confirmation page."""
    if days:
        return ngettext(
            "They cannot post for %(num)d day and are signed out everywhere; their posts "
            "waiting for review are hidden.",
            "They cannot post for %(num)d days and are signed out everywhere; their posts "
            "waiting for review are hidden.",
            days,
        )
    return _(
        "They cannot post until the suspension is lifted and are signed out everywhere; "
        "their posts waiting for review are hidden."
    )


@bp.route("/bulk", methods=["POST"])
@permission_required(can_moderate)
def bulk():
    form = BulkForm()
    if not form.validate_on_submit():
        abort(400)
    choices = []
    for value in request.form.getlist("items"):
        item_text, _colon, revision_text = value.partition(":")
        item_id, revision = parse_id(item_text), parse_id(revision_text)
        if item_id is not None and revision is not None:
            choices.append((item_id, revision))
    if not choices:
        flash(_("Select at least one item."), "error")
        return redirect(url_for("moderation.queue"))
    if form.how.data == "hide" and not (form.reason.data or "").strip():
        flash(_("Give the authors a reason to hide their posts."), "error")
        return redirect(url_for("moderation.queue"))
    done, skipped = actions.bulk(
        db.session, current_user, choices, how=form.how.data, reason=form.reason.data or ""
    )
    db.session.commit()
    if form.how.data == "approve":
        done_message = ngettext("Approved: %(num)d item.", "Approved: %(num)d items.", done)
    else:
        done_message = ngettext("Hidden: %(num)d item.", "Hidden: %(num)d items.", done)
    flash(done_message, "success")
    for message in skipped:
        flash(message, "warning")
    return redirect(url_for("moderation.queue"))
