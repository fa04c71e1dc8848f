"""The customer's side of cases: Contact support, "I still need help", my requests, survey."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from community.models import Post, Thread
from moderation.cases import guest_views, service, sources, surveys
from moderation.cases.forms import ContactForm, CustomerMessageForm, EscalateForm, SurveyForm
from moderation.cases.models import Case, CaseStatus
from moderation.cases.views import bp
from portal.attachments import accepts_uploads, attach
from portal.errors import DomainError, TooManyAttempts
from portal.extensions import db
from portal.forms import EmptyForm, commit_or_show, form_status, show_domain_error
from portal.models import Tag
from portal.permissions import can_escalate_post, can_post, can_work_cases, permission_required


def own_case(case_id: int) -> Case:
    """The signed-in customer's case; anybody else's is a 404 (no hint that it exists)."""
    case = db.session.get(Case, case_id)
    if case is None or case.customer_id != current_user.id:
        abort(404)
    return case


def topic_choices() -> list[SelectChoice]:
    return [
        SelectChoice(t.slug, t.name) for t in db.session.scalars(select(Tag).order_by(Tag.name))
    ]


@bp.route("/support/contact", methods=["GET", "POST"])
@accepts_uploads
def contact():
    """Contact support: the search widget's suggestions first, then the request itself.
    Visitors give an e-mail address instead of signing in (guest_views.py)."""
    if not current_user.is_authenticated:
        return guest_views.guest_contact(topic_choices())
    if not can_post(current_user):
        abort(403)
    form = ContactForm()
    form.topics.choices = topic_choices()
    if form.validate_on_submit():
        try:
            case = sources.contact_support(
                db.session,
                current_user,
                subject=form.subject.data,
                body=form.body.data,
                tag_slugs=form.topics.data or [],
            )
            attach(db.session, current_user, "case", case.id, form.attachments.cleaned)
            db.session.commit()
            flash(
                _("Thank you: your request reached our agents. We answer here and by e-mail."),
                "success",
            )
            return redirect(url_for("cases.my_case", case_id=case.id))
        except TooManyAttempts as error:
            db.session.rollback()
            show_domain_error(form, error)
            return render_template("cases/contact.html", form=form), 429
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
    return render_template("cases/contact.html", form=form), form_status(form)


@bp.get("/support/cases")
@permission_required(can_post)
def my_cases():
    rows = db.session.scalars(
        select(Case).where(Case.customer_id == current_user.id).order_by(Case.opened_at.desc())
    ).all()
    return render_template("cases/my_cases.html", cases=rows)


@bp.route("/support/cases/<int:case_id>", methods=["GET", "POST"])
@permission_required(can_post)
@accepts_uploads
def my_case(case_id: int):
    """The customer's own case: their message, our public and private replies, no notes."""
    case = own_case(case_id)
    form, was_solved = CustomerMessageForm(), case.status == CaseStatus.SOLVED
    if form.validate_on_submit() and commit_or_show(
        form,
        lambda: attach(
            db.session,
            current_user,
            "case_event",
            service.customer_message(db.session, current_user, case, form.body.data).id,
            form.attachments.cleaned,
        ),
    ):
        if was_solved:
            flash(_("Your request is open again: an agent will answer."), "success")
        else:
            flash(_("Message sent."), "success")
        return redirect(url_for("cases.my_case", case_id=case.id))
    visible = [event for event in case.events if event.customer_visible]
    page = render_template("cases/my_case.html", case=case, events=visible, form=form)
    return page, form_status(form)


@bp.post("/support/threads/<int:thread_id>/need-help")
@permission_required(can_post)
def need_help(thread_id: int):
    """The asker's "I still need help"; a double click finds the same case."""
    thread = db.session.get(Thread, thread_id)
    if thread is None or not EmptyForm().validate_on_submit():
        abort(404 if thread is None else 400)
    try:
        case, created = sources.need_help(db.session, current_user, thread)
    except DomainError as error:
        db.session.rollback()
        abort(error.status_code if error.status_code != 400 else 422, description=error.message)
    db.session.commit()
    flash(
        _("An agent will look at your question.")
        if created
        else _("Support already has your question."),
        "success",
    )
    return redirect(url_for("cases.my_case", case_id=case.id))


@bp.post("/desk/posts/<int:post_id>/escalate")
@permission_required(can_escalate_post)
def escalate(post_id: int):
    """A moderator sends a post to the agents."""
    post = db.session.get(Post, post_id)
    if post is None:
        abort(404)
    form = EscalateForm()
    try:
        case = sources.escalate_post(db.session, current_user, post, form.reason.data or "")
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("community.thread", thread_id=post.thread_id))
    db.session.commit()
    flash(_("Sent to the agents as case #%(id)s.", id=case.id), "success")
    if can_work_cases(current_user):
        return redirect(url_for("cases.case", case_id=case.id))
    return redirect(url_for("community.thread", thread_id=post.thread_id))


@bp.route("/support/survey/<token>", methods=["GET", "POST"])
def survey(token: str):
    """The survey of a solved case: the secret link is the key, one answer only."""
    try:
        record = surveys.survey_by_token(db.session, token)
    except DomainError:
        abort(404)
    form = SurveyForm()
    if form.validate_on_submit():
        try:
            surveys.answer_survey(
                db.session, token, csat=form.csat.data, nps=form.nps.data, comment=form.comment.data
            )
            db.session.commit()
            flash(_("Thank you for your answer!"), "success")
            return redirect(url_for("cases.survey", token=token))
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            return render_template("cases/survey.html", survey=record, form=form), (
                409 if error.status_code == 409 else 422
            )
    return render_template("cases/survey.html", survey=record, form=form)
