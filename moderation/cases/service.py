"""Case rules: open (one per thread), route, reply publicly or privately, note, assign,
change priority and status, solve with a disposition.

Every function flushes and never commits; the caller (a view, the sweep) commits once.
What the system writes into a timeline is stored as codes (moderation.cases.timeline) and
notifications as catalog messages, so each reader gets them in their own language.
"""

from datetime import datetime

from flask_babel import force_locale, format_decimal
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from community import service as community_service
from community.models import Post, Thread
from moderation.cases import clock, guest_mail, routing
from moderation.cases.labels import case_label
from moderation.cases.models import (
    SUBJECT_MAX,
    Case,
    CaseEvent,
    CaseStatus,
    Channel,
    EventKind,
    SlaTarget,
)
from moderation.cases.queries import sla_view
from moderation.cases.sla import due_times
from moderation.cases.timeline import line
from moderation.cases.triage import Priority, assess_priority, choose_agent
from portal import events, notifications
from portal.database import utcnow
from portal.errors import NotFound, ValidationFailed
from portal.i18n import N_, locale_of
from portal.localtime import format_time
from portal.models import Tag, User
from portal.permissions import Role, can_post, can_work_cases, require

BODY_MAX = 20_000
# Which status an agent may move a case to from each status; "solved" goes through solve_case.
TRANSITIONS = {
    CaseStatus.NEW: {CaseStatus.OPEN, CaseStatus.PENDING, CaseStatus.CLOSED},
    CaseStatus.OPEN: {CaseStatus.PENDING, CaseStatus.CLOSED},
    CaseStatus.PENDING: {CaseStatus.OPEN, CaseStatus.CLOSED},
    CaseStatus.SOLVED: {CaseStatus.OPEN, CaseStatus.CLOSED},
    CaseStatus.CLOSED: {CaseStatus.OPEN},
}


def case_link(case: Case, *, staff: bool) -> str:
    return f"/desk/cases/{case.id}" if staff else f"/support/cases/{case.id}"


def add_event(
    session: Session,
    case: Case,
    kind: EventKind,
    actor: User | None,
    body: str = "",
    at: datetime | None = None,
    lines: list | None = None,
) -> CaseEvent:
    """Append one event to the case's timeline (at ``at``, now by default): ``body`` as a
    person wrote it, ``lines`` the system's own (``timeline.line(...)``)."""
    event = CaseEvent(
        case=case,
        kind=kind.value,
        actor_id=actor.id if actor else None,
        body=body,
        lines=lines or None,
        created_at=at or utcnow(),
    )
    session.add(event)
    return event


# What is empty or too long, as whole sentences (word order differs between languages).
EMPTY = {
    "reply": N_("Write the reply first."),
    "note": N_("Write the note first."),
    "message": N_("Write your message first."),
}
TOO_LONG = {
    "reply": N_("Keep the reply under %(max)s characters."),
    "note": N_("Keep the note under %(max)s characters."),
    "message": N_("Keep your message under %(max)s characters."),
}


def clean_body(body: str, what: str = "reply", field: str = "body") -> str:
    """The text without its outer blanks; refused empty or over BODY_MAX characters.

    ``what``: "reply", "note" or "message", for the error's wording.
    """
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ValidationFailed(_(EMPTY[what]), field=field)
    if len(body) > BODY_MAX:
        raise ValidationFailed(_(TOO_LONG[what], max=format_decimal(BODY_MAX)), field=field)
    return body


def case_for_thread(session: Session, thread_id: int) -> Case | None:
    return session.scalar(select(Case).where(Case.thread_id == thread_id))


