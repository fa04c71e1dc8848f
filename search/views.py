"""Search page, suggestions JSON, tracked opening, "this solved my problem", content gaps."""

from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import (
    session as browser_session,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal import events
from portal.database import utcnow
from portal.extensions import db
from portal.i18n import current_language
from portal.inputs import page_arg
from portal.permissions import can_manage_users, can_view_search_gaps, permission_required
from portal.public_pages import public_page
from portal.text_language import CONTENT_LANGUAGES
from search import analytics, deflection, documents, querylog, service, similar
from search.encoding import semantic_problem
from search.models import FlowStep

bp = Blueprint(
    "search", __name__, template_folder="templates", static_folder="static", url_prefix="/search"
)
SHOWN_KEY = "search_last_shown"


def _user_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


def similar_for_template(doc_key: str) -> list[dict]:
    """For _similar_box.html: the stored neighbours a visitor may open (search/similar.py)."""
    parsed = documents.split_key(doc_key)
    if parsed is None or parsed[0] != "thread":
        return []
    return similar.shown(db.session, parsed[1])


@bp.route("")
@public_page
def search():
    args = request.args
    filters, notes = service.clean_filters(
        db.session, args.get("kind"), args.get("tag"), args.get("solved"), args.get("language")
    )
    page = page_arg()
    closest = request.args.get("closest") == "1"  # the closest matches, though uncertain
    results = service.search(
        db.session, current_user, request.args.get("q"), filters, page, closest=closest
    )
    if results.query and results.page == 1:
        log_id = querylog.log_search(results.query, results.total, deflection.flow_id(), _user_id())
    else:  # the next pages' links carry the first page's search
        log_id = request.args.get("log") if querylog.searched_at(request.args.get("log")) else None
    return render_template(
        "search/search.html",
        results=results,
        filters=filters,
        closest=closest,
        notes=notes,
        log_id=log_id,
        tags=service.all_tags(db.session),
        language_labels={code: service.language_label(code) for code in CONTENT_LANGUAGES},
        reader_language=current_language(),
        model_problem=semantic_problem() if can_manage_users(current_user) else None,
    )


@bp.route("/suggest")
def suggest():
    """Top answers for a question being typed, as JSON; holdout sessions get none."""
    text = request.args.get("q", "")
    found = service.suggest(db.session, current_user, text)
    holdout = deflection.current_in_holdout()
    signature = ",".join(result.key for result in found)
    if found and browser_session.get(SHOWN_KEY) != signature:
        # One record per distinct set shown, not per keystroke.
        step = FlowStep.WITHHELD if holdout else FlowStep.SHOWN
        query = analytics.normalize_query(text)
        if deflection.start_flow(db.session, step, query) is not None:
            browser_session[SHOWN_KEY] = signature
            db.session.commit()
    suggestions = [] if holdout else found
    count = len(suggestions)
    # Notices above the answers (a known issue the text is about): packages above search
    # fill them in; each is {"title", "text", "url"}, in the page's language.
    notices: list[dict] = []
    if not holdout:  # the holdout measures answers shown against none: it gets neither
        events.publish("search.notices_collecting", session=db.session, text=text, notices=notices)
    # Nothing certain (or nothing at all) for a question long enough to search: say so,
    # rather than an empty box that looks broken or a list of unrelated answers.
    nothing_certain = not found and not notices and len(service.clean_query(text)) >= 3
    note = _("Nothing certain yet: describe your problem in a few more words.")
    return jsonify(
        holdout=holdout,
        notices=notices,
        note=note if nothing_certain else "",
        # What a screen reader hears as the list changes (suggest.js writes it as it is).
        status=ngettext(
            "%(num)d suggested answer below.", "%(num)d suggested answers below.", count
        )
        if count
        else "",
        suggestions=[
            {
                "title": result.title,
                "kind": result.kind,
                "label": result.label,
                "solved": result.solved,
                # The badge as shown, in the page's language.
                "badge": _("%(kind)s · Solved", kind=result.label)
                if result.solved
                else result.label,
                "url": url_for("search.open_result", key=result.key, via="suggestion"),
            }
            for result in suggestions
        ],
    )


@bp.route("/open/<key>")
def open_result(key: str):
    """Record that a result or suggestion was opened, then go to it."""
    if key not in documents.visible_keys(db.session, current_user, [key]):
        abort(404)
    target = documents.load_documents(db.session, [key]).get(key)
    if target is None:
        abort(404)
    searched_at = querylog.searched_at(request.args.get("log"))
    if searched_at:  # first: it writes this worker's waiting searches before the click
        querylog.record_click(db.session, searched_at, deflection.flow_id(), key)
    if request.args.get("via") == "suggestion":
        deflection.record_once(db.session, FlowStep.OPENED, key)
    db.session.commit()
    return redirect(target.url)


@bp.route("/solved", methods=["POST"])
def solved():
    """The reader says the opened article or thread solved their problem."""
    key = request.form.get("key", "")
    target = documents.load_documents(db.session, [key]).get(key)
    if target is None or key not in documents.visible_keys(db.session, current_user, [key]):
        abort(404)
    deflection.record_once(db.session, FlowStep.SOLVED, key)  # a repeat is thanked, not counted
    db.session.commit()
    flash(_("Thanks — glad it helped! We will keep this answer easy to find."), "success")
    return redirect(target.url)


@bp.route("/gaps")
@permission_required(can_view_search_gaps)
def gaps():
    """What people search for and do not find: content agents should write."""
    config = current_app.config
    days = int(config["SEARCH_GAPS_DAYS"])
    zero, unclicked = analytics.content_gaps(db.session, days)
    now = utcnow()
    report = deflection.deflection_rate(
        db.session, now - timedelta(days=days), now, float(config["DEFLECTION_WINDOW_HOURS"])
    )
    return render_template(
        "search/gaps.html",
        zero=zero,
        unclicked=unclicked,
        days=days,
        report=report,
        model_problem=semantic_problem() if can_manage_users(current_user) else None,
    )
