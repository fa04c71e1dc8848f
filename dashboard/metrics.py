"""The dashboard's numbers, computed from stored records only.

``build_dashboard(period)`` returns every KPI for the period with the same KPI for the
period just before it, and the tables behind the charts. The rules, in one line each
(the modules named below say more):

community (metrics_community: the questions *asked in the period*, as they stand now)
  questions_asked            threads asked, not hidden or deleted
  answered_pct               … with a visible reply by someone other than the asker
  solved_pct                 … with an accepted solution
  community_solved_pct       of those solved, the solution written by a member other than the
                             asker (not an agent/admin)
  agent_solved_pct           of those solved, the solution written by an agent or admin
                             (an agent's public reply on a case is a post by the agent)
  asker_solved_pct           of those solved, the asker's own reply accepted (the three add up)
  median_first_reply_hours   asking → first visible reply by someone else
  median_solution_hours      asking → accepting the solution
cases (metrics_cases)
  escalation_rate_pct        questions asked that have a case / questions asked
  cases_opened               opened in the period (a reopened case once)
  cases_solved               last solve in the period
  median_case_first_response_hours  opening → first response, cases opened in the period
  median_case_resolution_hours      opening → last solve, cases solved in the period
  sla_breached_pct           cases opened in the period with a recorded SLA breach
deflection (metrics_content, search.deflection.deflection_rate)
  deflection_rate_pct, deflected_flows, estimated_savings = deflected × (ASSISTED_CONTACT_COST
  − SELF_SERVICE_COST); contact_rate_shown_pct / contact_rate_holdout_pct with a holdout
satisfaction (metrics_satisfaction: surveys answered in the period)
  csat_satisfied_pct (4–5 of 5), csat_average, nps (% 9–10 − % 0–6)
proactive care (metrics_proactive: surge alerts and known issues, proactive/)
  surge_alerts_raised, median_surge_alert_hours, known_issue_deflected,
  cases_solved_via_known_issue
members (metrics_members: members = every account but agents and admins)
  active_members             members with a published (visible) post, or a vote, in the period
  new_superusers             members made super-user (earned or granted)

A KPI whose denominator is empty is None ("no data"); counts are 0.
"""

from datetime import datetime

from dashboard import (
    metrics_cases,
    metrics_community,
    metrics_content,
    metrics_members,
    metrics_proactive,
    metrics_satisfaction,
)
from dashboard.results import Dashboard, Period
from portal.database import utcnow
from portal.extensions import db


def build_dashboard(period: Period, *, now: datetime | None = None) -> Dashboard:
    """Every KPI and table of the dashboard for ``period`` (and the one before it).

    ``now`` decides which deflection windows are still open; it defaults to the current
    time. SLA breaches are the recorded ones (moderation.cases.clock).
    """
    now = now or utcnow()
    session = db.session
    deflection, notes = metrics_content.deflection_kpis(session, period, now)
    questions = metrics_community.count_questions(session, period)
    kpis = (
        *metrics_community.community_kpis(session, period, questions),
        *metrics_cases.case_kpis(session, period),
        *deflection,
        *metrics_satisfaction.satisfaction_kpis(session, period),
        *metrics_members.member_kpis(session, period),
        *metrics_proactive.proactive_kpis(session, period, now),
    )
    tables = (
        metrics_community.weekly_community(period, questions),
        metrics_community.questions_by_tag(session, period),
        metrics_cases.weekly_cases(session, period),
        metrics_cases.cases_by_agent(session, period),
        metrics_cases.open_cases_by_agent(session),
        metrics_satisfaction.satisfaction_by_channel(session, period),
        metrics_content.kb_most_viewed(session),
        metrics_content.kb_least_helpful(session),
        metrics_content.kb_created_from(session, period),
        metrics_content.content_gaps(session, period),
        metrics_members.top_contributors(session, period),
    )
    return Dashboard(period, period.previous(), _ordered(kpis), tables, tuple(notes))


SECTIONS = ("community", "cases", "deflection", "satisfaction", "kb", "members", "proactive")


def _ordered(kpis) -> tuple:
    """Section by section (escalation rate is computed with the community numbers)."""
    return tuple(sorted(kpis, key=lambda kpi: SECTIONS.index(kpi.section)))
