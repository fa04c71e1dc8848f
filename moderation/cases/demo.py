"""Demo cases for Brightwave: agents' skills, a VIP, rules, macros, cases in every state.

Rows are built directly (as the community demo does) so that dates can lie in the past
and seeding sends no notifications or e-mail. Idempotent: skills and macros are looked
up by key, and cases are only added while there are none.

Languages, as a French-speaking support team would have them: Chloé's requests are in
French, and so is what the desk writes to her; a thread's case answers in the thread's
language; an agent's internal notes are in the agent's language (Nina's in French once
her preference says so). The macros come in English and in French (separate macros, each
in its language, since the reply goes to the customer whatever language the agent reads
the desk in); the case page offers those in the customer's language first. The system's
timeline lines are codes, shown to each reader in their language (timeline.py).
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
from moderation.cases.sweep import answered_by_others
from moderation.cases.timeline import line
from moderation.cases.triage import Priority
from portal.database import utcnow
from portal.text_language import detect_language

AGENT_SKILLS = {
    "sam": ["internet", "outages", "router", "wi-fi"],
    "nina": ["billing", "account"],
    "theo": ["smart-home", "thermostat", "cameras"],
}
VIP_CUSTOMERS = ["karim"]
# title, language, body: the English ones, then the same in French (as a French team
# writes them, not word for word). Titles are unique.
MACROS = [
    ("Greeting", "en", "Hello {customer_name},\n\nThanks for your patience. I am {agent_name} from Brightwave support and I am looking into this now."),
    ("Line test first", "en", "Hello {customer_name},\n\nCould you run a line test from the Brightwave app (Hub › Diagnostics) and tell us the result? With it we can see whether the fault is on the line or at home.\n\n{agent_name}"),
    ("Waiting for your reply", "en", "Hello {customer_name},\n\nWe have not heard back about case {case_id}. Reply here whenever you are ready; we keep it open for 7 days."),
    ("Refund under way", "en", "Hello {customer_name},\n\nThe refund is approved and reaches your account within 5 working days. Sorry for the trouble.\n\n{agent_name}, Brightwave billing"),
    ("Bonjour", "fr", "Bonjour {customer_name},\n\nMerci pour votre message. Je suis {agent_name} et je m’occupe de votre demande ({subject})."),
    ("Test de ligne d’abord", "fr", "Bonjour {customer_name},\n\nPourriez-vous lancer un test de ligne depuis l’application Brightwave (Box › Diagnostic) et nous donner le résultat\u00a0? Nous saurons ainsi si la panne vient de la ligne ou de chez vous.\n\n{agent_name}"),
    ("En attente de votre réponse", "fr", "Bonjour {customer_name},\n\nNous n’avons pas eu de nouvelles au sujet de la demande n°\u00a0{case_id}. Répondez-nous ici dès que possible\u00a0: nous la gardons ouverte 7\u00a0jours."),
    ("Remboursement en cours", "fr", "Bonjour {customer_name},\n\nLe remboursement est validé\u00a0: vous le recevrez sous 5\u00a0jours ouvrés. Toutes nos excuses pour la gêne occasionnée.\n\n{agent_name}, service facturation Brightwave"),
]  # fmt: skip

# What the desk writes in the demo, per language: the customer's message when the case
# gives none, the agent's first reply, an agent's internal note.
DEMO_TEXTS = {
    "en": {
        "message": "{subject}. Can you help, please?",
        "reply": "Hello {name}, we are on it and will get back to you shortly.",
        "solved": "Hello {name}, this is sorted on our side. If anything is still wrong, just reply here.",
        "note": "Checked the account history: nothing unusual.",
    },
    "fr": {
        "message": "{subject}. Pouvez-vous m’aider, s’il vous plaît\u00a0?",
        "reply": "Bonjour {name}, nous nous en occupons et revenons vers vous très vite.",
        "solved": "Bonjour {name}, c’est réglé de notre côté. Si quelque chose ne va toujours pas, répondez-nous simplement ici.",
        "note": "Historique du compte vérifié\u00a0: rien d’anormal.",
    },
}  # fmt: skip

# subject, language, message (None: DEMO_TEXTS'), customer, status, priority, assignee,
# hours ago, answered, survey (csat, nps, comment; "sent": not answered yet)
CONTACT_CASES = [
    ("Charged twice for October", "en", None, "oliver", "new", "high", None, 3, False, None),
    ("Router delivery never arrived", "en", None, "emma", "open", "normal", "sam", 20, True, None),
    ("Remboursement du mois de septembre", "fr", "J’ai été prélevée deux fois en septembre et je n’ai toujours pas été remboursée. Pouvez-vous vérifier, s’il vous plaît\u00a0?", "chloe", "pending customer", "high", "nina", 30, True, None),
    ("Facture de novembre incompréhensible", "fr", "Ma facture de novembre est plus élevée que d’habitude et je ne comprends pas la ligne «\u00a0Options\u00a0». Pouvez-vous m’expliquer\u00a0?", "chloe", "solved", "normal", "nina", 70, True, "sent"),
    ("Camera recordings gone after update", "en", None, "karim", "solved", "urgent", "theo", 50, True, (5, 10, "Théo fixed it in ten minutes. Great service.")),
    ("Move my contract to my new flat", "en", None, "jordan", "closed", "normal", "nina", 120, True, (4, 8, "Fine, a bit slow.")),
    ("Thermostat offline every night", "en", None, "emma", "solved", "normal", "theo", 90, True, (2, 4, "Took three days to get an answer.")),
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
    for title, language, body in MACROS:
        macro = session.scalar(select(Macro).where(Macro.title == title))
        if macro is None:
            session.add(Macro(title=title, body=body, language=language))
        elif macro.language is None:  # a demo database from before macros had a language
            macro.language = language
    session.flush()
    if session.scalar(select(Case.id).limit(1)) is None:
        seed_contact_cases(session, users)
        seed_thread_cases(session, users)
        session.flush()
        clock.record_overdue_breaches(session, utcnow())


def build_case(session: Session, users: dict, *, subject, customer, channel, status, priority,
               assignee, hours_ago, answered, opened_by, language="en", thread=None,
               body="") -> Case:  # fmt: skip
    """A case with a plausible timeline, dated hours_ago, the desk writing to the customer
    in ``language``; ``opened_by``: the timeline line saying where it came from."""
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
    # kind, actor, body (a person's words), lines (the system's), hours after the opening
    events = [(EventKind.CREATED, None, "", [opened_by], 0)]
    if agent:
        events.append((EventKind.ASSIGNED, None, "", [line("routed", agent=agent.id)], 0.1))
    if answered and agent:
        clock.responded(session, case, opened + timedelta(hours=min(hours_ago / 4, 3)))
        note = DEMO_TEXTS[agent.locale if agent.locale in DEMO_TEXTS else "en"]["note"]
        first_name = users[customer].name.split()[0]
        reply = DEMO_TEXTS[language]["reply"].format(name=first_name)
        events.append((EventKind.NOTE, agent, note, None, 0.5))
        events.append((EventKind.PRIVATE_REPLY, agent, reply, None, min(hours_ago / 4, 3)))
    if status in ("solved", "closed"):
        solved_at = opened + timedelta(hours=hours_ago / 2)
        clock.record_breaches(session, case, solved_at)
        case.solved_at = solved_at
        case.disposition = Disposition.KNOWN_GAP.value
        solved = [line("solved", disposition=Disposition.KNOWN_GAP.value)]
        if agent:
            answer = DEMO_TEXTS[language]["solved"].format(name=users[customer].name.split()[0])
            events.append((EventKind.PRIVATE_REPLY, agent, answer, None, hours_ago / 2 - 0.1))
        events.append((EventKind.SOLVED, agent, "", solved, hours_ago / 2))
    if status == "closed":
        case.closed_at = opened + timedelta(hours=hours_ago * 0.75)
    case.status = status
    if status == CaseStatus.PENDING and clock.pause_while_pending():
        case.resolution_paused_at = case.first_response_at or opened
    for kind, actor, text, lines, hours in events:
        session.add(CaseEvent(case=case, kind=kind.value, actor_id=actor.id if actor else None,
                              body=text, lines=lines,
                              created_at=opened + timedelta(hours=hours)))  # fmt: skip
    return case


def seed_contact_cases(session: Session, users: dict) -> None:
    for (subject, language, message, customer, status, priority, assignee, hours, answered,
         survey) in CONTACT_CASES:  # fmt: skip
        if customer not in users:
            continue
        body = message or DEMO_TEXTS[language]["message"].format(subject=subject)
        case = build_case(session, users, subject=subject, customer=customer,
                          channel=Channel.CONTACT_FORM, status=status, priority=priority,
                          assignee=assignee, hours_ago=hours, answered=answered,
                          opened_by=line("contact_form"), language=language,
                          body=body)  # fmt: skip
        if survey == "sent":
            session.add(Survey(case=case, token=secrets.token_urlsafe(24), sent_at=case.solved_at))
        elif survey:
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
        if session.scalar(select(answered_by_others(thread))):
            opened_by = line("sweep_unsolved", hours=72)
        else:
            opened_by = line("sweep_unanswered", hours=24)
        language = detect_language(f"{thread.title}\n{thread.question.body}")
        build_case(session, users, subject=thread.title, customer=author,
                   channel=Channel.COMMUNITY, status=status, priority="normal",
                   assignee=assignee, hours_ago=hours, answered=status == "open",
                   opened_by=opened_by, language=language, thread=thread)  # fmt: skip
