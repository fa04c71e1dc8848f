"""Dashboard pages: the numbers of a period, their definitions, any table as CSV."""

from flask import Blueprint, Response, abort, render_template, request

from dashboard import display
from dashboard.definitions import definition_groups
from dashboard.export import csv_filename, table_csv
from dashboard.metrics import build_dashboard
from dashboard.results import PRESET_DAYS, Period, parse_period
from portal.database import utcnow
from portal.errors import ValidationFailed
from portal.permissions import can_view_dashboard, permission_required

bp = Blueprint("dashboard", __name__, template_folder="templates", url_prefix="/dashboard")


def _render(period: Period | None = None, error: ValidationFailed | None = None):
    """The dashboard page; with an error, only the period form with the message."""
    preset = None if error else display.chosen_preset(request.args)
    dashboard = build_dashboard(period) if period else None
    return render_template(
        "dashboard/index.html",
        dashboard=dashboard,
        sections=display.sections(dashboard) if dashboard else [],
        period_text=display.describe_period(period) if period else "",
        previous_text=display.describe_period(period.previous()) if period else "",
        period_args=display.period_args(period, preset) if period else {},
        presets=PRESET_DAYS,
        preset=preset,
        typed_from=request.args.get("from", ""),
        typed_to=request.args.get("to", ""),
        error=error,
        today=utcnow().date(),
        date_input_type=display.date_input_type,
    )


def _requested_period() -> Period:
    return parse_period(request.args, utcnow().date())


@bp.route("/")
@permission_required(can_view_dashboard)
def index():
    try:
        period = _requested_period()
    except ValidationFailed as error:
        return _render(error=error), 422
    return _render(period)


@bp.route("/export/<key>.csv")
@permission_required(can_view_dashboard)
def export(key: str):
    """One table of the requested period as CSV, named after the table and its days."""
    try:
        period = _requested_period()
    except ValidationFailed as error:
        return _render(error=error), 422
    table = build_dashboard(period).table(key)
    if table is None:
        abort(404)
    return Response(
        table_csv(table),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{csv_filename(table, period)}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/definitions")
@permission_required(can_view_dashboard)
def definitions():
    """How each number is computed, in plain words; anchors are the KPI and table keys."""
    return render_template("dashboard/definitions.html", groups=definition_groups())
