"""Community rules, without HTTP: threads, replies, edits, deletes, votes, solutions."""

import pytest
from sqlalchemy import func, select

from community import curation, history, queries, reputation, service, solutions
from community.models import (
    AcceptedSolution,
    Post,
    PostRevision,
    PostStatus,
    ReputationEvent,
    Thread,
    Vote,
)
from portal import events
from portal.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from portal.models import Tag
from portal.notifications import Notification
from portal.permissions import Role
from tests.factories import make_reply, make_tag, make_thread, make_user


@pytest.fixture
def recorded():
    """Names of the community events published during the test."""
    seen = []

    def record(name):
        def handler(sender, **data):
            seen.append(name)

        return handler

    handlers = {
        name: record(name)
        for name in [
            "community.post_submitted",
            "community.thread_created",
            "community.reply_created",
            "community.post_edited",
            "community.post_deleted",
            "community.post_hidden",
            "community.thread_solved",
            "community.thread_changed",
        ]
    }
    for name, handler in handlers.items():
        events.subscribe(name, handler)
    yield seen
    for name, handler in handlers.items():
        events.unsubscribe(name, handler)


def test_ask_creates_thread_question_and_follow(db, recorded):
    wifi = make_tag(db.session, "Wi-Fi")
    asker = make_user(db.session, "jordan")
    thread = service.ask_question(
        db.session,
        asker,
        title="  Wi-Fi drops   every evening ",
        body="Since Monday.",
        tags="wi-fi",
    )
    assert thread.title == "Wi-Fi drops every evening"
    assert thread.question.body == "Since Monday." and thread.question.is_question
    assert thread.tags == [wifi] and thread.reply_count == 0
    # thread_changed in the same transaction too: search's feed row commits with the thread.
    assert recorded == [
        "community.post_submitted",
        "community.thread_created",
        "community.thread_changed",
    ]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"body": "   "}, "body"),
        ({"body": "x" * 50_001}, "body"),
        ({"body": "é" * 25_001}, "body"),  # 50 kB is counted in bytes
        ({"title": "Help"}, "title"),
        ({"title": "t" * 201}, "title"),
        ({"tags": ""}, "tags"),
        ({"tags": "a, b, c, d, e, f"}, "tags"),
        ({"tags": "no-such-tag"}, "tags"),
    ],
)
def test_bad_questions_are_refused_on_the_right_field(db, changes, field):
    make_tag(db.session, "Router")
    asker = make_user(db.session)
    fields = {"title": "Router lights blink orange", "body": "What does it mean?", "tags": "router"}
    with pytest.raises(ValidationFailed) as error:
        service.ask_question(db.session, asker, **{**fields, **changes})
    assert error.value.field == field


def test_a_body_of_exactly_50_kb_is_fine(db):
    thread = make_thread(db.session, body="x" * 50_000)
    assert len(thread.question.body) == 50_000


def test_super_users_may_introduce_tags_customers_may_not(db):
    customer = make_user(db.session)
    superuser = make_user(db.session, role=Role.SUPERUSER)
    fields = {"title": "Matter support for the hub?", "body": "Is it planned?"}
    with pytest.raises(ValidationFailed, match="Unknown tag: matter"):
        service.ask_question(db.session, customer, **fields, tags="Matter")
    thread = service.ask_question(db.session, superuser, **fields, tags="Matter")
    assert [tag.slug for tag in thread.tags] == ["matter"]


def test_replies_count_and_locked_duplicate_or_deleted_threads_refuse_them(db):
    moderator = make_user(db.session, role=Role.MODERATOR)
    thread = make_thread(db.session)
    make_reply(db.session, thread)
    make_reply(db.session, thread)
    assert thread.reply_count == 2
    service.lock_thread(db.session, moderator, thread)
    with pytest.raises(ValidationFailed, match="locked"):
        make_reply(db.session, thread)
    service.lock_thread(db.session, moderator, thread, locked=False)
    make_reply(db.session, thread)
    curation.close_as_duplicate(db.session, moderator, thread, str(make_thread(db.session).id))
    with pytest.raises(ValidationFailed, match="duplicate"):
        make_reply(db.session, thread)
    other = make_thread(db.session)
    service.delete_post(db.session, other.author, other.question)
    with pytest.raises(ValidationFailed, match="removed"):
        make_reply(db.session, other)


def test_only_moderators_lock(db):
    thread = make_thread(db.session)
    with pytest.raises(PermissionDenied):
        service.lock_thread(db.session, thread.author, thread)


