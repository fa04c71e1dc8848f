"""Hypothesis strategies for random support histories around two periods' boundaries.

Times fall anywhere from ORIGIN to NOW, with extra weight on the boundaries (the periods'
starts and ends, the last half millisecond of a Sunday). Case actions are drawn one after
the other from what the desk allows in the case's status at that moment.
"""

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from tests.dashboard.reference import CaseHistory, History, Reply, ThreadHistory


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# A Wednesday-to-Wednesday week and the week before it: partial weeks at both ends.
PERIOD = (utc(2025, 3, 12), utc(2025, 3, 19))
ORIGIN, NOW = utc(2025, 2, 24), utc(2025, 3, 20, 6)
SPAN_MINUTES = int((NOW - ORIGIN).total_seconds() // 60)
BOUNDARIES = (
    utc(2025, 3, 5), utc(2025, 3, 12), utc(2025, 3, 19),
    utc(2025, 3, 11, 23, 59, 59, 999999), utc(2025, 3, 18, 23, 59, 59, 999999),
    utc(2025, 3, 9, 23, 59, 59, 999500), utc(2025, 3, 16, 23, 59, 59, 999500),
)  # fmt: skip
ROLES = {"cust1": "customer", "cust2": "customer", "cust3": "customer", "super": "superuser",
         "mod": "moderator", "agent1": "agent", "agent2": "agent", "admin": "admin"}  # fmt: skip
MEMBERS = ("cust1", "cust2", "cust3", "super", "mod")
AGENTS = ("agent1", "agent2", "admin")
TAGS = ("wifi", "billing", "router")
# Which status the desk may set from each (moderation.cases.service.TRANSITIONS).
TRANSITIONS = {
    "new": ("open", "pending customer", "closed"),
    "open": ("pending customer", "closed"),
    "pending customer": ("open", "closed"),
    "solved": ("open", "closed"),
    "closed": ("open",),
}
POST_STATUSES = ("visible", "visible", "visible", "held", "hidden", "deleted")

moments = st.one_of(
    st.integers(0, SPAN_MINUTES).map(lambda minutes: ORIGIN + timedelta(minutes=minutes)),
    st.sampled_from(BOUNDARIES),
)


def later(moment: datetime, most_hours: int = 6 * 24):
    """A moment after ``moment``, by whole minutes, never after NOW."""
    return st.integers(0, most_hours * 60).map(
        lambda minutes: min(moment + timedelta(minutes=minutes), NOW)
    )


@st.composite
def case_histories(draw, customer: str, opened_at: datetime, thread=None) -> CaseHistory:
    priority = draw(st.sampled_from(("normal", "high", "urgent")))
    ops, status, at, solved_once, surveyed = [], "new", opened_at, False, False
    for _ in range(draw(st.integers(0, 7))):
        at += timedelta(minutes=draw(st.integers(1, 3 * 24 * 60)))
        if at > NOW:
            break
        active = status in ("new", "open", "pending customer")
        kinds = ["reply", "priority", "status"]
        kinds += ["message", "solve"] if active else []
        kinds += ["survey"] if solved_once and not surveyed else []
        kind = draw(st.sampled_from(kinds))
        if kind == "reply":
            then = draw(st.sampled_from(("", "open", "pending customer")))
            ops.append(("reply", at, draw(st.sampled_from(AGENTS)), then))
            status = then or "pending customer"
        elif kind == "priority":
            ops.append(("priority", at, draw(st.sampled_from(("low", "normal", "high", "urgent")))))
        elif kind == "status":
            status = draw(st.sampled_from(TRANSITIONS[status]))
            ops.append(("status", at, status))
        elif kind == "message":
            ops.append(("message", at))
            status = "open" if status == "pending customer" else status
        elif kind == "solve":
            ops.append(("solve", at, draw(st.sampled_from(AGENTS))))
            status, solved_once = "solved", True
        else:
            ops.append(("survey", at, draw(st.integers(1, 5)), draw(st.integers(0, 10))))
            surveyed = True
    return CaseHistory(customer, opened_at, priority, ops, thread)


@st.composite
def thread_histories(draw) -> ThreadHistory:
    asker = draw(st.sampled_from(MEMBERS + ("agent1",)))
    asked_at = draw(moments)
    replies = [
        Reply(
            draw(st.sampled_from(MEMBERS + AGENTS)),
            draw(later(asked_at)),
            draw(st.sampled_from(POST_STATUSES)),
        )  # fmt: skip
        for _ in range(draw(st.integers(0, 4)))
    ]
    changes, at = [], asked_at
    for _ in range(draw(st.integers(0, 3)) if replies else 0):
        at = draw(later(at, 48))
        if changes and changes[-1][0] == "accept" and draw(st.booleans()):
            changes.append(("withdraw", at))
        else:
            index = draw(st.integers(0, len(replies) - 1))
            changes.append(("accept", index, max(at, replies[index].at)))
            at = changes[-1][2]
    thread = ThreadHistory(
        asker,
        asked_at,
        draw(st.sampled_from(POST_STATUSES)),
        draw(st.lists(st.sampled_from(TAGS), min_size=1, max_size=2, unique=True)),
        replies,
        changes,
    )
    if draw(st.booleans()):
        thread.case = draw(case_histories(asker, draw(later(asked_at, 4 * 24)), thread))
    return thread


@st.composite
def sessions(draw, number: int) -> tuple:
    holdout = draw(st.integers(0, 4)) == 0
    start = "withheld" if holdout else "shown"
    steps = draw(
        st.lists(
            st.tuples(
                st.sampled_from((start, start, "opened", "solved", "question", "request")), moments
            ),  # fmt: skip
            min_size=1,
            max_size=6,
        )
    )
    return (f"s{number}", holdout, sorted(steps, key=lambda step: step[1]))


@st.composite
def histories(draw) -> History:
    history = History(dict(ROLES))
    history.threads = draw(st.lists(thread_histories(), max_size=6))
    contact_cases = [
        draw(case_histories(draw(st.sampled_from(MEMBERS)), draw(moments)))
        for _ in range(draw(st.integers(0, 3)))
    ]
    history.cases = [t.case for t in history.threads if t.case] + contact_cases
    history.sessions = [draw(sessions(number)) for number in range(draw(st.integers(0, 6)))]
    voted = set()
    for _ in range(draw(st.integers(0, 4)) if history.threads else 0):
        index = draw(st.integers(0, len(history.threads) - 1))
        thread = history.threads[index]
        reply = draw(st.sampled_from([None, *range(len(thread.replies))]))
        voter = draw(st.sampled_from(MEMBERS + AGENTS))
        posted = thread.asked_at if reply is None else thread.replies[reply].at
        if (index, reply, voter) not in voted:
            voted.add((index, reply, voter))
            history.votes.append((voter, index, reply, draw(later(posted))))
    roles = {}
    for _ in range(draw(st.integers(0, 3))):
        user, after = draw(st.sampled_from(MEMBERS)), draw(st.sampled_from(
            ("superuser", "customer", "moderator")))  # fmt: skip
        before = roles.get(user, ROLES[user])
        history.role_changes.append((user, before, after, draw(moments)))
        roles[user] = after
    return history
