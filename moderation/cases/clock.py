"""A case's SLA clock: due times, the pause while it waits on the customer, reopenings, and
breaches recorded as facts when they happen.

Two targets per case, hours per priority from the SLA policy (moderation.cases.sla):

* **first response** — due at the opening + its hours; met by the first reply to the
  customer (or the solve); a close stops it. Never paused.
* **resolution** — due at the opening + its hours, and afresh from each reopening; met by
  the solve (or a close). The clock runs while the case waits on support: while it is
  *pending customer* it is paused (``SLA_PAUSE_WHILE_PENDING``, on by default) and the
  due time moves later by the pause when it resumes.

A priority change moves both due times to the new priority's hours from the same starts.

A target is **breached** the first time it is past its due time while its clock runs. The
breach is stored (``SlaBreach``) at the case's next event — a reply, a status change, a
priority change, the solve — or by the periodic job ``cases.sla_breaches`` for cases
where nothing happens, dated at its due time (or at the priority change that moved the due
time into the past), with the priority and hours then in force. It is never removed: a
reopening, a downgrade or a late answer cannot undo it.
"""

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from moderation.cases import routing
from moderation.cases.models import Case, CaseStatus, SlaBreach, SlaTarget
from portal.database import utcnow
from portal.jobs import job

log = logging.getLogger(__name__)
BREACHES_JOB = "cases.sla_breaches"
DONE = (CaseStatus.SOLVED.value, CaseStatus.CLOSED.value)
TARGET_KEYS = {SlaTarget.FIRST_RESPONSE: "first_response", SlaTarget.RESOLUTION: "resolution"}


def target_hours(priority: str, target: SlaTarget, policy: dict | None = None) -> float:
    """The hours the SLA policy gives this priority for this target."""
    policy = policy or routing.sla_policy()
    return float(policy[priority][TARGET_KEYS[target]])


def pause_while_pending() -> bool:
    return bool(current_app.config["SLA_PAUSE_WHILE_PENDING"])


def running_late(case: Case, at: datetime) -> list[tuple[SlaTarget, datetime]]:
    """The targets whose clock runs and whose due time is before ``at``: (target, due)."""
    if case.status in DONE:
        return []
    late = []
    if case.first_response_at is None and at > case.first_response_due:
        late.append((SlaTarget.FIRST_RESPONSE, case.first_response_due))
    if case.resolution_paused_at is None and at > case.resolution_due:
        late.append((SlaTarget.RESOLUTION, case.resolution_due))
    return late


def record_breaches(
    session: Session, case: Case, at: datetime, *, since: datetime | None = None
) -> list[SlaBreach]:
    """Store the breaches the case has at ``at`` that are not stored yet.

    ``since``: the due times were set at that moment (a priority change), so a breach
    cannot have happened before it.
    """
    recorded = {breach.target for breach in case.breaches}
    added = []
    for target, due in running_late(case, at):
        if target.value in recorded:
            continue
        breach = SlaBreach(
            target=target.value,
            priority=case.priority,
            target_hours=target_hours(case.priority, target),
            due_at=due,
            breached_at=max(due, since) if since else due,
            recorded_at=utcnow(),
        )
        # A savepoint: the periodic job may record the same breach at the same moment; the
        # unique key keeps the first, and this transaction carries on.
        try:
            with session.begin_nested():
                case.breaches.append(breach)
                session.flush()
        except IntegrityError:
            session.expire(case, ["breaches"])
            continue
        added.append(breach)
    return added


def responded(session: Session, case: Case, at: datetime) -> None:
    """The first reply to the customer (or the solve): the first-response target is met."""
    if case.first_response_at is None:
        record_breaches(session, case, at)
        case.first_response_at = at


def status_changing(session: Session, case: Case, new: CaseStatus, at: datetime) -> None:
    """Before the case moves from its status to ``new`` at ``at``: record, pause, resume."""
    old = CaseStatus(case.status)
    record_breaches(session, case, at)
    if case.resolution_paused_at is not None:
        case.resolution_due += at - case.resolution_paused_at
        case.resolution_paused_at = None
    if old.value in DONE and new.value not in DONE:
        # A reopened case gets a fresh resolution window from now; a breach of its first
        # life stays recorded. The first response keeps its due time.
        case.reopened_at = at
        case.resolution_due = at + timedelta(
            hours=target_hours(case.priority, SlaTarget.RESOLUTION)
        )
    if new == CaseStatus.PENDING and pause_while_pending():
        case.resolution_paused_at = at


def priority_changing(session: Session, case: Case, priority: str, at: datetime) -> None:
    """The priority becomes ``priority`` at ``at``: both due times follow its hours."""
    record_breaches(session, case, at)
    policy = routing.sla_policy()
    old = case.priority
    case.priority = priority
    case.first_response_due = case.opened_at + timedelta(
        hours=target_hours(priority, SlaTarget.FIRST_RESPONSE, policy)
    )
    # From the same start, pauses included: the difference of the two priorities' hours.
    case.resolution_due += timedelta(
        hours=target_hours(priority, SlaTarget.RESOLUTION, policy)
        - target_hours(old, SlaTarget.RESOLUTION, policy)
    )
    record_breaches(session, case, at, since=at)


def record_overdue_breaches(session: Session, now: datetime) -> list[SlaBreach]:
    """Record the breaches of every case past a due time with nothing happening."""

    def unrecorded(target: SlaTarget):
        return ~exists().where(SlaBreach.case_id == Case.id, SlaBreach.target == target.value)

    late = session.scalars(
        select(Case)
        .where(
            Case.status.not_in(DONE),
            or_(
                and_(
                    Case.first_response_at.is_(None),
                    Case.first_response_due < now,
                    unrecorded(SlaTarget.FIRST_RESPONSE),
                ),
                and_(
                    Case.resolution_paused_at.is_(None),
                    Case.resolution_due < now,
                    unrecorded(SlaTarget.RESOLUTION),
                ),
            ),
        )
        .order_by(Case.id)
    ).all()
    return [breach for case in late for breach in record_breaches(session, case, now)]


@job(BREACHES_JOB)
def breaches_job(session: Session) -> None:
    """The periodic check, in the job's transaction."""
    added = record_overdue_breaches(session, utcnow())
    log.info("SLA: %d breach(es) recorded", len(added))
