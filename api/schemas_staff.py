"""What the staff's operations read and write: cases, accounts, the dashboard (schemas.py
has the shared pieces)."""

import marshmallow as ma
from marshmallow import fields, validate

from api.schemas import PageArgs, Text, UserRef, short
from moderation.cases.models import CaseStatus, Disposition

# ---------------------------------------------------------------- cases
STATUSES = [status.value for status in CaseStatus]


class CaseEventSchema(ma.Schema):
    id = fields.Integer()
    kind = fields.String()
    actor = fields.Nested(UserRef, allow_none=True)
    body = fields.String()
    post_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()


class CaseSchema(ma.Schema):
    id = fields.Integer()
    subject = fields.String()
    status = fields.String()
    priority = fields.String()
    channel = fields.String()
    # None for a visitor's request (no account): requester_email says who asked.
    customer = fields.Nested(UserRef, allow_none=True)
    requester_email = fields.String(allow_none=True)
    assignee = fields.Nested(UserRef, allow_none=True)
    thread_id = fields.Integer(allow_none=True)
    tags = fields.List(fields.String())
    opened_at = fields.DateTime()
    first_response_due = fields.DateTime()
    resolution_due = fields.DateTime()
    solved_at = fields.DateTime(allow_none=True)
    disposition = fields.String(allow_none=True)


class CaseDetailSchema(CaseSchema):
    body = fields.String()
    events = fields.List(fields.Nested(CaseEventSchema))


class CaseListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(STATUSES))
    assignee = short(32, metadata={"description": "A username; `me` for your own"})


class CaseReply(ma.Schema):
    body = Text(required=True, validate=validate.Length(max=100_000))
    visibility = fields.String(required=True, validate=validate.OneOf(["public", "private"]))
    then = fields.String(
        load_default="",
        validate=validate.OneOf(["", CaseStatus.OPEN.value, CaseStatus.PENDING.value]),
        metadata={"description": "The status afterwards; empty: pending customer"},
    )


class CaseAssign(ma.Schema):
    assignee = short(32, required=True, allow_none=True, metadata={"description": "null: nobody"})


class CaseStatusWrite(ma.Schema):
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))


class CaseSolve(ma.Schema):
    disposition = fields.String(
        required=True, validate=validate.OneOf([d.value for d in Disposition])
    )
    article_slug = short(200, load_default="")
    accept_answer = fields.Boolean(load_default=False)


# ---------------------------------------------------------------- users, dashboard
class UserSchema(ma.Schema):
    username = fields.String()
    name = fields.String()
    email = fields.String()
    role = fields.String()
    created_at = fields.DateTime()
    last_login_at = fields.DateTime(allow_none=True)
    suspended = fields.Boolean()
    deleted = fields.Boolean()


class UserListArgs(PageArgs):
    role = fields.String(
        validate=validate.OneOf(["customer", "superuser", "moderator", "agent", "admin"])
    )


class RoleWrite(ma.Schema):
    role = fields.String(
        required=True,
        validate=validate.OneOf(["customer", "superuser", "moderator", "agent", "admin"]),
    )


class MeSchema(ma.Schema):
    username = fields.String()
    name = fields.String()
    role = fields.String(allow_none=True)
    scopes = fields.List(fields.String())
    token = fields.String(allow_none=True, metadata={"description": "personal or service"})


class DashboardArgs(ma.Schema):
    days = fields.Integer(validate=validate.OneOf([7, 30, 90]))
    start = short(10, data_key="from", metadata={"description": "YYYY-MM-DD, with `to`"})
    end = short(10, data_key="to", metadata={"description": "YYYY-MM-DD, included"})


class KpiSchema(ma.Schema):
    key = fields.String()
    label = fields.String()
    value = fields.Float(allow_none=True)
    previous = fields.Float(allow_none=True)
    unit = fields.String()
    section = fields.String()
    higher_is_better = fields.Boolean()


class DashboardSchema(ma.Schema):
    start = fields.Date()
    end = fields.Date(metadata={"description": "The last day included"})
    kpis = fields.List(fields.Nested(KpiSchema))