def test_moderation_can_hold_a_post_before_it_is_visible(db, recorded):
    def hold(sender, *, post, **data):
        post.status = PostStatus.HELD.value

    thread = make_thread(db.session)
    events.subscribe("community.post_submitted", hold)
    try:
        held = make_reply(db.session, thread, body="Buy followers at spam.example")
    finally:
        events.unsubscribe("community.post_submitted", hold)
    assert held.status == "held" and thread.reply_count == 0
    assert "community.reply_created" not in recorded
    viewer = make_user(db.session)
    assert queries.replies_for(viewer, thread) == []
    assert queries.replies_for(held.author, thread) == [held]
    service.go_live(db.session, held)
    assert held.status == "visible" and thread.reply_count == 1
    assert recorded[-2:] == ["community.reply_created", "community.thread_changed"]


def test_edit_keeps_history_with_a_diff(db, recorded):
    thread = make_thread(db.session, title="Router keeps rebooting", body="line one\nline two")
    question = thread.question
    assert service.edit_post(
        db.session, thread.author, question, body="line one\nline 2", title="Router reboots nightly"
    )
    assert not service.edit_post(
        db.session, thread.author, question, body="line one\nline 2", title="Router reboots nightly"
    )
    assert thread.title == "Router reboots nightly" and question.edited_at is not None
    assert db.session.scalar(select(func.count(PostRevision.id))) == 1
    newest, original = history.versions(question)
    assert (newest.number, original.number) == (2, 1) and original.body == "line one\nline two"
    changes = {(line.kind, line.text) for line in newest.diff.lines}
    assert {("remove", "line two"), ("add", "line 2")} <= changes
    assert {
        ("remove", "Title: Router keeps rebooting"),
        ("add", "Title: Router reboots nightly"),
    } <= changes
    assert "community.post_edited" in recorded


def test_only_the_author_or_a_moderator_edits(db):
    reply = make_reply(db.session, make_thread(db.session))
    with pytest.raises(PermissionDenied):
        service.edit_post(db.session, make_user(db.session), reply, body="mine now")
    moderator = make_user(db.session, role=Role.MODERATOR)
    service.edit_post(db.session, moderator, reply, body="Removed a phone number.")
    assert reply.revisions[0].editor_id == moderator.id


def test_delete_is_soft_and_limited_to_author_or_moderator(db, recorded):
    thread = make_thread(db.session)
    reply = make_reply(db.session, thread)
    with pytest.raises(PermissionDenied):
        service.delete_post(db.session, thread.author, reply)
    service.delete_post(db.session, reply.author, reply)
    assert db.session.get(Post, reply.id).status == "deleted" and thread.reply_count == 0
    assert reply.removed_by_id == reply.author_id and "community.post_deleted" in recorded
    with pytest.raises(ValidationFailed):
        service.edit_post(db.session, reply.author, reply, body="back")
    other = make_reply(db.session, thread)
    service.hide_post(db.session, make_user(db.session, role=Role.MODERATOR), other, reason="spam")
    assert other.status == "hidden" and "community.post_hidden" in recorded


def test_votes_one_per_user_changeable_never_on_own_posts(db):
    thread = make_thread(db.session)
    reply = make_reply(db.session, thread)
    voter = make_user(db.session)
    assert service.vote(db.session, voter, reply, 1) == 1
    assert service.vote(db.session, voter, reply, 1) == 1  # twice is once
    assert service.vote(db.session, make_user(db.session), reply, 1) == 2
    assert service.vote(db.session, voter, reply, -1) == 0
    assert service.vote(db.session, voter, reply, 0) == 1
    assert db.session.scalar(select(func.count(Vote.id))) == 1
    with pytest.raises(PermissionDenied, match="own post"):
        service.vote(db.session, reply.author, reply, 1)
    with pytest.raises(ValidationFailed, match="up-voted only"):
        service.vote(db.session, voter, thread.question, -1)
    assert service.vote(db.session, voter, thread.question, 1) == 1


def test_votes_are_worth_reputation_recorded_as_events(db):
    thread = make_thread(db.session)
    reply = make_reply(db.session, thread)
    voter, other = make_user(db.session), make_user(db.session)
    service.vote(db.session, voter, reply, 1)
    service.vote(db.session, other, reply, -1)
    service.vote(db.session, voter, thread.question, 1)
    assert reputation.total(db.session, reply.author) == 10 - 2
    assert reputation.total(db.session, thread.author) == 5
    service.vote(db.session, voter, reply, 0)  # withdrawing undoes the points
    assert reputation.total(db.session, reply.author) == -2


