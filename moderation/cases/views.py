"""The agent desk: queues, the case page and the actions on a case."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from community import queries as community_queries
from moderation.cases import drafts, labels, macros, queries, routing, service, surveys, timeline
from moderation.cases.forms import (
    AssignForm,
    NoteForm,
    PriorityForm,
    ReplyForm,
    SolveForm,
    StatusForm,
)
from moderation.cases.models import Case, CaseStatus, Macro
from moderation.cases.service import TRANSITIONS
from portal.attachments import accepts_uploads, attach
from portal.database import utcnow
from portal.extensions import db
from portal.forms import commit_or_show, refused_status
from portal.i18n import N_
from portal.inputs import id_arg, paginate
from portal.models import User
from portal.permissions import can_work_cases, permission_required
from portal.urls import external_url

bp = Blueprint("cases", __name__, template_folder="templates")


def load_case(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None:
        abort(404)
    return case


@bp.get("/desk/")
@permission_required(can_work_cases)
def desk():
    """A queue of cases sorted by SLA due, with the breach indicator and time left."""
    name = request.args.get("queue", "mine")
    name = name if name in queries.QUEUES else "mine"
    now = utcnow()
    page = None
    if name == "attention":
        rows = queries.attention_cases(db.session, now)
    else:
        page = paginate(
            queries.queue(name, current_user), per_page=current_app.config["CASES_PER_PAGE"]
        )
        rows = page.items
    return render_template(
        "cases/desk.html",
        queue=name,
        queues=queries.QUEUES,
        counts=queries.queue_counts(db.session, current_user, now),
        rows=[(case, queries.sla_view(case, now)) for case in rows],
        page=page,
    )


def inserted_text(case: Case, macro_id: int | None, slug: str) -> str:
    """What a macro and a suggested article's link add to the reply, in the customer's
    language; empty for an unknown macro or article."""
    parts = []
    macro = db.session.get(Macro, macro_id) if macro_id else None
    if macro is not None:
        parts.append(macros.render_macro(macro, case, current_user))
    article = next(
        (a for a in queries.suggested_articles(db.session, case, 20) if a.slug == slug), None
    )
    if slug and article is not None:
        link = "[{}]({})".format(article.title, external_url("kb.article", slug=article.slug))
        # Words the customer reads: in their language, not the agent's.
        with force_locale(queries.customer_language(case)):
            parts.append(_("This article explains it: %(link)s", link=link))
    return "\n\n".join(parts)


def prefilled_reply(case: Case) -> str:
    """The reply box's text: the agent's kept draft, then what ``?macro=`` and
    ``?article=`` ask to insert (links from before the draft existed still work)."""
    addition = inserted_text(case, id_arg("macro"), request.args.get("article", ""))
    return drafts.joined(drafts.draft_text(db.session, current_user, case), addition)


def render_case(case: Case, status: int = 200, **forms):
    """The case page; forms that failed come back with their errors and the user's text."""

    now = utcnow()
    reply_form = forms.get("reply_form") or ReplyForm(
        formdata=None, body=prefilled_reply(case), visibility="public" if case.thread else "private"
    )
    has_draft = "reply_form" not in forms and bool(reply_form.body.data)
    if not case.thread:
        reply_form.visibility.choices = [SelectChoice("private", _("Private reply"))]
    assign_form = forms.get("assign_form") or AssignForm(
        formdata=None, assignee=str(case.assignee_id or "")
    )
    assign_form.assignee.choices = assignee_choices()
    # The current status first and chosen: a press of "Change status" by mistake is no change.
    status_form = forms.get("status_form") or StatusForm(formdata=None, status=case.status)
    current = CaseStatus(case.status)
    status_form.status.choices = [
        SelectChoice(
            current.value, _("%(status)s (now)", status=labels.case_label("status", current))
        )
    ] + [
        SelectChoice(s.value, labels.case_label("status", s))
        for s in CaseStatus
        if s in TRANSITIONS[current]
    ]
    articles = queries.suggested_articles(db.session, case)
    solve_form = forms.get("solve_form") or SolveForm(formdata=None)
    solve_form.article.choices = [SelectChoice("", "—")] + [
        SelectChoice(a.slug, a.title) for a in articles
    ]
    history_threads, history_cases = queries.customer_history(db.session, case)
    thread = case.thread
    customer_language = queries.customer_language(case)
    return (
        render_template(
            "cases/case.html",
            case=case,
            sla=queries.sla_view(case, now),
            thread=thread,
            replies=community_queries.replies_for(current_user, thread) if thread else [],
            history_threads=history_threads,
            history_cases=history_cases,
            articles=articles,
            similar_threads=queries.similar_solved_threads(db.session, case),
            macro_groups=macros.for_customer(
                db.session.scalars(select(Macro)).all(), customer_language
            ),
            customer_language=customer_language,
            timeline=[(event, timeline.render_lines(db.session, event)) for event in case.events],
            reply_form=reply_form,
            has_draft=has_draft,
            note_form=forms.get("note_form") or NoteForm(formdata=None),
            assign_form=assign_form,
            priority_form=forms.get("priority_form")
            or PriorityForm(formdata=None, priority=case.priority),
            status_form=status_form,
            solve_form=solve_form,
            survey=case.survey,
            customer_vip=routing.is_vip(db.session, case.customer),
            nps_group=surveys.nps_group,
        ),
        status,
    )


