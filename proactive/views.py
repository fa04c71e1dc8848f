"""Known-issue pages: the public status page, and the desk's declare / link / resolve pages."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from community.models import Thread
from moderation.cases.models import Case
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm, commit_or_show, form_status, show_domain_error
from portal.inputs import id_arg, parse_id
from portal.models import Tag
from portal.permissions import (
    can_follow_known_issue,
    can_manage_known_issues,
    permission_required,
)
from proactive import banners, issues, matching, resolving, tagging
from proactive.forms import IssueForm, ResolveForm
from proactive.models import KnownIssue, KnownIssueLink, SurgeAlert

bp = Blueprint(
    "proactive",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/proactive/static",
)


def _issue(issue_id: int) -> KnownIssue:
    issue = issues.get_issue(db.session, issue_id)
    if issue is None:
        abort(404)
    return issue


# ----------------------------------------------------------------- public
@bp.route("/known-issues")
def index():
    """Open issues and the recently resolved ones."""
    return render_template(
        "proactive/index.html",
        open_issues=issues.open_issues(db.session),
        resolved=banners.recently_resolved(db.session),
    )


@bp.route("/known-issues/<int:issue_id>")
def issue(issue_id: int):
    """The status page the banners link to; reached from a form's banner, a deflection step."""
    issue = _issue(issue_id)
    if request.args.get("via") == "banner":
        banners.record_opened(db.session, issue, request.args.get("q", ""))
        db.session.commit()
    return render_template(
        "proactive/issue.html",
        issue=issue,
        following=issues.is_following(db.session, current_user, issue),
        form=EmptyForm(),
        from_banner=banners.opened_from_banner(issue),
    )


@bp.post("/known-issues/<int:issue_id>/follow")
@permission_required(can_follow_known_issue)
def follow(issue_id: int):
    issue = _issue(issue_id)
    if EmptyForm().validate_on_submit():
        issues.follow(db.session, current_user, issue)
        db.session.commit()
        flash(_("We will tell you when this is fixed."), "success")
    return redirect(url_for("proactive.issue", issue_id=issue.id))


@bp.post("/known-issues/<int:issue_id>/answered")
def answered(issue_id: int):
    """ "This answers my question": the customer need not write (a confirmed deflection)."""
    issue = _issue(issue_id)
    if EmptyForm().validate_on_submit():
        banners.record_answered(db.session, issue)
        db.session.commit()
        flash(_("Thanks: no need to write to us about it. We are on it."), "success")
    return redirect(url_for("proactive.issue", issue_id=issue.id))


# ------------------------------------------------------------------- desk
def _issue_form(form: IssueForm) -> IssueForm:
    form.topics.choices = [
        SelectChoice(t.slug, t.name) for t in db.session.scalars(select(Tag).order_by(Tag.name))
    ]
    return form


@bp.route("/desk/known-issues")
@permission_required(can_manage_known_issues)
def desk_index():
    """Every known issue with its links, and the open surge alerts."""
    rows = db.session.scalars(select(KnownIssue).order_by(KnownIssue.created_at.desc())).all()
    return render_template(
        "proactive/desk_index.html", issues=rows, alerts=banners.open_alerts(db.session)
    )


@bp.route("/desk/known-issues/new", methods=["GET", "POST"])
@permission_required(can_manage_known_issues)
def declare():
    """Declare a known issue, by hand or from a surge alert (``?alert=``)."""
    alert_id = id_arg("alert")
    alert = db.session.get(SurgeAlert, alert_id) if alert_id else None
    form = _issue_form(IssueForm())
    if request.method == "GET" and alert is not None:
        form.title.data = alert.title
        form.topics.data = list(alert.topics or [])
    created = []
    if form.validate_on_submit() and commit_or_show(
        form,
        lambda: created.append(
            issues.declare_issue(
                db.session,
                current_user,
                title=form.title.data,
                explanation=form.explanation.data,
                status=form.status.data,
                tag_slugs=form.topics.data or [],
                alert=alert,
            )
        ),
    ):
        flash(_("Known issue declared: its banner shows now."), "success")
        return redirect(url_for("proactive.manage", issue_id=created[0].id))
    return render_template("proactive/declare.html", form=form, alert=alert), form_status(form)


@bp.route("/desk/known-issues/<int:issue_id>", methods=["GET", "POST"])
@permission_required(can_manage_known_issues)
def manage(issue_id: int):
    """Edit the issue, confirm suggested links, resolve."""
    issue = _issue(issue_id)
    form = _issue_form(IssueForm(obj=issue if request.method == "GET" else None))
    if request.method == "GET":
        form.topics.data = [tag.slug for tag in issue.tags]
    if form.validate_on_submit() and commit_or_show(
        form,
        lambda: issues.update_issue(
            db.session,
            current_user,
            issue,
            title=form.title.data,
            explanation=form.explanation.data,
            status=form.status.data,
            tag_slugs=form.topics.data or [],
        ),
    ):
        flash(_("Known issue updated."), "success")
        return redirect(url_for("proactive.manage", issue_id=issue.id))
    return _manage_page(issue, form, ResolveForm(formdata=None)), form_status(form)


