"""Every dashboard KPI recomputed in plain Python from a generated history, written from
the definitions page (dashboard/definitions.py) and not from the dashboard's code.

The history (tests/dashboard/histories.py) is what happened, in the order it happened:
threads with their replies and solution changes, cases with their actions, deflection
sessions, votes and role changes. Nothing here reads the database.
"""

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta

AGENTS = ("agent", "admin")
ACTIVE = ("new", "open", "pending customer")
POLICY = {  # the default SLA policy, hours: (first response, resolution)
    "low": (72, 168), "normal": (24, 72), "high": (4, 24), "urgent": (1, 8),
}  # fmt: skip


@dataclass
class Reply:
    author: str
    at: datetime
    status: str


@dataclass
class CaseHistory:
    customer: str
    opened_at: datetime
    priority: str
    ops: list[tuple]  # (kind, at, *args), in time order
    thread: "ThreadHistory | None" = None


@dataclass
class ThreadHistory:
    asker: str
    asked_at: datetime
    status: str
    tags: list[str]
    replies: list[Reply]
    solution_changes: list[tuple]  # ("accept", reply index, at) | ("withdraw", at)
    case: CaseHistory | None = None

    @property
    def solution(self) -> tuple[int, datetime] | None:
        """The accepted reply and when, after every change (a withdrawal leaves none)."""
        current = None
        for change in self.solution_changes:
            current = (change[1], change[2]) if change[0] == "accept" else None
        return current


@dataclass
class History:
    roles: dict[str, str]
    threads: list[ThreadHistory] = field(default_factory=list)
    cases: list[CaseHistory] = field(default_factory=list)
    sessions: list[tuple[str, bool, list[tuple[str, datetime]]]] = field(default_factory=list)
    votes: list[tuple[str, int, int | None, datetime]] = field(default_factory=list)
    role_changes: list[tuple[str, str, str, datetime]] = field(default_factory=list)


def percent(part, whole):
    return 100.0 * part / whole if whole else None


def median(values):
    return statistics.median(values) if values else None


