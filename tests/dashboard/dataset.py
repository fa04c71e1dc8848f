"""A small support history with explicit timestamps, for checking each KPI by hand.

The period is 5–19 March 2025 (14 days, from Wednesday the 5th, end excluded); the
period before it is 19 February – 5 March. ``NOW`` is 20 March, noon. The weeks the
period touches start on Monday 3, 10 and 17 March. Comments name the records that the
tests' arithmetic refers to (T1… threads, C1… cases, A1… articles).
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from community.models import AcceptedSolution, Post, PostStatus, ReputationEvent, Thread, Vote
from dashboard.results import Period
from kb.models import Article, Feedback
from moderation.cases.models import (
    Case,
    CaseEvent,
    Channel,
    Disposition,
    EventKind,
    SlaBreach,
    Survey,
)
from moderation.models import AuditEntry
from portal.permissions import Role
from search.models import DeflectionEvent, SearchQuery
from tests.factories import make_tag, make_user


def at(day: int, hour: int = 0, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=UTC)


PERIOD = Period(at(5), at(19))
NOW = at(20, 12)


@dataclass
class History:
    users: dict = field(default_factory=dict)
    threads: dict = field(default_factory=dict)
    cases: dict = field(default_factory=dict)
    articles: dict = field(default_factory=dict)


def _thread(s, author, asked, tags, status=PostStatus.VISIBLE) -> Thread:
    thread = Thread(
        title=f"Question asked {asked:%d %b %H:%M}",
        author=author,
        created_at=asked,
        last_activity_at=asked,
        tags=tags,
    )
    thread.posts.append(
        Post(author=author, is_question=True, body="Why?", status=status.value, created_at=asked)
    )
    s.add(thread)
    s.flush()
    return thread


def _reply(s, thread, author, when, status=PostStatus.VISIBLE) -> Post:
    post = Post(
        thread=thread, author=author, body="Try this.", status=status.value, created_at=when
    )
    s.add(post)
    s.flush()
    return post


def _accept(s, thread, post, by, when) -> None:
    s.add(
        AcceptedSolution(
            thread_id=thread.id, post_id=post.id, accepted_by_id=by.id, accepted_at=when
        )
    )


def _case(s, customer, opened, first_due, resolution_due, *, thread=None, assignee=None,
          first_response=None, solved=None, status="solved", **fields) -> Case:  # fmt: skip
    case = Case(
        subject=thread.title if thread else "Help with my bill",
        customer_id=customer.id,
        thread_id=thread.id if thread else None,
        channel=(Channel.COMMUNITY if thread else Channel.CONTACT_FORM).value,
        status=status,
        assignee_id=assignee.id if assignee else None,
        opened_at=opened,
        first_response_due=first_due,
        resolution_due=resolution_due,
        first_response_at=first_response,
        solved_at=solved,
        **fields,
    )
    s.add(case)
    s.flush()
    return case


def _survey(s, case, sent, answered=None, csat=None, nps=None) -> None:
    s.add(Survey(case_id=case.id, token=f"token-{case.id}", sent_at=sent,
                 answered_at=answered, csat=csat, nps=nps))  # fmt: skip


def _article(s, author, title, created, *, views=0, status="published", thread=None) -> Article:
    article = Article(
        slug=title.lower().replace(" ", "-"),
        title=title,
        body="Steps.",
        author_id=author.id,
        status=status,
        created_at=created,
        updated_at=created,
        view_count=views,
        version=1,
        source_thread_id=thread.id if thread else None,
    )
    s.add(article)
    s.flush()
    return article


def build(s) -> History:
    h = History()
    u = h.users
    roles = {"alice": Role.CUSTOMER, "bob": Role.CUSTOMER, "carol": Role.SUPERUSER,
             "frank": Role.CUSTOMER, "dan": Role.AGENT, "eve": Role.AGENT}  # fmt: skip
    for name, role in roles.items():
        u[name] = make_user(s, name, role=role)
    wifi, billing = make_tag(s, "Wi-Fi"), make_tag(s, "Billing")
    alice, bob, carol, frank, dan, eve = (
        u[n] for n in ("alice", "bob", "carol", "frank", "dan", "eve")
    )

    # --- the period: threads -------------------------------------------------------------
    t1 = h.threads["T1"] = _thread(s, alice, at(5, 10), [wifi])
    _reply(s, t1, bob, at(5, 12))  # first reply by someone else: 2 h
    carol_answer = _reply(s, t1, carol, at(5, 14))
    _accept(s, t1, carol_answer, alice, at(6, 10))  # solved by the community after 24 h

    t2 = h.threads["T2"] = _thread(s, bob, at(6, 8), [billing])
    _reply(s, t2, bob, at(6, 9))  # the asker's own reply does not answer
    dan_answer = _reply(s, t2, dan, at(6, 14))  # the agent's public reply: 6 h
    _accept(s, t2, dan_answer, dan, at(7, 2))  # solved by an agent after 18 h

    t3 = h.threads["T3"] = _thread(s, alice, at(11, 9), [wifi, billing])
    _reply(s, t3, carol, at(11, 10), PostStatus.HIDDEN)  # hidden: T3 is unanswered

    h.threads["T4"] = _thread(s, carol, at(12, 12), [wifi], PostStatus.DELETED)  # not asked

    t5 = h.threads["T5"] = _thread(s, bob, at(13, 0), [wifi])
    _reply(s, t5, alice, at(13, 3))  # 3 h, never solved

    # --- the period before --------------------------------------------------------------
    t0a = h.threads["T0a"] = _thread(s, alice, at(20, 10, month=2), [wifi])
    _reply(s, t0a, bob, at(20, 11, month=2))  # 1 h
    t0b = h.threads["T0b"] = _thread(s, bob, at(24, 0, month=2), [billing])
    _reply(s, t0b, eve, at(25, 6, month=2))  # 30 h, an agent's reply, never accepted
    h.threads["T0c"] = _thread(s, alice, at(4, 20), [wifi])  # week of 3 March, period before
    _thread(s, alice, at(10, 9, month=2), [wifi])  # before both periods

    # --- cases --------------------------------------------------------------------------
    c = h.cases
    c["C1"] = _case(s, alice, at(5, 18), at(6, 18), at(8, 18), thread=t1, assignee=dan,
                    first_response=at(6, 11), solved=at(6, 11),
                    disposition=Disposition.EXISTING_ARTICLE.value)  # fmt: skip
    c["C2"] = _case(s, bob, at(6, 10), at(7, 10), at(9, 10), thread=t2, assignee=dan,
                    first_response=at(6, 14), solved=at(7, 2))  # fmt: skip
    c["C3"] = _case(s, alice, at(12, 9), at(12, 10), at(12, 17), thread=t3, status="new")
    # C4 was solved on the 7th in time, reopened on the 8th, solved again late on the 10th.
    c["C4"] = _case(s, frank, at(7, 9), at(7, 13), at(9, 9), assignee=dan,
                    first_response=at(7, 10), solved=at(10, 9),
                    disposition=Disposition.NEW_ARTICLE.value)  # fmt: skip
    for kind, when, body in [(EventKind.CREATED, at(7, 9), ""), (EventKind.SOLVED, at(7, 12), ""),
                             (EventKind.STATUS, at(8, 9), "Reopened"),
                             (EventKind.SOLVED, at(10, 9), "")]:  # fmt: skip
        s.add(CaseEvent(case_id=c["C4"].id, kind=kind.value, body=body, created_at=when))
    c["C5"] = _case(s, frank, at(18, 0), at(21, 0), at(25, 0), assignee=eve, status="new")
    c["C6"] = _case(s, bob, at(25, 0, month=2), at(26, 0, month=2), at(28, 0, month=2),
                    thread=t0b, assignee=eve, first_response=at(25, 6, month=2),
                    solved=at(6, 0))  # fmt: skip
    c["C7"] = _case(s, frank, at(20, 0, month=2), at(20, 4, month=2), at(21, 0, month=2),
                    assignee=eve, first_response=at(20, 1, month=2),
                    solved=at(21, 0, month=2))  # fmt: skip
    c["C8"] = _case(s, frank, at(10, 0, month=2), at(10, 4, month=2), at(11, 0, month=2),
                    assignee=dan, status="open")  # fmt: skip

    # Recorded breaches (moderation.cases.clock): C3 unanswered past 12 Mar 10:00 (the check
    # found it), C4's second solve after its resolution due time, C6 solved after 28 Feb.
    for key, target, due, hours in [("C3", "first response", at(12, 10), 1),
                                    ("C4", "resolution", at(9, 9), 48),
                                    ("C6", "resolution", at(28, 0, month=2), 72)]:  # fmt: skip
        fact = {"target": target, "priority": "normal", "target_hours": hours}
        s.add(SlaBreach(case_id=c[key].id, due_at=due, breached_at=due, recorded_at=due, **fact))

    _survey(s, c["C1"], at(6, 11), at(6, 12), csat=4, nps=9)
    _survey(s, c["C2"], at(7, 2), at(7, 5), csat=5, nps=10)
    _survey(s, c["C4"], at(10, 9), at(10, 12), csat=2, nps=3)
    _survey(s, c["C6"], at(6, 0))  # never answered
    _survey(s, c["C7"], at(21, 0, month=2), at(21, 6, month=2), csat=5, nps=9)

    # --- knowledge base -----------------------------------------------------------------
    a = h.articles
    a["A1"] = _article(s, dan, "Restart the Hub", at(10, month=1), views=50)
    a["A2"] = _article(s, dan, "Pay by card", at(8, 9), views=10)
    a["A3"] = _article(s, dan, "Mesh Wi-Fi drops", at(6, 12), status="draft", thread=t1)
    a["A4"] = _article(s, dan, "Refund a double charge", at(10, 9), status="draft")
    a["A5"] = _article(s, dan, "Slow evenings", at(25, 0, month=2), views=3, thread=t0a)
    c["C1"].article_id, c["C4"].article_id = a["A1"].id, a["A4"].id
    c["C2"].article_id, c["C2"].disposition = a["A2"].id, Disposition.EXISTING_ARTICLE.value
    votes = {"A1": [True, True, True, False], "A2": [True, False, False], "A5": [False, False]}
    for key, helpful_votes in votes.items():
        for number, helpful in enumerate(helpful_votes):
            s.add(Feedback(article_id=a[key].id, voter_key=f"voter-{number}", helpful=helpful))

    # --- search: deflection flows and zero-result queries ---------------------------------
    flows = [
        ("s1", False, [("shown", at(6, 10)), ("opened", at(6, 10, 1))]),  # deflected
        ("s2", False, [("shown", at(7, 10)), ("opened", at(7, 10, 2)), ("solved", at(7, 10, 5))]),
        ("s3", False, [("shown", at(8, 10)), ("opened", at(8, 10, 1)), ("question", at(8, 11))]),
        ("s4", False, [("shown", at(9, 10))]),  # never opened
        ("s5", False, [("shown", at(18, 23)), ("opened", at(19, 20))]),  # window open at NOW
        ("h1", True, [("withheld", at(10, 10)), ("request", at(10, 10, 30))]),
        ("h2", True, [("withheld", at(11, 10))]),
        ("p1", False, [("shown", at(25, 10, month=2)), ("opened", at(25, 10, 1, month=2))]),
        ("p2", False, [("shown", at(4, 23)), ("question", at(5, 1))]),
    ]
    for session_id, holdout, steps in flows:
        for step, when in steps:
            s.add(
                DeflectionEvent(session_id=session_id, step=step, holdout=holdout, created_at=when)
            )
    searches = [("modem blinking red", 0, at(6, 9)), ("modem blinking red", 0, at(8, 9)),
                ("modem blinking red", 0, at(12, 9)), ("fax setup", 0, at(9, 9)),
                ("router", 5, at(7, 9)), ("", 0, at(7, 9)),
                ("modem blinking red", 0, at(25, 9, month=2)),
                ("after the end", 0, at(19, 1))]  # fmt: skip
    for text, results, when in searches:
        s.add(SearchQuery(text=text, results_count=results, session_id="q", created_at=when))

    # --- members: votes, reputation, role changes ------------------------------------------
    s.add(Vote(post_id=t1.posts[1].id, user_id=frank.id, value=1, created_at=at(8, 9)))
    s.add(Vote(post_id=t1.posts[1].id, user_id=eve.id, value=1, created_at=at(8, 10)))
    s.add(Vote(post_id=t0a.posts[1].id, user_id=frank.id, value=1, created_at=at(15, month=2)))
    for user, points, when in [(carol, 15, at(6, 10)), (bob, 10, at(8, 9)), (alice, 5, at(11, 0)),
                               (alice, -2, at(12, 0)), (dan, 15, at(7, 2)),
                               (bob, 10, at(21, 0, month=2))]:  # fmt: skip
        s.add(ReputationEvent(user_id=user.id, points=points, reason="test", created_at=when))
    for user, before, after, when in [
        (carol, "customer", "superuser", at(8, 12)),
        (alice, "customer", "superuser", at(11, 12)),
        (alice, "superuser", "customer", at(12, 12)),
        (alice, "customer", "superuser", at(13, 12)),  # alice counts once
        (frank, "customer", "superuser", at(22, 12, month=2)),
        (frank, "superuser", "customer", at(9, 12)),  # a demotion is no promotion
        (bob, "customer", "moderator", at(10, 12)),
    ]:
        s.add(AuditEntry(action="user.role_changed", target_type="user", target_id=user.id,
                         before_text=before, after_text=after, at=when))  # fmt: skip
    s.flush()
    return h