def open_case(
    session: Session,
    *,
    customer: User | None,
    subject: str,
    channel: Channel,
    actor: User | None = None,
    thread: Thread | None = None,
    post: Post | None = None,
    body: str = "",
    tags: list[Tag] | None = None,
    reason: list | None = None,
    note: str = "",
    now: datetime | None = None,
    requester: dict | None = None,
) -> tuple[Case, bool]:
    """The thread's case, or a new one assessed, timed and routed; (case, created).

    ``reason``: where it came from, a timeline line (``timeline.line(...)``); ``note``:
    what the person who opened it wrote about it (a moderator's reason). A visitor's
    request has no ``customer`` but a ``requester`` (requester_email, requester_name,
    requester_locale: moderation.cases.guests).
    """
    if thread is not None:
        existing = case_for_thread(session, thread.id)
        if existing is not None:
            return existing, False
    now = now or utcnow()
    text = " ".join(filter(None, [subject, body, thread.question.body if thread else ""]))
    assessment = assess_priority(
        text,
        customer_is_vip=routing.is_vip(session, customer),
        rules=routing.priority_rules(session),
    )
    due = due_times(now, assessment.priority, routing.sla_policy())
    case = Case(
        subject=subject[:SUBJECT_MAX],
        body=body,
        customer_id=customer.id if customer else None,
        **(requester or {}),
        thread_id=thread.id if thread else None,
        post_id=post.id if post else None,
        channel=channel.value,
        priority=assessment.priority.name.lower(),
        opened_at=now,
        first_response_due=due.first_response,
        resolution_due=due.resolution,
        tags=list(tags if tags is not None else (thread.tags if thread else [])),
    )
    # A savepoint: when another sweep or click won the race for this thread, the unique
    # constraint says so and the outer transaction carries on with the winner's case.
    try:
        with session.begin_nested():
            session.add(case)
            session.flush()
    except IntegrityError:
        if thread is None:
            raise
        return case_for_thread(session, thread.id), False
    priority = assessment.priority.name.lower()
    lines = [reason] if reason else []
    lines += [line(code, priority=priority, **params) for code, params in assessment.reasons]
    add_event(session, case, EventKind.CREATED, actor, note, now, lines)
    agent = route_case(session, case)
    session.flush()
    events.publish("cases.case_opened", case=case, actor=actor)
    if agent is not None:  # announced after the opening it belongs to
        events.publish("cases.case_assigned", case=case, agent=agent, actor=None)
    return case, True


def route_case(session: Session, case: Case) -> User | None:
    """Give the case to an available agent with a matching skill, or leave it unassigned."""
    agent_id = choose_agent({tag.slug for tag in case.tags}, routing.agent_loads(session))
    if agent_id is None:
        return None
    agent = session.get(User, agent_id)
    _assign(session, case, agent, None, line("routed", agent=agent.id))
    return agent


ASSIGNED_MESSAGES = {
    SlaTarget.FIRST_RESPONSE: N_(
        "Case #%(id)s is yours, first response due %(due)s: “%(subject)s”"
    ),
    SlaTarget.RESOLUTION: N_("Case #%(id)s is yours, resolution due %(due)s: “%(subject)s”"),
}


def _assign(session: Session, case: Case, agent: User, actor: User | None, why: list) -> None:
    case.assignee_id = agent.id
    add_event(session, case, EventKind.ASSIGNED, actor, lines=[why])
    # The due time first, in the agent's zone and language: it survives the e-mail
    # subject's cut.
    sla = sla_view(case, utcnow())
    with force_locale(locale_of(agent)):
        due = format_time(sla.due, agent.time_zone)
    notifications.notify(
        session,
        agent,
        kind="case_assigned",
        message=ASSIGNED_MESSAGES[sla.target],
        params={"id": case.id, "due": due, "subject": case.subject},
        link=case_link(case, staff=True),
        actor=actor,
    )


def take_case(session: Session, agent: User, case: Case, *, now: datetime | None = None) -> None:
    """The agent takes the case for themselves."""
    require(can_work_cases(agent), _("Only agents work cases."))
    now = now or utcnow()
    if case.assignee_id != agent.id:
        case.assignee_id = agent.id
        taken = line("taken", agent=agent.id)
        add_event(session, case, EventKind.ASSIGNED, agent, at=now, lines=[taken])
        events.publish("cases.case_assigned", case=case, agent=agent, actor=agent)
    if case.status == CaseStatus.NEW:
        _set_status(session, case, CaseStatus.OPEN, agent, now)
    session.flush()


