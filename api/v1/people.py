"""The caller, accounts (admins) and the dashboard's KPIs."""

from flask import abort, g, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from api import pagination, problems, schemas, schemas_staff
from api.auth import needs, permit
from api.v1 import blueprint, dump
from dashboard.metrics import build_dashboard
from dashboard.results import parse_period
from portal import service as portal_service
from portal.database import utcnow
from portal.extensions import db
from portal.models import User
from portal.permissions import Role, can_manage_users, can_view_dashboard, role_of

blp = blueprint("api_people", "Accounts, dashboard")


@blp.get("/me")
@needs("read")
@blp.response(200, schemas_staff.MeSchema)
def me():
    """Who the caller is, with which scopes (a visitor: no username, role null)."""
    signed_in = role_of(current_user) is not None
    return {
        "username": current_user.username if signed_in else "",
        "name": current_user.name if signed_in else "",
        "role": role_of(current_user),
        "scopes": sorted(g.api_scopes),
        "token": g.api_token.kind if g.api_token else None,
    }


def _account(username: str) -> User:
    permit(can_manage_users(current_user))
    user = db.session.scalar(
        select(User).where(User.username == portal_service.normalize_username(username))
    )
    if user is None:
        abort(problems.problem(404, _("No such account.")))
    return user


@blp.get("/users")
@needs("admin")
@blp.arguments(schemas_staff.UserListArgs, location="query")
@blp.response(200, schemas.page_of(schemas_staff.UserSchema))
def list_users(args):
    """Every account, newest first, optionally of one role (admins)."""
    permit(can_manage_users(current_user))
    statement = select(User)
    if args.get("role"):
        statement = statement.where(User.role == args["role"])
    page = pagination.keyset_page(statement, User.id, args, f"users:{args.get('role', '')}")
    return {**page, "items": [dump.user(item) for item in page["items"]]}


@blp.get("/users/<username>")
@needs("admin")
@blp.response(200, schemas_staff.UserSchema)
def read_user(username: str):
    """One account (admins)."""
    return dump.user(_account(username))


@blp.put("/users/<username>/role")
@needs("admin")
@blp.arguments(schemas_staff.RoleWrite)
@blp.response(200, schemas_staff.UserSchema)
def change_role(body, username: str):
    """Give an account another role (admins; never their own)."""
    user = _account(username)
    portal_service.change_role(db.session, current_user, user, Role(body["role"]))
    db.session.commit()
    return dump.user(user)


@blp.get("/dashboard")
@needs("read")
@blp.arguments(schemas_staff.DashboardArgs, location="query")
@blp.response(200, schemas_staff.DashboardSchema)
def dashboard(args):
    """The dashboard's KPIs for a period (7/30/90 days, or from–to) beside the previous."""
    permit(can_view_dashboard(current_user))
    period = parse_period(request.args, utcnow().date())
    built = build_dashboard(period)
    return {
        "start": period.first_day,
        "end": period.last_day,
        "kpis": [
            {
                "key": kpi.key,
                "label": kpi.label,
                "value": kpi.value,
                "previous": kpi.previous,
                "unit": kpi.unit.value,
                "section": kpi.section,
                "higher_is_better": kpi.higher_is_better,
            }
            for kpi in built.kpis
        ],
    }