def test_the_asker_accepts_changes_and_withdraws_a_solution(db, recorded):
    thread = make_thread(db.session)
    first, second = make_reply(db.session, thread), make_reply(db.session, thread)
    service.accept_solution(db.session, thread.author, thread, first)
    assert (
        thread.solution.post_id == first.id and thread.solution.accepted_by_id == thread.author_id
    )
    assert reputation.total(db.session, first.author) == 15
    assert "community.thread_solved" in recorded
    service.accept_solution(db.session, thread.author, thread, second)
    assert db.session.scalar(select(func.count(AcceptedSolution.id))) == 1
    assert reputation.total(db.session, first.author) == 0
    assert reputation.total(db.session, second.author) == 15
    service.withdraw_solution(db.session, thread.author, thread)
    assert thread.solution is None and reputation.total(db.session, second.author) == 0
    with pytest.raises(ValidationFailed, match="no accepted solution"):
        service.withdraw_solution(db.session, thread.author, thread)


def test_a_click_replaces_only_the_solution_its_page_showed(db):
    thread = make_thread(db.session)
    first, second = make_reply(db.session, thread), make_reply(db.session, thread)
    agent = make_user(db.session, role=Role.AGENT)
    service.accept_solution(db.session, agent, thread, first, replacing=None)
    # The asker's page showed no solution: the agent's accept since then stands.
    with pytest.raises(Conflict, match="accepted a moment ago"):
        service.accept_solution(db.session, thread.author, thread, second, replacing=None)
    assert solutions.current_solution(db.session, thread).post_id == first.id
    service.accept_solution(db.session, thread.author, thread, second, replacing=first.id)
    # Pressed again (a double click, or a page that did not show it yet): nothing changes.
    service.accept_solution(db.session, thread.author, thread, second, replacing=first.id)
    assert solutions.current_solution(db.session, thread).post_id == second.id
    assert reputation.total(db.session, first.author) == 0
    assert reputation.total(db.session, second.author) == 15
    points = select(func.count(ReputationEvent.id)).where(ReputationEvent.reason != "upvote")
    assert db.session.scalar(points) == 3  # first: +15 and -15; second: +15


def test_only_the_reply_still_accepted_when_its_job_runs_hears_it_was_accepted(db):
    thread = make_thread(db.session)
    first, second = make_reply(db.session, thread), make_reply(db.session, thread)
    service.accept_solution(db.session, thread.author, thread, first)
    service.accept_solution(db.session, thread.author, thread, second)
    db.session.commit()  # both notification jobs run now, after the second accept
    told = select(Notification.user_id).where(Notification.kind == "solution_accepted")
    assert db.session.scalars(told).all() == [second.author_id]


def test_removing_a_reply_that_is_not_the_solution_keeps_the_solution(db):
    thread = make_thread(db.session)
    solution, other = make_reply(db.session, thread), make_reply(db.session, thread)
    service.accept_solution(db.session, thread.author, thread, solution)
    assert service.drop_solution(db.session, thread, other) is None
    service.delete_post(db.session, other.author, other)
    assert solutions.current_solution(db.session, thread).post_id == solution.id
    assert reputation.total(db.session, solution.author) == 15


def test_who_may_accept_and_what(db):
    thread, other_thread = make_thread(db.session), make_thread(db.session)
    reply, elsewhere = make_reply(db.session, thread), make_reply(db.session, other_thread)
    with pytest.raises(PermissionDenied):
        service.accept_solution(db.session, make_user(db.session), thread, reply)
    with pytest.raises(PermissionDenied):
        service.accept_solution(db.session, reply.author, thread, reply)
    with pytest.raises(ValidationFailed, match="another thread"):
        service.accept_solution(db.session, thread.author, thread, elsewhere)
    with pytest.raises(ValidationFailed, match="cannot be its own solution"):
        service.accept_solution(db.session, thread.author, thread, thread.question)
    agent = make_user(db.session, role=Role.AGENT)
    service.accept_solution(db.session, agent, thread, reply)
    assert thread.solution.accepted_by_id == agent.id


def test_own_answer_accepted_earns_nothing_and_deleting_the_solution_unsolves(db):
    thread = make_thread(db.session)
    own = make_reply(db.session, thread, author=thread.author, body="Fixed it: new cable.")
    service.accept_solution(db.session, thread.author, thread, own)
    assert reputation.total(db.session, thread.author) == 0
    service.delete_post(db.session, thread.author, own)
    db.session.expire_all()
    assert db.session.get(Thread, thread.id).solution is None


def test_reputation_threshold_promotes_a_customer_to_super_user(db, app, monkeypatch):
    monkeypatch.setitem(app.config, "SUPERUSER_REPUTATION_THRESHOLD", 25)
    thread = make_thread(db.session)
    reply = make_reply(db.session, thread)
    service.vote(db.session, make_user(db.session), reply, 1)
    assert reply.author.role == "customer"
    service.accept_solution(db.session, thread.author, thread, reply)
    assert reply.author.role == "superuser"