def reassign_case(session: Session, actor: User, case: Case, agent: User | None) -> None:
    """Hand the case to another agent, or back to the unassigned queue."""
    require(can_work_cases(actor), _("Only agents work cases."))
    if agent is None:
        case.assignee_id = None
        add_event(session, case, EventKind.ASSIGNED, actor, lines=[line("unassigned")])
    else:
        if agent.role not in (Role.AGENT, Role.ADMIN):
            raise ValidationFailed(_("Choose an agent."), field="assignee")
        _assign(session, case, agent, actor, line("reassigned", actor=actor.id, agent=agent.id))
        events.publish("cases.case_assigned", case=case, agent=agent, actor=actor)
    session.flush()


def set_priority(
    session: Session, actor: User, case: Case, priority: str, *, now: datetime | None = None
) -> None:
    """Change the priority; the due times follow the SLA policy from the windows' starts.

    A breach already incurred stays recorded (moderation.cases.clock).
    """
    require(can_work_cases(actor), _("Only agents work cases."))
    try:
        Priority[priority.upper()]
    except KeyError:
        raise ValidationFailed(_("Choose a priority from the list."), field="priority") from None
    if case.priority == priority:
        return
    now = now or utcnow()
    clock.priority_changing(session, case, priority, now)
    set_to = line("priority_set", priority=priority)
    add_event(session, case, EventKind.PRIORITY, actor, at=now, lines=[set_to])
    session.flush()


def _set_status(
    session: Session, case: Case, status: CaseStatus, actor: User | None, now: datetime
) -> None:
    old = case.status
    # The clock first: it records what was late under the old status, pauses, resumes.
    clock.status_changing(session, case, status, now)
    case.status = status.value
    # Reopened with no answer yet, its first response is late from this moment.
    clock.record_breaches(session, case, now, since=now)
    if status == CaseStatus.CLOSED:
        case.closed_at = now
    if case.is_active and old in (CaseStatus.SOLVED, CaseStatus.CLOSED):
        # Active again (reopened, or an agent's reply left it pending): no longer solved.
        case.solved_at = case.closed_at = None
        add_event(session, case, EventKind.STATUS, actor, at=now, lines=[line("reopened")])
        if status != CaseStatus.OPEN:
            moved = line("status", old=CaseStatus.OPEN.value, new=status.value)
            add_event(session, case, EventKind.STATUS, actor, at=now, lines=[moved])
    else:
        moved = line("status", old=old, new=status.value)
        add_event(session, case, EventKind.STATUS, actor, at=now, lines=[moved])


def change_status(
    session: Session, actor: User, case: Case, status: str, *, now: datetime | None = None
) -> None:
    """Move the case along new → open → pending customer → closed, or reopen it."""
    require(can_work_cases(actor), _("Only agents work cases."))
    try:
        target = CaseStatus(status)
    except ValueError:
        raise ValidationFailed(_("Choose a status from the list."), field="status") from None
    if target == CaseStatus.SOLVED:
        raise ValidationFailed(_("Use “Solve” to solve a case: it asks for a disposition."))
    if target not in TRANSITIONS[CaseStatus(case.status)]:
        raise ValidationFailed(
            _(
                "A case in status “%(old)s” cannot move to “%(new)s”.",
                old=case_label("status", case.status),
                new=case_label("status", target),
            ),
            field="status",
        )
    _set_status(session, case, target, actor, now or utcnow())
    session.flush()


