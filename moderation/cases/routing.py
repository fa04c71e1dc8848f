"""Priority and routing for new cases: the admins' rules, the SLA policy, the agents' loads.

The rules themselves live in moderation.cases.triage and moderation.cases.sla (pure functions); this
module only feeds them from the database and the settings.
"""

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderation import audit
from moderation.cases.models import (
    PRIORITIES,
    AgentProfile,
    Case,
    CaseStatus,
    CustomerFlag,
    PriorityRuleRecord,
)
from moderation.cases.sla import DEFAULT_SLA_POLICY
from moderation.cases.triage import DEFAULT_PRIORITY_RULES, AgentLoad, Priority, PriorityRule
from portal.errors import ValidationFailed
from portal.i18n import site_default
from portal.models import Tag, User
from portal.permissions import Role, can_manage_users, require

ACTIVE_STATUSES = (CaseStatus.NEW.value, CaseStatus.OPEN.value, CaseStatus.PENDING.value)


def sla_policy() -> dict:
    """The SLA_POLICY setting (hours per priority), the built-in policy when unset."""
    return current_app.config.get("SLA_POLICY") or DEFAULT_SLA_POLICY


def priority_rules(session: Session) -> tuple[PriorityRule, ...]:
    """The admins' rules, or the defaults while none were saved yet."""
    records = session.scalars(
        select(PriorityRuleRecord).order_by(PriorityRuleRecord.position, PriorityRuleRecord.id)
    ).all()
    if not records:
        return DEFAULT_PRIORITY_RULES
    return tuple(
        PriorityRule(record.keyword_list, Priority[record.priority.upper()], record.name)
        for record in records
    )


def seed_default_rules(session: Session) -> list[PriorityRuleRecord]:
    """Write the built-in rules as editable rows, once (the admin page starts from them).

    Their names in the site's language: a rule is the admins' text from then on, one name
    for everyone, like a watched term (its keywords are in both languages already).
    """
    existing = session.scalars(select(PriorityRuleRecord)).all()
    if existing:
        return list(existing)
    with force_locale(site_default(session)):
        names = [_(rule.name) for rule in DEFAULT_PRIORITY_RULES]
    records = [
        PriorityRuleRecord(
            name=names[position],
            keywords="\n".join(rule.keywords),
            priority=rule.priority.name.lower(),
            position=position,
        )
        for position, rule in enumerate(DEFAULT_PRIORITY_RULES)
    ]
    session.add_all(records)
    session.flush()
    return records


def save_rule(
    session: Session,
    actor: User,
    rule: PriorityRuleRecord | None,
    *,
    name: str,
    keywords: str,
    priority: str,
) -> PriorityRuleRecord:
    """Create or change a priority rule (admins)."""
    require(can_manage_users(actor), _("Only admins change the priority rules."))
    name = " ".join(name.split())
    words = [line.strip() for line in keywords.replace(",", "\n").splitlines() if line.strip()]
    if not name:
        raise ValidationFailed(_("Give the rule a name."), field="name")
    if not words:
        raise ValidationFailed(_("List at least one keyword, one per line."), field="keywords")
    if priority not in PRIORITIES:
        raise ValidationFailed(_("Choose a priority from the list."), field="priority")
    if rule is None:
        seed_default_rules(session)
        position = session.scalar(select(func.count(PriorityRuleRecord.id)))
        rule = PriorityRuleRecord(position=position)
        session.add(rule)
    rule.name, rule.keywords, rule.priority = name, "\n".join(words), priority
    session.flush()
    return rule


def delete_rule(session: Session, actor: User, rule: PriorityRuleRecord) -> None:
    require(can_manage_users(actor), _("Only admins change the priority rules."))
    session.delete(rule)
    session.flush()


def is_vip(session: Session, user: User | None) -> bool:
    """A VIP customer; a visitor without an account (None) never is."""
    if user is None:
        return False
    flag = session.get(CustomerFlag, user.id)
    return bool(flag and flag.vip)


def set_vip(session: Session, actor: User, customer: User, vip: bool) -> None:
    """Mark a customer as VIP (raises their cases to high priority at least); audited."""
    require(can_manage_users(actor), _("Only admins mark VIP customers."))
    flag = session.get(CustomerFlag, customer.id) or CustomerFlag(user_id=customer.id, vip=False)
    if flag.vip == vip:
        return
    flag.vip = vip
    session.add(flag)
    audit.record(
        session,
        actor,
        "customer.vip_set" if vip else "customer.vip_removed",
        target_type="user",
        target_id=customer.id,
        target_label=f"@{customer.username}",
    )
    session.flush()


def agent_profile(session: Session, agent: User) -> AgentProfile:
    """The agent's routing profile, created (available, no skills) on first use."""
    profile = session.get(AgentProfile, agent.id)
    if profile is None:
        profile = AgentProfile(user_id=agent.id, available=True)
        session.add(profile)
        session.flush()
    return profile


def update_profile(
    session: Session, agent: User, *, available: bool, skill_slugs: list[str]
) -> AgentProfile:
    """Agents set their own skills (tags) and availability."""
    require(agent.role in (Role.AGENT, Role.ADMIN), _("Only agents have a routing profile."))
    profile = agent_profile(session, agent)
    profile.available = available
    profile.skills = list(session.scalars(select(Tag).where(Tag.slug.in_(skill_slugs))))
    session.flush()
    return profile


def open_case_counts(session: Session) -> dict[int, int]:
    """Active cases per assignee."""
    rows = session.execute(
        select(Case.assignee_id, func.count(Case.id))
        .where(Case.assignee_id.is_not(None), Case.status.in_(ACTIVE_STATUSES))
        .group_by(Case.assignee_id)
    )
    return dict(rows.all())


def agent_loads(session: Session) -> list[AgentLoad]:
    """What choose_agent needs to know about every agent."""
    counts = open_case_counts(session)
    agents = session.scalars(select(User).where(User.role == Role.AGENT.value)).all()
    profiles = {
        profile.user_id: profile
        for profile in session.scalars(
            select(AgentProfile).where(AgentProfile.user_id.in_([a.id for a in agents]))
        )
    }
    loads = []
    for agent in agents:
        profile = profiles.get(agent.id)
        loads.append(
            AgentLoad(
                agent_id=agent.id,
                skills=frozenset(tag.slug for tag in profile.skills) if profile else frozenset(),
                available=bool(profile and profile.available) and not agent.is_suspended,
                open_cases=counts.get(agent.id, 0),
            )
        )
    return loads
