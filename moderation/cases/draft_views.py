"""The reply being written on a case page: inserting macros and links, adding notes and
saving the draft, without losing the reply's text.

Each button posts the whole reply form (the note box and the macro picker belong to it).
Without JavaScript the view keeps the reply as a draft on the server and reloads the
page with it; desk.js asks for JSON instead and changes the page in place.
"""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from moderation.cases import drafts, service, timeline
from moderation.cases.forms import NoteForm, ReplyForm
from moderation.cases.views import bp, inserted_text, load_case, render_case
from portal.extensions import db
from portal.forms import EmptyForm, commit_or_show, refused_status
from portal.inputs import parse_id
from portal.permissions import can_work_cases, permission_required


def wants_json() -> bool:
    """desk.js asks for JSON; a plain form post gets a page."""
    return request.accept_mimetypes.best == "application/json"


def case_url(case_id: int, anchor: str) -> str:
    return url_for("cases.case", case_id=case_id) + anchor


def posted_draft() -> str | None:
    """The reply text that came with the post (None when the form had no reply box)."""
    return request.form.get("body")


@bp.post("/desk/cases/<int:case_id>/insert")
@permission_required(can_work_cases)
def insert(case_id: int):
    """Add a macro ("insert=macro", with "macro") or an article's link ("article") to the
    reply: JSON {"text"} for the script, else the draft saved and the page again."""
    case = load_case(case_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    macro_id = (
        parse_id(request.form.get("macro")) if request.form.get("insert") == "macro" else None
    )
    addition = inserted_text(case, macro_id, request.form.get("article", ""))
    if wants_json():
        return jsonify(text=addition)
    drafts.save_draft(db.session, current_user, case, drafts.joined(posted_draft() or "", addition))
    db.session.commit()
    return redirect(case_url(case.id, "#body"))


@bp.post("/desk/cases/<int:case_id>/draft")
@permission_required(can_work_cases)
def save_draft(case_id: int):
    """desk.js saves the reply as it is typed, so leaving the page loses nothing."""
    case = load_case(case_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    drafts.save_draft(db.session, current_user, case, posted_draft() or "")
    db.session.commit()
    return ("", 204) if wants_json() else redirect(case_url(case.id, "#body"))


@bp.post("/desk/cases/<int:case_id>/note")
@permission_required(can_work_cases)
def note(case_id: int):
    """An internal note; the reply being written is kept as a draft in the same step."""
    case = load_case(case_id)
    form, draft, added = NoteForm(), posted_draft(), []

    def add():
        added.append(service.add_note(db.session, current_user, case, form.note.data))
        if draft is not None:
            drafts.save_draft(db.session, current_user, case, draft)

    if form.validate_on_submit() and commit_or_show(form, add):
        if wants_json():
            event = added[0]
            item = render_template(
                "cases/_timeline_item.html",
                event=event,
                lines=timeline.render_lines(db.session, event),
            )
            return jsonify(html=item, message=_("Note added."))
        flash(_("Note added."), "success")
        return redirect(case_url(case.id, "#note-title"))
    if wants_json():
        return jsonify(errors=[*form.note.errors, *form.form_errors]), 422
    # The note comes back with its error (or its preview); the reply keeps its text,
    # unvalidated.
    return render_case(case, refused_status(form), note_form=form, reply_form=ReplyForm())
