"""Admins' and agents' settings of the desk: macros, priority rules, routing profile, VIP,
and the supervisor view."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from moderation.cases import macros, queries, routing
from moderation.cases.forms import MacroForm, ProfileForm, RuleForm
from moderation.cases.models import Macro, PriorityRuleRecord, Survey
from moderation.cases.surveys import nps_group
from moderation.cases.views import bp
from portal.confirm import confirmation_page
from portal.database import utcnow
from portal.extensions import db
from portal.forms import EmptyForm, commit_or_show, form_status
from portal.inputs import local_path
from portal.models import Tag, User
from portal.permissions import can_supervise_cases, can_work_cases, permission_required


@bp.get("/desk/macros")
@permission_required(can_supervise_cases)
def macro_list():
    rows = db.session.scalars(select(Macro).order_by(Macro.title)).all()
    return render_template("cases/macros.html", macros=rows, placeholders=macros.PLACEHOLDERS)


@bp.route("/desk/macros/new", methods=["GET", "POST"], defaults={"macro_id": None})
@bp.route("/desk/macros/<int:macro_id>", methods=["GET", "POST"])
@permission_required(can_supervise_cases)
def macro_edit(macro_id: int | None):
    macro = db.session.get(Macro, macro_id) if macro_id else None
    if macro_id and macro is None:
        abort(404)
    form = MacroForm(obj=macro)
    if form.validate_on_submit() and commit_or_show(
        form,
        lambda: macros.save_macro(
            db.session, current_user, macro, title=form.title.data, body=form.body.data
        ),
    ):
        flash(_("Macro saved."), "success")
        return redirect(url_for("cases.macro_list"))
    return render_template("cases/macro_edit.html", form=form, macro=macro), form_status(form)


@bp.post("/desk/macros/<int:macro_id>/delete")
@permission_required(can_supervise_cases)
def macro_delete(macro_id: int):
    macro = db.session.get(Macro, macro_id) or abort(404)
    if EmptyForm().validate_on_submit():
        page = confirmation_page(
            title=_("Delete the macro “%(title)s”?", title=macro.title),
            question=_("Agents can no longer insert it. This cannot be undone."),
            button=_("Delete"),
            cancel_url=url_for("cases.macro_list"),
            quote=macro.body,
        )
        if page is not None:
            return page
        macros.delete_macro(db.session, current_user, macro)
        db.session.commit()
        flash(_("Macro deleted."), "success")
    return redirect(url_for("cases.macro_list"))


@bp.get("/desk/rules")
@permission_required(can_supervise_cases)
def rules():
    records = routing.seed_default_rules(db.session)
    db.session.commit()
    return render_template("cases/rules.html", rules=records, policy=routing.sla_policy())


@bp.route("/desk/rules/new", methods=["GET", "POST"], defaults={"rule_id": None})
@bp.route("/desk/rules/<int:rule_id>", methods=["GET", "POST"])
@permission_required(can_supervise_cases)
def rule_edit(rule_id: int | None):
    rule = db.session.get(PriorityRuleRecord, rule_id) if rule_id else None
    if rule_id and rule is None:
        abort(404)
    form = RuleForm(obj=rule)
    if form.validate_on_submit() and commit_or_show(
        form,
        lambda: routing.save_rule(
            db.session,
            current_user,
            rule,
            name=form.name.data,
            keywords=form.keywords.data,
            priority=form.priority.data,
        ),
    ):
        flash(_("Rule saved."), "success")
        return redirect(url_for("cases.rules"))
    return render_template("cases/rule_edit.html", form=form, rule=rule), form_status(form)


@bp.post("/desk/rules/<int:rule_id>/delete")
@permission_required(can_supervise_cases)
def rule_delete(rule_id: int):
    rule = db.session.get(PriorityRuleRecord, rule_id) or abort(404)
    if EmptyForm().validate_on_submit():
        routing.delete_rule(db.session, current_user, rule)
        db.session.commit()
        flash(_("Rule deleted."), "success")
    return redirect(url_for("cases.rules"))


@bp.route("/desk/profile", methods=["GET", "POST"])
@permission_required(can_work_cases)
def profile():
    """The agent's own skills and availability, which routing reads."""
    record = routing.agent_profile(db.session, current_user)
    if request.method == "GET":
        form = ProfileForm(
            formdata=None, available=record.available, skills=[t.slug for t in record.skills]
        )
    else:
        form = ProfileForm()
    form.skills.choices = [
        SelectChoice(t.slug, t.name) for t in db.session.scalars(select(Tag).order_by(Tag.name))
    ]
    db.session.commit()  # the profile row created on first visit
    if form.validate_on_submit() and commit_or_show(
        form,
        lambda: routing.update_profile(
            db.session,
            current_user,
            available=form.available.data,
            skill_slugs=form.skills.data or [],
        ),
    ):
        flash(_("Routing profile saved."), "success")
        return redirect(url_for("cases.profile"))
    return render_template("cases/profile.html", form=form), form_status(form)


@bp.post("/desk/customers/<username>/vip")
@permission_required(can_supervise_cases)
def vip(username: str):
    """Mark or unmark a VIP, from the case page (next=its path) or the admin's user page
    (back=admin)."""
    customer = db.session.scalar(select(User).where(User.username == username)) or abort(404)
    if EmptyForm().validate_on_submit():
        vip = request.form.get("vip") == "1"
        routing.set_vip(db.session, current_user, customer, vip)
        db.session.commit()
        name = customer.username
        message = (
            _("%(name)s is now a VIP customer.", name=name)
            if vip
            else _("%(name)s is no longer a VIP customer.", name=name)
        )
        flash(message, "success")
    if request.form.get("back") == "admin":
        return redirect(url_for("admin.user_detail", username=customer.username))
    return redirect(local_path(request.form.get("next")) or url_for("cases.desk"))


@bp.get("/desk/supervisor")
@permission_required(can_supervise_cases)
def supervisor():
    """Open cases per agent, breaches and the oldest waiting cases."""

    now = utcnow()
    answered = db.session.scalars(select(Survey).where(Survey.answered_at.is_not(None))).all()
    csat = [s.csat for s in answered]
    groups = [nps_group(s.nps) for s in answered]
    nps = (
        round(100 * (groups.count("promoter") - groups.count("detractor")) / len(groups))
        if groups
        else None
    )
    return render_template(
        "cases/supervisor.html",
        rows=queries.supervisor_rows(db.session, now),
        breached=queries.attention_cases(db.session, now),
        oldest=queries.oldest_waiting(db.session),
        sla_view=lambda case: queries.sla_view(case, now),
        csat_average=format_decimal(sum(csat) / len(csat), "#,##0.##") if csat else None,
        nps=nps,
        survey_count=len(answered),
    )
