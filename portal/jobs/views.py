"""/admin/jobs: the queue's health and the jobs that failed for good (retry or purge)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from portal.extensions import db
from portal.forms import EmptyForm
from portal.inputs import paginate, parse_id
from portal.jobs import JobStatus, service
from portal.permissions import can_manage_jobs, permission_required

bp = Blueprint("jobs", __name__, url_prefix="/admin/jobs")
DEAD_PER_PAGE = 25


@bp.route("/")
@permission_required(can_manage_jobs)
def index():
    dead = paginate(service.jobs_with_status(JobStatus.DEAD), per_page=DEAD_PER_PAGE)
    return render_template(
        "admin/jobs.html", counts=service.counts(db.session), dead=dead, form=EmptyForm()
    )


def _chosen_ids() -> list[int] | None:
    """The job named in the form, or None for "every dead job"."""
    if request.form.get("job_id") in (None, ""):
        return None
    job_id = parse_id(request.form["job_id"])
    if job_id is None:
        abort(400, description=_("That is not a job number."))
    return [job_id]


@bp.route("/retry", methods=["POST"])
@permission_required(can_manage_jobs)
def retry():
    if not EmptyForm().validate_on_submit():
        abort(400)
    retried = service.retry(db.session, _chosen_ids())
    db.session.commit()
    flash(
        ngettext(
            "%(num)d job handed to the queue again.",
            "%(num)d jobs handed to the queue again.",
            retried,
        ),
        "success",
    )
    return redirect(url_for("jobs.index"))


@bp.route("/purge", methods=["POST"])
@permission_required(can_manage_jobs)
def purge():
    if not EmptyForm().validate_on_submit():
        abort(400)
    purged = service.purge(db.session, _chosen_ids())
    db.session.commit()
    flash(ngettext("%(num)d dead job purged.", "%(num)d dead jobs purged.", purged), "success")
    return redirect(url_for("jobs.index"))