@bp.get("/desk/cases/<int:case_id>")
@permission_required(can_work_cases)
def case(case_id: int):
    return render_case(load_case(case_id))


def assignee_choices() -> list[SelectChoice]:
    """Nobody, or one of the agents: the only assignees the form accepts."""
    return [SelectChoice("", _("Nobody (unassigned)"))] + [
        SelectChoice(str(agent.id), agent.name) for agent in queries.agents(db.session)
    ]


def act(case: Case, form, form_name: str, action, done: str):
    """Validate, run the service, commit once; a refusal goes back onto the case page.

    ``done``: the catalog's message (N_) flashed on success, in the reader's language.
    """
    if form.validate_on_submit() and commit_or_show(form, action):
        flash(_(done), "success")
        return redirect(url_for("cases.case", case_id=case.id))
    return render_case(case, refused_status(form), **{form_name: form})


@bp.post("/desk/cases/<int:case_id>/reply")
@permission_required(can_work_cases)
@accepts_uploads
def reply(case_id: int):
    case = load_case(case_id)
    form = ReplyForm()

    def send():
        drafts.discard_draft(db.session, current_user, case)
        if form.visibility.data == "private":
            event = service.reply_privately(
                db.session, current_user, case, form.body.data, then=form.then.data
            )
            owner = ("case_event", event.id)
        else:
            post = service.reply_publicly(
                db.session, current_user, case, form.body.data, then=form.then.data
            )
            owner = ("post", post.id)  # in the thread: the thread's readers see its files
        attach(db.session, current_user, *owner, form.attachments.cleaned)

    return act(case, form, "reply_form", send, N_("Reply sent."))


@bp.post("/desk/cases/<int:case_id>/take")
@permission_required(can_work_cases)
def take(case_id: int):
    case = load_case(case_id)
    service.take_case(db.session, current_user, case)
    db.session.commit()
    flash(_("The case is yours."), "success")
    return redirect(url_for("cases.case", case_id=case.id))


@bp.post("/desk/cases/<int:case_id>/assign")
@permission_required(can_work_cases)
def assign(case_id: int):
    case = load_case(case_id)
    form = AssignForm()
    form.assignee.choices = assignee_choices()

    def reassign():
        agent = db.session.get(User, int(form.assignee.data)) if form.assignee.data else None
        service.reassign_case(db.session, current_user, case, agent)

    return act(case, form, "assign_form", reassign, N_("Assignment saved."))


@bp.post("/desk/cases/<int:case_id>/priority")
@permission_required(can_work_cases)
def priority(case_id: int):
    case = load_case(case_id)
    form = PriorityForm()
    action = lambda: service.set_priority(db.session, current_user, case, form.priority.data)  # noqa: E731
    return act(case, form, "priority_form", action, N_("Priority saved."))


@bp.post("/desk/cases/<int:case_id>/status")
@permission_required(can_work_cases)
def status(case_id: int):
    case = load_case(case_id)
    form = StatusForm()
    if form.validate_on_submit() and form.status.data == case.status:
        flash(
            _("The status stays “%(status)s”.", status=labels.case_label("status", case.status)),
            "info",
        )
        return redirect(url_for("cases.case", case_id=case.id))
    action = lambda: service.change_status(db.session, current_user, case, form.status.data)  # noqa: E731
    return act(case, form, "status_form", action, N_("Status saved."))


@bp.post("/desk/cases/<int:case_id>/solve")
@permission_required(can_work_cases)
def solve(case_id: int):
    case = load_case(case_id)
    form = SolveForm()

    def solve_it():
        surveys.solve_case(
            db.session,
            current_user,
            case,
            disposition=form.disposition.data or "",
            article_slug=form.article.data or "",
            accept_answer=form.accept_answer.data,
        )

    return act(case, form, "solve_form", solve_it, N_("Solved: the customer got the survey link."))