def test_super_users_retag_and_close_duplicates(db):
    superuser = make_user(db.session, role=Role.SUPERUSER)
    billing = make_tag(db.session, "Billing")
    original, copy = make_thread(db.session), make_thread(db.session)
    with pytest.raises(PermissionDenied):
        curation.retag_thread(db.session, copy.author, copy, "billing")
    curation.retag_thread(db.session, superuser, copy, "billing, new-topic")
    assert [t.slug for t in copy.tags] == ["billing", "new-topic"] and billing in copy.tags
    with pytest.raises(PermissionDenied):
        curation.close_as_duplicate(db.session, copy.author, copy, str(original.id))
    with pytest.raises(NotFound):
        curation.close_as_duplicate(db.session, superuser, copy, "999999")
    with pytest.raises(ValidationFailed, match="itself"):
        curation.close_as_duplicate(db.session, superuser, copy, f"/community/threads/{copy.id}")
    assert curation.close_as_duplicate(db.session, superuser, copy, f"#{original.id}") == original
    third = make_thread(db.session)
    # A duplicate of a duplicate points at the root.
    assert curation.close_as_duplicate(db.session, superuser, third, str(copy.id)) == original
    curation.reopen_thread(db.session, superuser, copy)
    assert not copy.is_duplicate


def test_lists_filter_sort_and_count(db):
    tag = make_tag(db.session, "TV")
    unanswered = make_thread(db.session, title="TV box has no sound", tags=[tag])
    answered = make_thread(db.session, title="Channel list is empty", tags=[tag])
    solved = make_thread(db.session, title="Remote will not pair")
    make_reply(db.session, answered)
    service.accept_solution(db.session, solved.author, solved, make_reply(db.session, solved))
    service.vote(db.session, make_user(db.session), answered.question, 1)
    gone = make_thread(db.session, tags=[tag])
    service.delete_post(db.session, gone.author, gone.question)
    db.session.commit()

    def titles(**kwargs):
        return [t.title for t in db.session.scalars(queries.thread_list(**kwargs))]

    assert titles(filter="unanswered") == [unanswered.title]
    assert titles(filter="solved") == [solved.title]
    assert titles(filter="unsolved", sort="newest") == [answered.title, unanswered.title]
    assert titles(sort="votes")[0] == answered.title
    assert titles(sort="active")[0] == solved.title
    assert titles(tag=tag) == [answered.title, unanswered.title]
    assert queries.thread_counts(db.session) == {
        "all": 3, "unanswered": 1, "unsolved": 2, "solved": 1
    }  # fmt: skip
    assert queries.thread_counts(db.session, db.session.get(Tag, tag.id))["all"] == 2


def test_leaderboards_and_profile_statistics(db):
    wifi = make_tag(db.session, "Wi-Fi")
    expert = make_user(db.session, "priya")
    for _ in range(2):
        thread = make_thread(db.session, tags=[wifi])
        reply = make_reply(db.session, thread, author=expert)
        service.accept_solution(db.session, thread.author, thread, reply)
    db.session.commit()
    assert reputation.leaderboard(db.session)[0] == (expert, 30)
    assert reputation.leaderboard(db.session, since=reputation.start_of_month())[0][1] == 30
    [(tag, solvers)] = reputation.solvers_by_tag(db.session)
    assert tag == wifi and solvers == [(expert, 2)]
    stats = reputation.profile_stats(db.session, expert)
    assert (stats["reputation"], stats["answers"], stats["solutions"]) == (30, 2, 2)
    assert stats["top_tags"] == [(wifi, 2)]


def test_tags_are_found_by_name_in_any_case_and_spelling(db):
    s = db.session
    wifi, smart = make_tag(s, "Wi-Fi"), make_tag(s, "Smart Home")
    member = make_user(s)
    assert service.resolve_tags(s, member, "wifi") == [wifi]
    assert service.resolve_tags(s, member, "WI-FI, smart home") == [wifi, smart]
    assert service.resolve_tags(s, member, "Wi-Fi smart-home wifi") == [wifi, smart]  # once each
    with pytest.raises(ValidationFailed, match="Unknown tag: mesh"):
        service.resolve_tags(s, member, "wifi, mesh")
    curator = make_user(s, role=Role.SUPERUSER)
    created = service.resolve_tags(s, curator, "Wi-Fi, Mesh")
    assert created[0] == wifi and created[1].slug == "mesh"
