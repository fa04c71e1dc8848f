"""Moderation rules through the service, reports and thresholds, held content, events."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community import queries
from community import service as community_service
from community.models import PostStatus, Thread
from moderation import flags, queue
from moderation.models import Flag, QueueItem, RuleHitRecord, Screening
from moderation.terms import add_term
from portal import events
from portal.errors import Conflict, NotFound, PermissionDenied, TooManyAttempts, ValidationFailed
from portal.notifications import Notification
from portal.permissions import Role
from tests.factories import make_member, make_reply, make_thread, make_user
from tests.moderation.conftest import rules_relaxed


@pytest.fixture
def changes():
    """(thread_id, post_id, change) of every "community.thread_changed" after a commit."""
    seen = []

    def record(sender, **data):
        seen.append((data["thread_id"], data["post_id"], data["change"]))

    events.subscribe("community.thread_changed", record)
    yield seen
    events.unsubscribe("community.thread_changed", record)


def veteran(session, name=None, posts=2):
    """A member with published posts, so the new-account rule lets them through."""
    from flask import current_app

    user = make_user(session, name)
    with rules_relaxed(current_app.config):
        thread = make_thread(session)
        for number in range(posts):
            make_reply(session, thread, user, body=f"Earlier helpful answer number {number}.")
    # Their history is older than the rate window.
    for screening in session.scalars(select(Screening).where(Screening.author_id == user.id)):
        screening.created_at = screening.created_at - timedelta(hours=1)
    return user


def open_thread(session):
    """A visible thread to reply in, asked by a veteran."""
    from flask import current_app

    with rules_relaxed(current_app.config):
        return make_thread(session)


def hits_of(session, post) -> list[tuple[str, str]]:
    item = session.scalar(select(QueueItem).where(QueueItem.post_id == post.id))
    return [(hit.rule, hit.action) for hit in item.hits] if item else []


def test_a_plain_post_from_a_member_goes_live_unqueued(db, rules_on):
    author = veteran(db.session)
    post = make_reply(db.session, open_thread(db.session), author, body="Restart the Hub.")
    assert post.status == PostStatus.VISIBLE and hits_of(db.session, post) == []
    assert (
        db.session.scalar(select(Screening).where(Screening.post_id == post.id)).action == "allow"
    )


def test_watched_term_block_refuses_with_the_rule_message(db, rules_on):
    admin = make_user(db.session, role=Role.ADMIN)
    add_term(db.session, admin, term="scam", is_regex=False, whole_word=True, action="block")
    thread = open_thread(db.session)
    author = veteran(db.session)
    with pytest.raises(ValidationFailed, match="watched term “scam”") as error:
        community_service.reply(db.session, author, thread, body="This offer is a SCAM.")
    assert error.value.field == "body"


def test_watched_term_hold_and_flag(db, rules_on):
    admin = make_user(db.session, role=Role.ADMIN)
    add_term(
        db.session, admin, term=r"free\s+iphones?", is_regex=True, whole_word=True, action="hold"
    )
    add_term(db.session, admin, term="lawyer", is_regex=False, whole_word=True, action="flag")
    author, thread = veteran(db.session), open_thread(db.session)
    held = make_reply(db.session, thread, author, body="Win a FREE  iPhone today")
    flagged = make_reply(db.session, thread, author, body="Ask a lawyer about that bill.")
    assert held.status == PostStatus.HELD and hits_of(db.session, held) == [
        ("watched_term", "hold")
    ]
    assert flagged.status == PostStatus.VISIBLE
    assert hits_of(db.session, flagged) == [("watched_term", "flag")]
    assert queue.open_count(db.session) == 2


def test_first_posts_of_new_accounts_are_held(db, rules_on):
    newcomer, thread = make_user(db.session), open_thread(db.session)
    first = make_reply(db.session, thread, newcomer, body="Same problem here on the Hub 3.")
    assert first.status == PostStatus.HELD
    assert hits_of(db.session, first) == [("new_account", "hold")]
    assert queue.hold_reasons(db.session, first) == [
        "Posts from new members are reviewed before they appear"
    ]
    rules_on["MODERATION_NEW_ACCOUNT_HELD_POSTS"] = 0
    assert make_reply(db.session, thread, newcomer).status == PostStatus.VISIBLE


def test_many_links_from_low_reputation_are_held(db, rules_on):
    author, thread = veteran(db.session), open_thread(db.session)
    links = "see https://a.example https://b.example https://c.example"
    assert make_reply(db.session, thread, author, body=links).status == PostStatus.HELD
    assert make_reply(db.session, thread, author, body="see https://a.example").is_visible


@pytest.mark.parametrize(
    "text, kind",
    [
        ("write to me at jordan@example.com", "e-mail address"),
        ("call 06 12 34 56 78", "phone number"),
        ("my card 4539 1488 0343 6467 was charged twice", "card number"),
    ],
)
def test_personal_data_is_held_and_the_author_is_told_why(db, rules_on, text, kind):
    author, thread = veteran(db.session), open_thread(db.session)
    post = make_reply(db.session, thread, author, body=text)
    assert post.status == PostStatus.HELD
    assert f"personal data ({kind})" in queue.hold_reasons(db.session, post)[0]


def test_questions_are_screened_title_included(db, rules_on):
    admin = make_user(db.session, role=Role.ADMIN)
    add_term(db.session, admin, term="crypto", is_regex=False, whole_word=True, action="hold")
    author = veteran(db.session)
    thread = make_thread(db.session, author, title="Crypto mining on the Hub?", body="Possible?")
    assert thread.question.status == PostStatus.HELD


def test_identical_text_in_other_threads_is_held(db, rules_on):
    spam = "Cheap routers at the best price, visit my shop for amazing deals today"
    first, second = veteran(db.session, posts=3), veteran(db.session, posts=3)
    assert make_reply(db.session, open_thread(db.session), first, body=spam).is_visible
    copy = make_reply(db.session, open_thread(db.session), second, body=spam.upper() + "!!")
    assert copy.status == PostStatus.HELD and ("duplicate", "hold") in hits_of(db.session, copy)
    # Short texts are never duplicates; the same thread is not "elsewhere".
    assert make_reply(db.session, open_thread(db.session), second, body="Thanks!").is_visible


def test_posting_too_fast_is_slowed_down(db, rules_on):
    rules_on["MODERATION_RATE_LIMIT_POSTS"] = 2
    author, thread = veteran(db.session), open_thread(db.session)
    make_reply(db.session, thread, author, body="A first answer.")
    make_reply(db.session, thread, author, body="A second answer.")
    with pytest.raises(TooManyAttempts, match="Wait a few minutes"):
        make_reply(db.session, thread, author, body="A third answer.")


def test_staff_skip_all_rules_but_watched_terms(db, rules_on):
    agent, thread = make_user(db.session, role=Role.AGENT), open_thread(db.session)
    post = make_reply(db.session, thread, agent, body="Call us on 020 7946 0958.")
    assert post.is_visible


def test_held_posts_are_invisible_to_others_and_lists(db, rules_on):
    newcomer, reader = make_user(db.session), make_user(db.session)
    moderator = make_user(db.session, role=Role.MODERATOR)
    thread = make_thread(db.session, newcomer, title="My first question here", body="Hello?")
    question = thread.question
    assert question.status == PostStatus.HELD
    listed = db.session.scalars(queries.thread_list()).all()
    assert thread not in listed
    assert not queries.can_see_thread(reader, thread)
    assert queries.can_see_thread(newcomer, thread) and queries.can_see_thread(moderator, thread)
    reply = make_reply(db.session, open_thread(db.session), newcomer, body="A held reply.")
    assert reply not in queries.replies_for(reader, reply.thread)
    assert reply in queries.replies_for(newcomer, reply.thread)
    assert reply.thread.reply_count == 0


def test_rule_hits_are_recorded_with_rule_and_reason(db, rules_on):
    newcomer, thread = make_user(db.session), open_thread(db.session)
    post = make_reply(db.session, thread, newcomer, body="mail me: sam@example.com")
    rows = db.session.scalars(select(RuleHitRecord).order_by(RuleHitRecord.rule)).all()
    assert [(r.rule, r.action) for r in rows] == [
        ("new_account", "hold"),
        ("personal_data", "hold"),
    ]
    assert all(r.reason for r in rows) and rows[0].item.post_id == post.id


# Reports


def test_reports_bad_input(db):
    author, reader = make_user(db.session), make_user(db.session)
    post = make_thread(db.session, author).question
    with pytest.raises(PermissionDenied):
        flags.flag_post(db.session, author, post, category="spam")
    with pytest.raises(NotFound):
        flags.flag_post(db.session, reader, None, category="spam")
    with pytest.raises(ValidationFailed, match="what is wrong"):
        flags.flag_post(db.session, reader, post, category="other")
    with pytest.raises(ValidationFailed):
        flags.flag_post(db.session, reader, post, category="boring")
    flags.flag_post(db.session, reader, post, category="spam")
    with pytest.raises(Conflict, match="already reported"):
        flags.flag_post(db.session, reader, post, category="abusive")


def test_three_distinct_reports_hide_the_post(db, app, changes):
    thread = open_thread(db.session)
    post = make_reply(db.session, thread)
    db.session.commit()
    reporters = [make_member(db.session) for _ in range(3)]
    flags.flag_post(db.session, reporters[0], post, category="spam")
    flags.flag_post(db.session, reporters[1], post, category="abusive")
    assert post.is_visible and queue.open_count(db.session) == 1
    flags.flag_post(db.session, reporters[2], post, category="off_topic")
    assert post.status == PostStatus.HIDDEN and thread.reply_count == 0
    db.session.commit()
    assert (thread.id, post.id, "post_hidden") in changes


def test_threshold_is_a_setting(db, app, monkeypatch):
    monkeypatch.setitem(app.config, "MODERATION_FLAG_THRESHOLD", 1)
    post = make_reply(db.session, open_thread(db.session))
    flags.flag_post(db.session, make_member(db.session), post, category="spam")
    assert post.status == PostStatus.HIDDEN


@pytest.mark.parametrize("role", [Role.SUPERUSER, Role.MODERATOR, Role.AGENT, Role.ADMIN])
def test_one_report_from_a_trusted_member_hides(db, role):
    post = make_reply(db.session, open_thread(db.session))
    flags.flag_post(db.session, make_user(db.session, role=role), post, category="spam")
    assert post.status == PostStatus.HIDDEN


def reports(session, post, reporters) -> None:
    for reporter in reporters:
        flags.flag_post(session, reporter, post, category="spam")


def test_new_accounts_reports_alone_never_hide_an_established_members_post(db):
    """Three throwaway accounts hid any post; ten still leave it up, queued for a moderator."""
    post = make_reply(db.session, open_thread(db.session), make_member(db.session))
    reports(db.session, post, [make_user(db.session) for _ in range(10)])
    assert post.status == PostStatus.VISIBLE
    item = queue.item_for(db.session, post)
    assert item.status == "open" and queue.open_count(db.session) == 1
    assert db.session.scalar(select(func.count(Flag.id)).where(Flag.post_id == post.id)) == 10


def test_a_new_accounts_report_counts_as_a_fraction(db, app):
    """On a newcomer's post, new accounts' reports add up at their fractional weight."""
    weight = app.config["MODERATION_FLAG_NEW_ACCOUNT_WEIGHT"]
    needed = round(app.config["MODERATION_FLAG_THRESHOLD"] / weight)
    post = make_reply(db.session, open_thread(db.session))  # by a brand-new member
    reports(db.session, post, [make_user(db.session) for _ in range(needed - 1)])
    assert post.status == PostStatus.VISIBLE
    reports(db.session, post, [make_user(db.session)])
    assert post.status == PostStatus.HIDDEN


def test_one_member_of_standing_with_new_accounts_can_hide_a_members_post(db, app, monkeypatch):
    monkeypatch.setitem(app.config, "MODERATION_FLAG_NEW_ACCOUNT_WEIGHT", 0.5)
    post = make_reply(db.session, open_thread(db.session), make_member(db.session))
    reports(db.session, post, [make_user(db.session) for _ in range(4)])  # 4 × 0.5 = 2
    assert post.status == PostStatus.VISIBLE
    reports(db.session, post, [make_member(db.session)])  # + 1 = 3
    assert post.status == PostStatus.HIDDEN


@pytest.mark.parametrize(
    "days, published, counts_in_full",
    [(30, True, True), (3, True, False), (30, False, False), (8, True, True)],
)
def test_standing_is_age_and_a_published_post(db, app, days, published, counts_in_full):
    """Younger than MODERATION_FLAG_NEW_ACCOUNT_DAYS (7) or nothing published: a fraction."""
    from datetime import timedelta

    from portal.database import utcnow

    reporter = make_member(db.session, days=days) if published else make_user(db.session)
    reporter.created_at = utcnow() - timedelta(days=days)
    expected = 1.0 if counts_in_full else app.config["MODERATION_FLAG_NEW_ACCOUNT_WEIGHT"]
    assert flags.report_weight(db.session, reporter) == expected


def test_weights_are_settings(db, app, monkeypatch):
    monkeypatch.setitem(app.config, "MODERATION_FLAG_NEW_ACCOUNT_DAYS", 0)
    post = make_reply(db.session, open_thread(db.session), make_member(db.session))
    # Newcomers who published count in full when the new-account period is 0 days.
    reporters = [make_user(db.session) for _ in range(3)]
    for reporter in reporters:
        make_thread(db.session, reporter)
    reports(db.session, post, reporters)
    assert post.status == PostStatus.HIDDEN


def test_a_hidden_solution_is_dropped(db):
    thread = open_thread(db.session)
    answer = make_reply(db.session, thread)
    community_service.accept_solution(db.session, thread.author, thread, answer)
    flags.flag_post(db.session, make_user(db.session, role=Role.SUPERUSER), answer, category="spam")
    db.session.expire(thread)
    assert thread.solution is None


def test_held_thread_stays_out_of_search_events_until_approved(db, rules_on, changes):
    thread = make_thread(db.session, make_user(db.session), title="Held question title")
    db.session.commit()
    assert [c for c in changes if c[0] == thread.id] == []
    assert db.session.get(Thread, thread.id).question.status == PostStatus.HELD


def test_reporters_are_not_told_before_a_moderator_decides(db):
    post = make_reply(db.session, open_thread(db.session))
    flags.flag_post(db.session, make_user(db.session), post, category="spam")
    kinds = db.session.scalars(select(Notification.kind)).all()
    assert "flag_handled" not in kinds and post.is_visible


def test_authors_edits_pass_the_content_rules(db, rules_on):
    admin = make_user(db.session, role=Role.ADMIN)
    add_term(db.session, admin, term="scam", is_regex=False, whole_word=True, action="block")
    author, thread = veteran(db.session), open_thread(db.session)
    post = make_reply(db.session, thread, author, body="Restart the Hub.")
    with pytest.raises(ValidationFailed, match="watched term “scam”"):
        community_service.edit_post(db.session, author, post, body="Total scam.")
    community_service.edit_post(db.session, author, post, body="Mail me: me@example.com")
    assert post.is_visible
    assert hits_of(db.session, post) == [("personal_data", "hold")]
    assert queue.item_for(db.session, post).hits[0].reason.startswith("After an edit:")
