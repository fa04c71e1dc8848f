"""Members: who took part, who became a super-user, who contributed most.

"Members" are the community: every account except agents and admins (the paid support
side), as in the community-vs-agent split.
"""

from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import and_, func, or_, select, union
from sqlalchemy.orm import Session

from community.models import AcceptedSolution, Post, PostStatus, ReputationEvent, Thread, Vote
from dashboard.metrics_sql import (
    AGENT_ROLES,
    by_period,
    in_both,
    in_period,
    is_current,
    make_kpi,
)
from dashboard.results import Kpi, Period, Table, Unit
from moderation.models import AuditEntry
from portal.models import User
from portal.permissions import Role

SECTION = "members"
TOP_CONTRIBUTORS = 10
ROLE_CHANGED = "user.role_changed"  # moderation.audit's entry for every role change


def member_kpis(session: Session, period: Period) -> list[Kpi]:
    """Active members and new super-users, in the period and the one before."""
    # Published contributions only: a post held for moderation, hidden (spam) or deleted
    # is no sign of a member taking part.
    activity = union(
        select(
            is_current(Post.created_at, period).label("is_current"), Post.author_id.label("user_id")
        ).where(in_both(Post.created_at, period), Post.status == PostStatus.VISIBLE.value),
        select(is_current(Vote.created_at, period), Vote.user_id).where(
            in_both(Vote.created_at, period)
        ),
    ).subquery()
    members = (
        select(activity.c.is_current, activity.c.user_id)
        .join(User, User.id == activity.c.user_id)
        .where(User.role.not_in(AGENT_ROLES))
        .subquery()
    )
    active = by_period(session, members, func.count(func.distinct(members.c.user_id)))
    # A promotion, earned by reputation or granted by an admin, is one audit entry.
    promotions = (
        select(
            is_current(AuditEntry.at, period).label("is_current"),
            AuditEntry.target_id.label("user_id"),
        )
        .where(
            AuditEntry.action == ROLE_CHANGED,
            AuditEntry.after_text == Role.SUPERUSER.value,
            or_(AuditEntry.before_text.is_(None), AuditEntry.before_text != Role.SUPERUSER.value),
            in_both(AuditEntry.at, period),
        )
        .subquery()
    )
    promoted = by_period(session, promotions, func.count(func.distinct(promotions.c.user_id)))
    return [
        make_kpi(
            SECTION,
            "active_members",
            pgettext("dashboard", "Active members"),
            (int(active[1][0] or 0), int(active[0][0] or 0)),
            Unit.COUNT,
        ),
        make_kpi(
            SECTION,
            "new_superusers",
            pgettext("dashboard", "New super-users"),
            (int(promoted[1][0] or 0), int(promoted[0][0] or 0)),
            Unit.COUNT,
        ),
    ]


def top_contributors(session: Session, period: Period) -> Table:
    """Members ranked by reputation gained in the period, then solutions, then replies."""
    replies = (
        select(Post.author_id.label("user_id"), func.count().label("n"))
        .where(
            Post.is_question.is_(False),
            Post.status == PostStatus.VISIBLE.value,
            in_period(Post.created_at, period),
        )
        .group_by(Post.author_id)
        .subquery()
    )
    # Answering your own question earns no points (community.reputation), nor a place here.
    solutions = (
        select(Post.author_id.label("user_id"), func.count().label("n"))
        .select_from(AcceptedSolution)
        .join(Post, Post.id == AcceptedSolution.post_id)
        .join(Thread, Thread.id == AcceptedSolution.thread_id)
        .where(Post.author_id != Thread.author_id, in_period(AcceptedSolution.accepted_at, period))
        .group_by(Post.author_id)
        .subquery()
    )
    reputation = (
        select(ReputationEvent.user_id, func.sum(ReputationEvent.points).label("n"))
        .where(in_period(ReputationEvent.created_at, period))
        .group_by(ReputationEvent.user_id)
        .subquery()
    )
    counts = [func.coalesce(part.c.n, 0) for part in (replies, solutions, reputation)]
    rows = session.execute(
        select(User.display_name, User.username, *counts)
        .outerjoin(replies, replies.c.user_id == User.id)
        .outerjoin(solutions, solutions.c.user_id == User.id)
        .outerjoin(reputation, reputation.c.user_id == User.id)
        .where(
            User.role.not_in(AGENT_ROLES),
            or_(
                replies.c.n.is_not(None),
                solutions.c.n.is_not(None),
                and_(reputation.c.n.is_not(None), reputation.c.n != 0),
            ),
        )
        .order_by(counts[2].desc(), counts[1].desc(), counts[0].desc(), User.username)
        .limit(TOP_CONTRIBUTORS)
    ).all()
    return Table(
        "top_contributors",
        pgettext("dashboard", "Top contributors"),
        (
            pgettext("dashboard", "Member"),
            pgettext("dashboard", "Replies"),
            pgettext("dashboard", "Accepted solutions"),
            pgettext("dashboard", "Reputation gained"),
        ),
        tuple(
            (display or username, int(n_replies), int(n_solutions), int(points))
            for display, username, n_replies, n_solutions, points in rows
        ),
        section=SECTION,
        note=_(
            "Members of the community (agents and admins left out), by reputation gained in "
            "the period. Replies: those still shown; accepted solutions: on others' questions."
        ),
    )
