"""Community KPIs: questions, answers, solutions, escalations, weeks and tags.

Every number here is about the *questions asked in the period* (a cohort): a thread
counts where it was asked, and whether it is answered, solved or escalated is read as it
stands now. So a week's solved and escalated never exceed its questions, and the previous
period, having had more time, may look better for that reason alone.

A question counts as asked unless a moderator hid it or its author deleted it (spam and
withdrawn questions); a question held for moderation was still asked.
"""

from dataclasses import dataclass
from datetime import date
from functools import cache
from types import SimpleNamespace

from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from community.models import AcceptedSolution, Post, PostStatus, Thread, thread_tags
from dashboard.metrics_sql import (
    AGENT_ROLES,
    as_date,
    flag,
    hours_between,
    hours_by_period,
    in_both,
    in_period,
    is_current,
    make_kpi,
    median,
    percent,
    week_start,
    weekly_rows,
)
from dashboard.results import ChartKind, Kpi, Period, Table, Unit
from moderation.cases.models import Case
from portal.models import Tag, User

SECTION = "community"
REMOVED = (PostStatus.HIDDEN.value, PostStatus.DELETED.value)
TOP_TAGS = 15


@cache
def _aliases() -> SimpleNamespace:
    """Posts and users under the roles they play; made on first use, once mapped."""
    return SimpleNamespace(
        question=aliased(Post, name="question"),
        reply=aliased(Post, name="reply"),
        solution_post=aliased(Post, name="solution_post"),
        solver=aliased(User, name="solver"),
    )


def asked(*columns, when):
    """SELECT columns FROM the threads asked when ``when(Thread.created_at)`` holds."""
    question = _aliases().question
    return (
        select(*columns)
        .select_from(Thread)
        .join(
            question,
            and_(
                question.thread_id == Thread.id,
                question.is_question.is_(True),
                question.status.not_in(REMOVED),
            ),
        )
        .where(when(Thread.created_at))
    )


def with_outcomes(query):
    """Join the thread's accepted solution (and who wrote it) and its case, if any."""
    solution_post, solver = _aliases().solution_post, _aliases().solver
    return (
        query.outerjoin(AcceptedSolution, AcceptedSolution.thread_id == Thread.id)
        .outerjoin(solution_post, solution_post.id == AcceptedSolution.post_id)
        .outerjoin(solver, solver.id == solution_post.author_id)
        .outerjoin(Case, Case.thread_id == Thread.id)
    )


def reply_by_others():
    """Visible replies of the thread by someone other than the asker (as the sweep says)."""
    reply = _aliases().reply
    return and_(
        reply.thread_id == Thread.id,
        reply.is_question.is_(False),
        reply.status == PostStatus.VISIBLE.value,
        reply.author_id != Thread.author_id,
    )


@dataclass(frozen=True)
class QuestionCounts:
    """Questions asked, solved, solved by agents, by the asker, escalated: per week, in both
    periods. One query gives the weekly chart of the period and the totals of both periods.
    """

    # (is_current, week, asked, solved, solved by agents, solved by the asker, escalated)
    rows: tuple[tuple, ...]

    def totals(self, current: int) -> tuple[int, ...]:
        counts = [row[2:] for row in self.rows if row[0] == current]
        return tuple(sum(column) for column in zip(*counts, strict=True)) or (0, 0, 0, 0, 0)

    def week(self, index: int) -> dict[date, int]:
        return {row[1]: row[index] for row in self.rows if row[0] == 1}


def count_questions(session: Session, period: Period) -> QuestionCounts:
    """The questions asked in the period and the one before, with their outcomes, per week."""
    solver = _aliases().solver
    # The asker's own reply accepted: they found it themselves, whatever their role.
    by_asker = solver.id == Thread.author_id
    rows = with_outcomes(
        asked(
            is_current(Thread.created_at, period).label("is_current"),
            week_start(Thread.created_at).label("week"),
            flag(AcceptedSolution.id.is_not(None)).label("solved"),
            flag(by_asker).label("asker_solved"),
            flag(and_(~by_asker, solver.role.in_(AGENT_ROLES))).label("agent_solved"),
            flag(Case.id.is_not(None)).label("escalated"),
            when=lambda column: in_both(column, period),
        )
    ).subquery()
    result = session.execute(
        select(
            rows.c.is_current,
            rows.c.week,
            func.count(),
            func.sum(rows.c.solved),
            func.sum(rows.c.agent_solved),
            func.sum(rows.c.asker_solved),
            func.sum(rows.c.escalated),
        ).group_by(rows.c.is_current, rows.c.week)
    )
    return QuestionCounts(
        tuple(
            (int(current), as_date(week), *(int(n or 0) for n in counts))
            for current, week, *counts in result
        )
    )