def _manage_page(issue: KnownIssue, form: IssueForm, resolve_form: ResolveForm):
    rows = issues.links(db.session, issue)
    threads = {
        t.id: t
        for t in db.session.scalars(
            select(Thread).where(Thread.id.in_([r.thread_id for r in rows if r.thread_id]))
        )
    }
    cases = {
        c.id: c
        for c in db.session.scalars(
            select(Case).where(Case.id.in_([r.case_id for r in rows if r.case_id]))
        )
    }
    suggestions = matching.suggested_links(db.session, issue) if issue.is_open else None
    return render_template(
        "proactive/manage.html",
        issue=issue,
        form=form,
        resolve_form=resolve_form,
        link_form=EmptyForm(),
        rows=rows,
        threads=threads,
        cases=cases,
        suggestions=suggestions,
    )


@bp.post("/desk/known-issues/<int:issue_id>/link")
@permission_required(can_manage_known_issues)
def link(issue_id: int):
    """Confirm a suggested (or typed) thread or case as being about the issue."""
    issue = _issue(issue_id)
    thread_id = parse_id(request.form.get("thread_id"))
    case_id = parse_id(request.form.get("case_id"))
    thread = db.session.get(Thread, thread_id) if thread_id else None
    case = db.session.get(Case, case_id) if case_id else None
    if EmptyForm().validate_on_submit() and (thread or case):
        try:
            issues.link(db.session, current_user, issue, thread=thread, case=case)
            db.session.commit()
            flash(_("Linked to the known issue."), "success")
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "error")
    return redirect(url_for("proactive.manage", issue_id=issue.id))


@bp.post("/desk/known-issues/<int:issue_id>/unlink/<int:link_id>")
@permission_required(can_manage_known_issues)
def unlink(issue_id: int, link_id: int):
    issue = _issue(issue_id)
    row = db.session.get(KnownIssueLink, link_id)
    if row is None or row.issue_id != issue.id:
        abort(404)
    if EmptyForm().validate_on_submit():
        issues.unlink(db.session, current_user, issue, row)
        db.session.commit()
        flash(_("Link removed."), "success")
    return redirect(url_for("proactive.manage", issue_id=issue.id))


@bp.post("/desk/known-issues/<int:issue_id>/resolve")
@permission_required(can_manage_known_issues)
def resolve(issue_id: int):
    """Resolve: one update to every linked thread, case and follower."""
    issue = _issue(issue_id)
    resolve_form = ResolveForm()
    if resolve_form.validate_on_submit():
        try:
            reached = resolving.resolve_issue(
                db.session,
                current_user,
                issue,
                message=resolve_form.message.data,
                solve_cases=resolve_form.solve_cases.data,
            )
            db.session.commit()
            flash(
                _(
                    "Resolved. Update sent to %(threads)s threads, %(cases)s cases "
                    "(%(solved)s solved) and %(followers)s followers.",
                    **reached,
                ),
                "success",
            )
            return redirect(url_for("proactive.manage", issue_id=issue.id))
        except DomainError as error:
            db.session.rollback()
            show_domain_error(resolve_form, error)
    form = _issue_form(IssueForm(formdata=None, obj=issue))
    form.topics.data = [tag.slug for tag in issue.tags]
    return _manage_page(issue, form, resolve_form), 422


@bp.post("/desk/alerts/<int:alert_id>/dismiss")
@permission_required(can_manage_known_issues)
def dismiss_alert(alert_id: int):
    """Nothing to declare: the alert leaves the desk (audited)."""
    alert = db.session.get(SurgeAlert, alert_id)
    if alert is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        banners.dismiss_alert(db.session, current_user, alert)
        db.session.commit()
        flash(_("Alert dismissed."), "success")
    return redirect(url_for("proactive.desk_index"))


# ------------------------------------------------------------ automatic topics
@bp.route("/proactive/topics")
def topics():
    """Topics proposed for a text being written, as JSON (the forms' proposals)."""
    proposed = tagging.propose(db.session, request.args.get("text", "")[:4000])
    return jsonify(
        topics=[
            {
                "slug": tag.slug,
                "name": tag.name,
                "label": _("Add the topic “%(name)s”", name=tag.name),
            }
            for tag, _probability in proposed
        ]
    )
