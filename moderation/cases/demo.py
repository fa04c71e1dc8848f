"""Demo cases for Brightwave: agents' skills, a VIP, rules, macros, cases in every state.

Rows are built directly (as the community demo does) so that dates can lie in the past
and seeding sends no notifications or e-mail. Idempotent: skills and macros are looked
up by key, and cases are only added while there are none.
"""
# ruff: noqa: E501  (demo texts and table rows read better on one line each)

import secrets
from datetime import timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from community.models import AcceptedSolution, Thread
from moderation.cases import clock, routing
from moderation.cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Channel,
    CustomerFlag,
    Disposition,
    EventKind,
    Macro,
    Survey,
)
from moderation.cases.sla import DEFAULT_SLA_POLICY, due_times
from moderation.cases.triage import Priority
from portal.database import utcnow

AGENT_SKILLS = {
    "sam": ["internet", "outages", "router", "wi-fi"],
    "nina": ["billing", "account"],
    "theo": ["smart-home", "thermostat", "cameras"],
}
VIP_CUSTOMERS = ["karim"]
MACROS = [
    ("Greeting", "Hello {customer_name},\n\nThanks for your patience. I am {agent_name} from Brightwave support and I am looking into this now."),
    ("Line test first", "Hello {customer_name},\n\nCould you run a line test from the Brightwave app (Hub › Diagnostics) and tell us the result? With it we can see whether the fault is on the line or at home.\n\n{agent_name}"),
    ("Waiting for your reply", "Hello {customer_name},\n\nWe have not heard back about case {case_id}. Reply here whenever you are ready; we keep it open for 7 days."),
    ("Refund under way", "Hello {customer_name},\n\nThe refund is approved and reaches your account within 5 working days. Sorry for the trouble.\n\n{agent_name}, Brightwave billing"),
    ("Bonjour", "Bonjour {customer_name},\n\nMerci pour votre message. Je suis {agent_name} et je m'occupe de votre demande ({subject})."),
]  # fmt: skip

# subject/thread, customer, channel, status, priority, assignee, hours ago, answered, survey
CONTACT_CASES = [
    ("Charged twice for October", "oliver", "new", "high", None, 3, False, None),
    ("Router delivery never arrived", "emma", "open", "normal", "sam", 20, True, None),
    ("Remboursement du mois de septembre", "chloe", "pending customer", "high", "nina", 30, True, None),
    ("Camera recordings gone after update", "karim", "solved", "urgent", "theo", 50, True, (5, 10, "Théo fixed it in ten minutes. Great service.")),
    ("Move my contract to my new flat", "jordan", "closed", "normal", "nina", 120, True, (4, 8, "Fine, a bit slow.")),
    ("Thermostat offline every night", "emma", "solved", "normal", "theo", 90, True, (2, 4, "Took three days to get an answer.")),
]  # fmt: skip


def seed_cases(sender, *, session: Session, users: dict, tags: dict, **data) -> None:
    """Skills, VIP, rules and macros always (idempotent); cases once."""
    for username, slugs in AGENT_SKILLS.items():
        if username in users:
            profile = routing.agent_profile(session, users[username])
            if not profile.skills:
                profile.skills = [tags[slug] for slug in slugs if slug in tags]
    for username in VIP_CUSTOMERS:
        if username in users and session.get(CustomerFlag, users[username].id) is None:
            session.add(CustomerFlag(user_id=users[username].id, vip=True))
    routing.seed_default_rules(session)
    for title, body in MACROS:
        if session.scalar(select(Macro).where(Macro.title == title)) is None:
            session.add(Macro(title=title, body=body))
    session.flush()
    if session.scalar(select(Case.id).limit(1)) is None:
        seed_contact_cases(session, users)
        seed_thread_cases(session, users)
        session.flush()
        clock.record_overdue_breaches(session, utcnow())