def community_kpis(session: Session, period: Period, counts: QuestionCounts) -> list[Kpi]:
    """Questions asked, % answered / solved / by whom / escalated, median hours."""
    reply = _aliases().reply
    # The replies are read once: a thread has a time to first reply exactly when it was
    # answered, so the answered counts are the lengths of those lists.
    first_reply = select(func.min(reply.created_at)).where(reply_by_others()).scalar_subquery()
    first_reply_hours, solution_hours = hours_by_period(
        session,
        asked(
            is_current(Thread.created_at, period),
            hours_between(Thread.created_at, first_reply),
            hours_between(Thread.created_at, AcceptedSolution.accepted_at),
            when=lambda column: in_both(column, period),
        ).outerjoin(AcceptedSolution, AcceptedSolution.thread_id == Thread.id),
    )
    current = _rates(counts.totals(1), answered=len(first_reply_hours[0]))
    previous = _rates(counts.totals(0), answered=len(first_reply_hours[1]))
    medians = {
        "median_first_reply_hours": tuple(median(values) for values in first_reply_hours),
        "median_solution_hours": tuple(median(values) for values in solution_hours),
    }

    def kpi(key, label, unit, higher_is_better=True, section=SECTION) -> Kpi:
        values = medians[key] if key in medians else (current[key], previous[key])
        return make_kpi(section, key, label, values, unit, higher_is_better)

    # The labels speak of questions (the context tells a translator what agrees with what).
    return [
        kpi("questions_asked", pgettext("dashboard", "Questions asked"), Unit.COUNT),
        kpi("answered_pct", pgettext("dashboard", "Answered"), Unit.PERCENT),
        kpi("solved_pct", pgettext("dashboard", "Solved"), Unit.PERCENT),
        kpi("community_solved_pct", pgettext("dashboard", "Solved by the community"), Unit.PERCENT),
        kpi(
            "agent_solved_pct",
            pgettext("dashboard", "Solved by agents"),
            Unit.PERCENT,
            higher_is_better=False,
        ),
        kpi("asker_solved_pct", pgettext("dashboard", "Solved by the asker"), Unit.PERCENT),
        kpi(
            "median_first_reply_hours",
            pgettext("dashboard", "Median time to first reply"),
            Unit.HOURS,
            False,
        ),
        kpi(
            "median_solution_hours",
            pgettext("dashboard", "Median time to solution"),
            Unit.HOURS,
            False,
        ),
        kpi(
            "escalation_rate_pct",
            pgettext("dashboard", "Escalation rate"),
            Unit.PERCENT,
            False,
            section="cases",
        ),
    ]


def _rates(totals: tuple, answered: int) -> dict[str, float | None]:
    asked_count, solved, solved_by_agents, solved_by_asker, escalated = totals
    return {
        "questions_asked": asked_count,
        "answered_pct": percent(answered, asked_count),
        "solved_pct": percent(solved, asked_count),
        "community_solved_pct": percent(solved - solved_by_agents - solved_by_asker, solved),
        "agent_solved_pct": percent(solved_by_agents, solved),
        "asker_solved_pct": percent(solved_by_asker, solved),
        "escalation_rate_pct": percent(escalated, asked_count),
    }


def weekly_community(period: Period, counts: QuestionCounts) -> Table:
    """Questions asked each week, and how many of them are solved / became a case."""
    return Table(
        "weekly_community",
        pgettext("dashboard", "Community questions per week"),
        (
            pgettext("dashboard", "Week"),
            pgettext("dashboard", "Questions"),
            pgettext("dashboard", "Solved"),
            pgettext("dashboard", "Escalated"),
        ),
        weekly_rows(period, counts.week(2), counts.week(3), counts.week(6)),
        ChartKind.LINE,
        SECTION,
        note=_(
            "Weeks start on Monday (UTC). Solved and escalated count the questions asked that "
            "week that are solved or became a case so far. The first and last weeks count "
            "only the days inside the period, so they can look low."
        ),
    )


def questions_by_tag(session: Session, period: Period) -> Table:
    """The tags of the period's questions, the busiest first."""
    count = func.count(Thread.id)
    rows = session.execute(
        asked(Tag.name, count, when=lambda column: in_period(column, period))
        .join(thread_tags, thread_tags.c.thread_id == Thread.id)
        .join(Tag, Tag.id == thread_tags.c.tag_id)
        .group_by(Tag.id, Tag.name)
        .order_by(count.desc(), Tag.name)
        .limit(TOP_TAGS)
    ).all()
    return Table(
        "questions_by_tag",
        pgettext("dashboard", "Questions by tag"),
        (pgettext("dashboard", "Tag"), pgettext("dashboard", "Questions")),
        tuple((name, int(n)) for name, n in rows),
        ChartKind.BAR,
        SECTION,
        note=_(
            "The %(count)d busiest tags; a question with several tags counts in each.",
            count=TOP_TAGS,
        ),
    )