def hours(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 3600


def monday(moment: datetime):
    day = moment.date()
    return day - timedelta(days=day.weekday())


# --- cases: replay each case's actions by the definitions --------------------------------


@dataclass
class CaseOutcome:
    breached: bool = False
    first_response: datetime | None = None
    solved_at: datetime | None = None
    solver: str | None = None
    assignee: str | None = None
    status: str = "new"
    survey_answered: tuple | None = None  # (at, csat, nps)


def replay_case(case: CaseHistory, now: datetime, pause: bool) -> CaseOutcome:
    """What the case's history means: the SLA clocks, solves, its status now."""
    out = CaseOutcome()
    priority, consumed = case.priority, timedelta(0)
    last = case.opened_at

    def running_resolution():
        return out.status in ("new", "open") or (out.status == "pending customer" and not pause)

    def late(at):
        nonlocal consumed
        first_due = case.opened_at + timedelta(hours=POLICY[priority][0])
        if out.status in ACTIVE and out.first_response is None and at > first_due:
            out.breached = True
        spent = consumed + (at - last if running_resolution() else timedelta(0))
        if running_resolution() and spent > timedelta(hours=POLICY[priority][1]):
            out.breached = True

    def advance(at):
        nonlocal consumed, last
        if running_resolution():
            consumed += at - last
        last = at

    def set_status(status, at):
        nonlocal consumed
        if out.status in ("solved", "closed") and status in ACTIVE:
            consumed, out.solved_at, out.solver = timedelta(0), None, None  # active again
        out.status = status

    for kind, at, *args in case.ops:
        late(at)  # what was late before the action
        advance(at)
        if kind == "reply":
            agent, then = args
            out.first_response = out.first_response or at
            out.assignee = out.assignee or agent
            target = then or "pending customer"
            if target != out.status:
                set_status(target, at)
        elif kind == "message" and out.status == "pending customer":
            set_status("open", at)
        elif kind == "status":
            set_status(args[0], at)
        elif kind == "priority":
            priority = args[0]
        elif kind == "solve":
            out.first_response = out.first_response or at
            set_status("solved", at)
            out.solved_at, out.solver = at, args[0]
        elif kind == "survey":
            out.survey_answered = (at, *args)
        late(at)  # a due time the action put in the past is late from now on
    late(now)
    return out


# --- the KPIs ----------------------------------------------------------------------------


def community_numbers(history: History, period, cases: dict) -> dict:
    """Per period (1 = the period, 0 = the one before): the community and escalation KPIs."""
    result = {}
    for current, (start, end) in ((1, period), (0, previous(period))):
        asked = [
            t
            for t in history.threads
            if start <= t.asked_at < end and t.status not in ("hidden", "deleted")
        ]
        first_replies, solution_hours, solvers = [], [], []
        for thread in asked:
            others = [
                r.at for r in thread.replies if r.status == "visible" and r.author != thread.asker
            ]
            if others:
                first_replies.append(hours(thread.asked_at, min(others)))
            if thread.solution:
                index, accepted_at = thread.solution
                solution_hours.append(hours(thread.asked_at, accepted_at))
                solvers.append(solved_by(history, thread))
        solved = len(solvers)
        result[current] = {
            "questions_asked": len(asked),
            "answered_pct": percent(len(first_replies), len(asked)),
            "solved_pct": percent(solved, len(asked)),
            "community_solved_pct": percent(solvers.count("community"), solved),
            "agent_solved_pct": percent(solvers.count("agent"), solved),
            "asker_solved_pct": percent(solvers.count("asker"), solved),
            "median_first_reply_hours": median(first_replies),
            "median_solution_hours": median(solution_hours),
            "escalation_rate_pct": percent(sum(t.case is not None for t in asked), len(asked)),
        }
    return result


def solved_by(history: History, thread: ThreadHistory) -> str:
    author = thread.replies[thread.solution[0]].author
    if author == thread.asker:
        return "asker"
    return "agent" if history.roles[author] in AGENTS else "community"


def previous(period):
    start, end = period
    return start - (end - start), start


def case_numbers(history: History, period, outcomes: dict) -> dict:
    result = {}
    for current, (start, end) in ((1, period), (0, previous(period))):
        opened = [c for c in history.cases if start <= c.opened_at < end]
        solved = [c for c in history.cases if outcomes[id(c)].solved_at and
                  start <= outcomes[id(c)].solved_at < end]  # fmt: skip
        responses = [hours(c.opened_at, outcomes[id(c)].first_response) for c in opened
                     if outcomes[id(c)].first_response]  # fmt: skip
        breached = sum(outcomes[id(c)].breached for c in opened)
        result[current] = {
            "cases_opened": len(opened),
            "cases_solved": len(solved),
            "median_case_first_response_hours": median(responses),
            "median_case_resolution_hours": median(
                [hours(c.opened_at, outcomes[id(c)].solved_at) for c in solved]
            ),
            "sla_breached_pct": percent(breached, len(opened)),
        }
    return result


def deflection_numbers(history: History, period, now: datetime, window: timedelta) -> dict:
    result = {}
    for current, (start, end) in ((1, period), (0, previous(period))):
        counts = {"flows": 0, "deflected": 0, "decided": 0, "contacted": 0, "holdout": 0,
                  "holdout_contacted": 0}  # fmt: skip
        for _, holdout, steps in history.sessions:
            starts = [at for step, at in steps if step in ("shown", "withheld")]
            if not starts or not start <= min(starts) < end:
                continue  # no flow, or a flow of another period
            first = min(starts)
            after = [(step, at) for step, at in steps if at >= first]
            contacted = any(step in ("question", "request") for step, _ in after)
            if holdout:
                counts["holdout"] += 1
                counts["holdout_contacted"] += contacted
                continue
            counts["flows"] += 1
            counts["contacted"] += contacted
            opens = [at for step, at in after if step == "opened"]
            if any(step == "solved" for step, _ in after):
                counts["decided"] += 1
                counts["deflected"] += 1
            elif not opens:
                counts["decided"] += 1
            else:
                deadline = max(opens) + window
                asked = any(step in ("question", "request") and min(opens) <= at <= deadline
                            for step, at in after)  # fmt: skip
                if asked:
                    counts["decided"] += 1
                elif now >= deadline:
                    counts["decided"] += 1
                    counts["deflected"] += 1
        result[current] = counts
    return result


def satisfaction_numbers(history: History, period, outcomes: dict) -> dict:
    result = {}
    for current, (start, end) in ((1, period), (0, previous(period))):
        answers = [outcomes[id(c)].survey_answered for c in history.cases]
        scores = [(csat, nps) for a in answers if a for at, csat, nps in [a] if start <= at < end]
        csats, npss = [c for c, _ in scores], [n for _, n in scores]
        result[current] = {
            "csat_satisfied_pct": percent(sum(c >= 4 for c in csats), len(csats)),
            "csat_average": sum(csats) / len(csats) if csats else None,
            "nps": percent(sum(n >= 9 for n in npss) - sum(n <= 6 for n in npss), len(npss)),
        }
    return result


def member_numbers(history: History, period) -> dict:
    result = {}
    members = {name for name, role in history.roles.items() if role not in AGENTS}
    for current, (start, end) in ((1, period), (0, previous(period))):
        active = set()
        for thread in history.threads:
            posts = [(thread.asker, thread.asked_at, thread.status)]
            posts += [(r.author, r.at, r.status) for r in thread.replies]
            active |= {a for a, at, status in posts if status == "visible" and start <= at < end}
        active |= {voter for voter, _, _, at in history.votes if start <= at < end}
        promoted = {
            user
            for user, before, after, at in history.role_changes
            if after == "superuser" and before != "superuser" and start <= at < end
        }
        result[current] = {
            "active_members": len(active & members),
            "new_superusers": len(promoted),
        }
    return result
