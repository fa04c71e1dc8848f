"""The agent desk's cases: list, read, reply publicly or privately, assign, status, solve."""

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from api import pagination, problems, schemas, schemas_staff
from api.auth import needs, permit
from api.v1 import blueprint, dump
from moderation.cases import service, surveys
from moderation.cases.models import Case
from portal.extensions import db
from portal.models import User
from portal.permissions import can_work_cases
from portal.service import normalize_username

blp = blueprint("api_cases", "Cases (agents)")


def load_case(case_id: int) -> Case:
    permit(can_work_cases(current_user))
    case = db.session.get(Case, case_id)
    if case is None:
        abort(problems.problem(404, _("No such case.")))
    return case


def _account(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == normalize_username(username)))
    if user is None or user.is_deleted:
        abort(problems.problem(404, _("No such account.")))
    return user


@blp.get("/cases")
@needs("cases")
@blp.arguments(schemas_staff.CaseListArgs, location="query")
@blp.response(200, schemas.page_of(schemas_staff.CaseSchema))
def list_cases(args):
    """Cases, newest first, optionally in one status or of one assignee (`me`)."""
    permit(can_work_cases(current_user))
    statement = select(Case)
    if args.get("status"):
        statement = statement.where(Case.status == args["status"])
    assignee = args.get("assignee")
    if assignee:
        user = current_user if assignee == "me" else _account(assignee)
        statement = statement.where(Case.assignee_id == user.id)
    kind = f"cases:{args.get('status', '')}:{assignee or ''}"
    page = pagination.keyset_page(statement, Case.id, args, kind)
    return {**page, "items": [dump.case(item) for item in page["items"]]}


@blp.get("/cases/<int:case_id>")
@needs("cases")
@blp.response(200, schemas_staff.CaseDetailSchema)
def read_case(case_id: int):
    """A case and its timeline (internal notes included: agents only)."""
    case = load_case(case_id)
    return {
        **dump.case(case),
        "body": case.body,
        "events": [dump.case_event(event) for event in case.events],
    }


@blp.post("/cases/<int:case_id>/replies")
@needs("cases")
@blp.arguments(schemas_staff.CaseReply)
@blp.response(201, schemas_staff.CaseSchema)
def reply(body, case_id: int):
    """Answer publicly (into the thread, as the agent) or privately (the customer only)."""
    case = load_case(case_id)
    send = service.reply_privately if body["visibility"] == "private" else service.reply_publicly
    send(db.session, current_user, case, body["body"], then=body["then"])
    db.session.commit()
    return dump.case(case)


@blp.put("/cases/<int:case_id>/assignee")
@needs("cases")
@blp.arguments(schemas_staff.CaseAssign)
@blp.response(200, schemas_staff.CaseSchema)
def assign(body, case_id: int):
    """Give the case to an agent (by username), or back to the queue (null)."""
    case = load_case(case_id)
    agent = _account(body["assignee"]) if body["assignee"] else None
    service.reassign_case(db.session, current_user, case, agent)
    db.session.commit()
    return dump.case(case)


@blp.put("/cases/<int:case_id>/status")
@needs("cases")
@blp.arguments(schemas_staff.CaseStatusWrite)
@blp.response(200, schemas_staff.CaseSchema)
def change_status(body, case_id: int):
    """Move the case (new → open → pending → closed, or reopen); solving is /solve."""
    case = load_case(case_id)
    service.change_status(db.session, current_user, case, body["status"])
    db.session.commit()
    return dump.case(case)


@blp.post("/cases/<int:case_id>/solve")
@needs("cases")
@blp.arguments(schemas_staff.CaseSolve)
@blp.response(200, schemas_staff.CaseSchema)
def solve(body, case_id: int):
    """Solve with a disposition; the customer gets the survey, as from the desk."""
    case = load_case(case_id)
    surveys.solve_case(
        db.session,
        current_user,
        case,
        disposition=body["disposition"],
        article_slug=body["article_slug"],
        accept_answer=body["accept_answer"],
    )
    db.session.commit()
    return dump.case(case)