def build_case(session: Session, users: dict, *, subject, customer, channel, status, priority,
               assignee, hours_ago, answered, thread=None, body="") -> Case:  # fmt: skip
    """A case with a plausible timeline, dated hours_ago."""
    opened = utcnow() - timedelta(hours=hours_ago)
    due = due_times(opened, Priority[priority.upper()], DEFAULT_SLA_POLICY)
    agent = users.get(assignee) if assignee else None
    case = Case(
        subject=subject,
        body=body,
        customer_id=users[customer].id,
        thread_id=thread.id if thread else None,
        channel=channel.value,
        status=CaseStatus.OPEN.value,  # its own status once the SLA clock saw each step
        priority=priority,
        assignee_id=agent.id if agent else None,
        opened_at=opened,
        first_response_due=due.first_response,
        resolution_due=due.resolution,
        tags=list(thread.tags) if thread else [],
    )
    session.add(case)
    events = [(EventKind.CREATED, None, "Demo case", 0)]
    if agent:
        events.append(
            (EventKind.ASSIGNED, None, f"Routed by skills: assigned to {agent.name}", 0.1)
        )
    if answered and agent:
        clock.responded(session, case, opened + timedelta(hours=min(hours_ago / 4, 3)))
        events.append((EventKind.NOTE, agent, "Checked the account history: nothing unusual.", 0.5))
        events.append((EventKind.PRIVATE_REPLY, agent, f"Hello {users[customer].name}, we are on it and will get back to you shortly.", min(hours_ago / 4, 3)))  # fmt: skip
    if status in ("solved", "closed"):
        solved_at = opened + timedelta(hours=hours_ago / 2)
        clock.record_breaches(session, case, solved_at)
        case.solved_at = solved_at
        case.disposition = Disposition.KNOWN_GAP.value
        events.append((EventKind.SOLVED, agent, "Solved: known gap", hours_ago / 2))
    if status == "closed":
        case.closed_at = opened + timedelta(hours=hours_ago * 0.75)
    case.status = status
    if status == CaseStatus.PENDING and clock.pause_while_pending():
        case.resolution_paused_at = case.first_response_at or opened
    for kind, actor, text, hours in events:
        session.add(CaseEvent(case=case, kind=kind.value, actor_id=actor.id if actor else None,
                              body=text, created_at=opened + timedelta(hours=hours)))  # fmt: skip
    return case


def seed_contact_cases(session: Session, users: dict) -> None:
    for subject, customer, status, priority, assignee, hours, answered, survey in CONTACT_CASES:
        if customer not in users:
            continue
        case = build_case(session, users, subject=subject, customer=customer,
                          channel=Channel.CONTACT_FORM, status=status, priority=priority,
                          assignee=assignee, hours_ago=hours, answered=answered,
                          body=f"{subject}. Can you help, please?")  # fmt: skip
        if survey:
            csat, nps, comment = survey
            session.add(Survey(case=case, token=secrets.token_urlsafe(24), csat=csat, nps=nps,
                               comment=comment, sent_at=case.solved_at,
                               answered_at=case.solved_at + timedelta(hours=2)))  # fmt: skip


def seed_thread_cases(session: Session, users: dict) -> None:
    """Two older unsolved threads became cases; the rest wait for the sweep."""
    unsolved = session.scalars(
        select(Thread)
        .where(
            ~exists().where(AcceptedSolution.thread_id == Thread.id),
            Thread.duplicate_of_id.is_(None),
        )
        .order_by(Thread.created_at)
        .limit(2)
    ).all()
    users = {**users}  # community regulars (marta, ben…) are not in the portal's list
    for thread, (status, hours) in zip(unsolved, [("new", 30), ("open", 6)], strict=False):
        author = thread.author.username
        users[author] = thread.author
        slugs = {tag.slug for tag in thread.tags}
        assignee = next(
            (name for name, skills in AGENT_SKILLS.items() if slugs & set(skills)), None
        )
        build_case(session, users, subject=thread.title, customer=author,
                   channel=Channel.COMMUNITY, status=status, priority="normal",
                   assignee=assignee, hours_ago=hours, answered=status == "open",
                   thread=thread)  # fmt: skip
