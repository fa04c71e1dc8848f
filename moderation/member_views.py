"""Members report posts and appeal removals; admins edit watched terms and read the audit log."""

from datetime import UTC, datetime, timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from community.models import Post
from community.notify import thread_link
from community.queries import can_see_post, can_see_thread
from moderation import appeals, audit, flags, terms
from moderation.forms import AppealForm, FlagForm, TermForm
from moderation.models import WatchedTermRecord
from moderation.settings import described_settings
from moderation.views import bp
from portal.confirm import confirmation_page
from portal.errors import Conflict, DomainError
from portal.extensions import db
from portal.forms import EmptyForm, commit_or_show, form_status, show_domain_error
from portal.inputs import paginate
from portal.permissions import (
    can_manage_moderation_rules,
    can_post,
    can_read_audit_log,
    can_read_own_audit_entries,
    is_signed_in,
    permission_required,
)


def load_post(post_id: int) -> Post:
    """A post this member may see, or 404 (held posts are not there for others)."""
    post = db.session.get(Post, post_id)
    if (
        post is None
        or not can_see_thread(current_user, post.thread)
        or not can_see_post(current_user, post)
    ):
        abort(404)
    return post


@bp.route("/posts/<int:post_id>/flag", methods=["GET", "POST"])
@permission_required(can_post)
def flag(post_id: int):
    post, form = load_post(post_id), FlagForm()
    if post.status == "deleted":
        abort(404)
    if form.validate_on_submit():
        try:
            flags.flag_post(
                db.session, current_user, post, category=form.category.data, note=form.note.data
            )
        except Conflict as error:
            db.session.rollback()
            flash(error.message, "info")
            return redirect(thread_link(post.thread, post))
        except DomainError as error:
            db.session.rollback()
            if error.status_code == 403:
                abort(403, description=error.message)
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Thank you for the report: a moderator will look at it."), "success")
            return redirect(thread_link(post.thread, post))
    page = render_template("moderation/flag.html", form=form, post=post)
    return page, form_status(form)


@bp.route("/posts/<int:post_id>/appeal", methods=["GET", "POST"])
@permission_required(is_signed_in)
def appeal(post_id: int):
    post = db.session.get(Post, post_id)
    if post is None or post.author_id != current_user.id:
        abort(404)
    form = AppealForm()
    existing = appeals.appeal_for_removal(db.session, post)
    if form.validate_on_submit() and commit_or_show(
        form, lambda: appeals.appeal(db.session, current_user, post, message=form.message.data)
    ):
        flash(_("Your appeal is sent. A moderator will look at it."), "success")
        return redirect(url_for("moderation.appeal", post_id=post.id))
    page = render_template(
        "moderation/appeal.html",
        form=form,
        post=post,
        existing=existing,
        reason=appeals.removal_reason(db.session, post),
    )
    return page, form_status(form)


def term_fields(form: TermForm) -> dict:
    """A watched term as the form describes it, for adding and updating."""
    return {
        "term": form.term.data,
        "is_regex": form.is_regex.data,
        "whole_word": form.whole_word.data,
        "action": form.action.data,
    }


@bp.route("/rules", methods=["GET", "POST"])
@permission_required(can_manage_moderation_rules)
def rules():
    form = TermForm()
    if form.validate_on_submit() and commit_or_show(
        form, lambda: terms.add_term(db.session, current_user, **term_fields(form))
    ):
        flash(_("Watched term saved."), "success")
        return redirect(url_for("moderation.rules"))
    return render_rules(form, form_status(form))


def render_rules(form, status: int = 200):
    records = db.session.scalars(db.select(WatchedTermRecord).order_by(WatchedTermRecord.term))
    settings = described_settings(current_app.config)
    page = render_template(
        "moderation/rules.html",
        form=form,
        records=records.all(),
        settings=settings,
        delete_form=EmptyForm(),
    )
    return page, status


@bp.route("/rules/<int:term_id>", methods=["GET", "POST"])
@permission_required(can_manage_moderation_rules)
def edit_term(term_id: int):
    record = db.get_or_404(WatchedTermRecord, term_id)
    form = TermForm(obj=record)
    if form.validate_on_submit() and commit_or_show(
        form, lambda: terms.update_term(db.session, current_user, record, **term_fields(form))
    ):
        flash(_("Watched term updated."), "success")
        return redirect(url_for("moderation.rules"))
    page = render_template("moderation/term.html", form=form, record=record)
    return page, form_status(form)


@bp.route("/rules/<int:term_id>/delete", methods=["POST"])
@permission_required(can_manage_moderation_rules)
def delete_term(term_id: int):
    record = db.get_or_404(WatchedTermRecord, term_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    page = confirmation_page(
        title=_("Delete this watched term?"),
        question=_("New posts are no longer checked for it."),
        button=_("Delete"),
        cancel_url=url_for("moderation.rules"),
        quote=record.term,
    )
    if page is not None:
        return page
    terms.delete_term(db.session, current_user, record)
    db.session.commit()
    flash(_("Watched term deleted."), "success")
    return redirect(url_for("moderation.rules"))


def parse_day(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None


@bp.route("/audit")
@permission_required(can_read_own_audit_entries)
def audit_log():
    """Admins search everyone's entries; a moderator reads their own."""
    args = request.args
    everyone = can_read_audit_log(current_user)
    since, until = parse_day(args.get("since", "")), parse_day(args.get("until", ""))
    statement = audit.search(
        text=args.get("q", "").strip()[:100],
        action=args.get("action", "")[:40],
        actor=args.get("actor", "")[:32] if everyone else "",
        actor_id=None if everyone else current_user.id,
        since=since,
        until=until + timedelta(days=1) if until else None,
    )
    page = paginate(statement, per_page=current_app.config["MODERATION_AUDIT_PER_PAGE"])
    return render_template(
        "moderation/audit.html",
        page=page,
        actions=audit.actions(db.session),
        args=args,
        everyone=everyone,
    )
