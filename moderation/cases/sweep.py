"""The escalation sweep: community threads nobody answered (or solved) in time become cases.

Run as the periodic job ``cases.sweep`` (every CASES_SWEEP_INTERVAL_MINUTES, once per
period across every worker) and by `flask cases sweep`. Idempotent: a thread gets one
invitation round and one case, enforced by primary/unique keys, so two sweeps running at
once only ever create one of each.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app
from flask_babel import ngettext
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from community.models import AcceptedSolution, Post, PostStatus, Thread
from community.reputation import solvers_by_tag
from moderation.cases.models import Case, Channel, SuperuserInvite
from moderation.cases.service import open_case
from moderation.cases.timeline import line
from portal import notifications
from portal.database import utcnow
from portal.extensions import db
from portal.i18n import N_
from portal.jobs import job
from portal.permissions import Role

log = logging.getLogger(__name__)
SWEEP_JOB = "cases.sweep"


@dataclass(frozen=True)
class SweepSettings:
    unanswered_hours: float = 24
    unsolved_hours: float = 72
    invite_hours: float = 0  # 0: straight to the agents, no super-user round
    invites_per_thread: int = 3

    @classmethod
    def from_config(cls, config) -> "SweepSettings":
        return cls(
            unanswered_hours=config["ESCALATION_UNANSWERED_HOURS"],
            unsolved_hours=config["ESCALATION_UNSOLVED_HOURS"],
            invite_hours=config["SUPERUSER_INVITE_HOURS"],
            invites_per_thread=config["SUPERUSER_INVITES_PER_THREAD"],
        )


@dataclass
class SweepResult:
    cases: list[int]
    invited: list[int]

    def summary(self) -> str:
        """For the log (in English, like every log line)."""
        return (
            f"{len(self.cases)} case(s) opened, {len(self.invited)} thread(s) sent to super-users"
        )

    def report(self) -> str:
        """For the admin at `flask cases sweep`, in the site's language: two sentences,
        each with its own plural."""
        opened = ngettext(
            "Sweep done: %(num)d case opened.", "Sweep done: %(num)d cases opened.", len(self.cases)
        )
        invited = ngettext(
            "%(num)d thread sent to super-users.",
            "%(num)d threads sent to super-users.",
            len(self.invited),
        )
        return f"{opened} {invited}"


def answered_by_others(thread: Thread):
    """SQL: a visible reply by someone other than the asker exists."""
    return exists().where(
        Post.thread_id == thread.id,
        ~Post.is_question,
        Post.status == PostStatus.VISIBLE.value,
        Post.author_id != thread.author_id,
    )


def overdue_threads(
    session: Session, settings: SweepSettings, now: datetime
) -> list[tuple[Thread, str]]:
    """Open public threads past a window, with the reason ("unanswered" or "unsolved"),
    oldest first."""
    earliest = min(settings.unanswered_hours, settings.unsolved_hours)
    question_visible = exists().where(
        Post.thread_id == Thread.id, Post.is_question, Post.status == PostStatus.VISIBLE.value
    )
    candidates = session.scalars(
        select(Thread)
        .where(
            Thread.created_at <= now - timedelta(hours=earliest),
            Thread.duplicate_of_id.is_(None),
            Thread.locked_at.is_(None),
            question_visible,
            ~exists().where(AcceptedSolution.thread_id == Thread.id),
            ~exists().where(Case.thread_id == Thread.id),
        )
        .order_by(Thread.created_at, Thread.id)
    ).all()
    due = []
    for thread in candidates:
        age = now - thread.created_at
        answered = session.scalar(select(answered_by_others(thread)))
        if not answered and age >= timedelta(hours=settings.unanswered_hours):
            due.append((thread, "unanswered"))
        elif age >= timedelta(hours=settings.unsolved_hours):
            due.append((thread, "unsolved"))
    return due


def top_superusers(session: Session, thread: Thread, limit: int) -> list:
    """The super-users with the most accepted solutions in the thread's tags."""

    slugs = {tag.slug for tag in thread.tags}
    counts: dict[int, list] = {}
    for tag, solvers in solvers_by_tag(session, per_tag=limit * 2):
        if tag.slug in slugs:
            for user, solved in solvers:
                if user.role == Role.SUPERUSER.value and user.id != thread.author_id:
                    counts.setdefault(user.id, [user, 0])[1] += solved
    ranked = sorted(counts.values(), key=lambda pair: (-pair[1], pair[0].username))
    return [user for user, _ in ranked[:limit]]


def invite_superusers(session: Session, thread: Thread, users: list) -> bool:
    """Record the invitation round and notify; False when another sweep did it first."""
    try:
        with session.begin_nested():
            session.add(SuperuserInvite(thread_id=thread.id))
            session.flush()
            for user in users:
                notifications.notify(
                    session,
                    user,
                    kind="superuser_invite",
                    message=N_("Can you help? “%(title)s” is still waiting for an answer"),
                    params={"title": thread.title},
                    link=f"/community/threads/{thread.id}",
                )
    except IntegrityError:
        return False
    return True


def escalate_overdue_threads(
    session: Session, settings: SweepSettings, now: datetime | None = None
) -> SweepResult:
    """One sweep: invite super-users first (if on), then open a case for each overdue thread."""
    now = now or utcnow()
    result = SweepResult(cases=[], invited=[])
    for thread, reason in overdue_threads(session, settings, now):
        hours = {"unanswered": settings.unanswered_hours, "unsolved": settings.unsolved_hours}
        why = line(f"sweep_{reason}", hours=hours[reason])
        if settings.invite_hours > 0:
            invite = session.get(SuperuserInvite, thread.id)
            if invite is None:
                users = top_superusers(session, thread, settings.invites_per_thread)
                if users:
                    if invite_superusers(session, thread, users):
                        result.invited.append(thread.id)
                    continue
            elif invite.invited_at + timedelta(hours=settings.invite_hours) > now:
                continue
            else:
                why = line(
                    f"sweep_{reason}_invited", hours=hours[reason], invited=settings.invite_hours
                )
        case, created = open_case(
            session,
            customer=thread.author,
            subject=thread.title,
            channel=Channel.COMMUNITY,
            thread=thread,
            reason=why,
            now=now,
        )
        if created:
            result.cases.append(case.id)
    session.flush()
    return result


def run_sweep(app: Flask) -> SweepResult:
    """One committed sweep in its own app context (`flask cases sweep`)."""

    with app.app_context():
        try:
            result = escalate_overdue_threads(db.session, SweepSettings.from_config(app.config))
            db.session.commit()
            return result
        except Exception:
            db.session.rollback()
            raise
        finally:
            db.session.remove()


@job(SWEEP_JOB)
def sweep_job(session: Session) -> None:
    """The periodic sweep, in the job's transaction."""
    result = escalate_overdue_threads(session, SweepSettings.from_config(current_app.config))
    log.info("sweep: %s", result.summary())


def current_settings() -> SweepSettings:
    return SweepSettings.from_config(current_app.config)