def _responded(session: Session, agent: User, case: Case, then: str, now: datetime) -> None:
    clock.responded(session, case, now)
    if case.assignee_id is None:
        case.assignee_id = agent.id
    target = CaseStatus(then) if then else CaseStatus.PENDING
    if target != CaseStatus(case.status) and target in (CaseStatus.OPEN, CaseStatus.PENDING):
        _set_status(session, case, target, agent, now)


def reply_publicly(
    session: Session,
    agent: User,
    case: Case,
    body: str,
    *,
    then: str = "",
    now: datetime | None = None,
) -> Post:
    """Post the answer into the linked thread as the agent (an official staff answer)."""

    require(can_work_cases(agent), _("Only agents work cases."))
    body = clean_body(body)
    if case.thread is None:
        raise ValidationFailed(
            _("This case has no community thread: reply privately."), field="body"
        )
    now = now or utcnow()
    post = community_service.reply(session, agent, case.thread, body=body)
    event = add_event(session, case, EventKind.PUBLIC_REPLY, agent, body, now)
    event.post_id = post.id
    _responded(session, agent, case, then, now)
    # The community already tells the thread's asker about a reply; someone else's
    # escalated post (a moderator's case) needs its own notice.
    if case.customer_id != case.thread.author_id:
        notifications.notify(
            session,
            case.customer,
            kind="case_reply",
            message=N_("Support answered about “%(subject)s”"),
            params={"subject": case.subject},
            link=f"/community/threads/{case.thread_id}#post-{post.id}",
            actor=agent,
            body=body,
            reply_target=f"thread:{case.thread_id}",
        )
    session.flush()
    return post


def reply_privately(
    session: Session,
    agent: User,
    case: Case,
    body: str,
    *,
    then: str = "",
    now: datetime | None = None,
) -> CaseEvent:
    """A message only the customer sees, on their own case page."""
    require(can_work_cases(agent), _("Only agents work cases."))
    now = now or utcnow()
    text = clean_body(body)
    event = add_event(session, case, EventKind.PRIVATE_REPLY, agent, text, now)
    _responded(session, agent, case, then, now)
    if case.customer is None:  # a visitor: the reply itself goes to their address
        guest_mail.send_reply(session, case, agent.name, text)
    else:
        notifications.notify(
            session,
            case.customer,
            kind="case_reply",
            message=N_("Support replied to your request “%(subject)s”"),
            params={"subject": case.subject},
            link=case_link(case, staff=False),
            actor=agent,
            body=text,
            reply_target=f"case:{case.id}",
        )
    session.flush()
    return event


def add_note(session: Session, agent: User, case: Case, body: str) -> CaseEvent:
    """An internal note: staff only, never shown to the customer."""
    require(can_work_cases(agent), _("Only agents work cases."))
    event = add_event(session, case, EventKind.NOTE, agent, clean_body(body, "note", "note"))
    session.flush()
    return event


def customer_message(
    session: Session, customer: User, case: Case, body: str, *, now: datetime | None = None
) -> CaseEvent:
    """The customer answers on their case page; a case waiting for them opens again, and so
    does a solved one (the customer says it is not solved after all). A closed case is
    final: they open a new request."""
    require(case.customer_id == customer.id and can_post(customer), _("This is not your case."))
    if case.status == CaseStatus.CLOSED:
        raise ValidationFailed(
            _("This request is closed. Open a new one if you still need help."), field="body"
        )
    now = now or utcnow()
    text = clean_body(body, "message")
    event = add_event(session, case, EventKind.CUSTOMER_MESSAGE, customer, text, now)
    if case.status in (CaseStatus.PENDING, CaseStatus.SOLVED):
        _set_status(session, case, CaseStatus.OPEN, customer, now)
    if case.assignee is not None:
        notifications.notify(
            session,
            case.assignee,
            kind="case_customer_message",
            message=N_("%(customer)s answered on case #%(id)s"),
            params={"customer": customer.name, "id": case.id},
            link=case_link(case, staff=True),
            actor=customer,
            body=text,
        )
    session.flush()
    return event


def get_case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(_("No such case."))
    return case
