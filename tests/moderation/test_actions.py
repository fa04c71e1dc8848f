"""Moderator actions on queue items, appeals, the audit log and watched terms (no HTTP)."""

import pytest
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from community.models import PostRevision, PostStatus
from moderation import actions, appeals, audit, flags, queue, terms
from moderation.models import Appeal, AuditEntry, Flag, QueueItem
from portal import events
from portal import service as portal_service
from portal.errors import Conflict, PermissionDenied, ValidationFailed
from portal.notifications import Notification
from portal.permissions import Role
from tests.factories import make_member, make_reply, make_thread, make_user
from tests.moderation.conftest import rules_relaxed


@pytest.fixture
def changes():
    seen = []

    def record(sender, **data):
        seen.append((data["post_id"], data["change"]))

    events.subscribe("community.thread_changed", record)
    yield seen
    events.unsubscribe("community.thread_changed", record)


@pytest.fixture
def moderator(db):
    return make_user(db.session, "mod", role=Role.MODERATOR)


def held_reply(db, rules_on, body="Mail me at newbie@example.com please"):
    with rules_relaxed(rules_on):
        thread = make_thread(db.session)
    post = make_reply(db.session, thread, make_user(db.session), body=body)
    assert post.status == PostStatus.HELD
    return post, queue.item_for(db.session, post)


def reported_reply(db, reporters=3):
    with rules_relaxed(current_app.config):
        post = make_reply(db.session, make_thread(db.session))
        flagged_by = [make_member(db.session) for _ in range(reporters)]
    for user in flagged_by:
        flags.flag_post(db.session, user, post, category="spam")
    return post, queue.item_for(db.session, post), flagged_by


def audit_actions(db) -> list[str]:
    return db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()


def notifications_of(db, user) -> list[str]:
    query = select(Notification.message).where(Notification.user_id == user.id)
    return db.session.scalars(query).all()


def test_approve_publishes_a_held_post_and_tells_the_author(db, rules_on, moderator, changes):
    post, item = held_reply(db, rules_on)
    actions.approve(db.session, moderator, item, item.revision, reason="Fine after all")
    assert post.status == PostStatus.VISIBLE and item.status == "resolved"
    assert item.resolution == "approved" and all(hit.cleared_at for hit in item.hits)
    assert "was approved" in notifications_of(db, post.author)[0]
    assert audit_actions(db) == ["post.approved"]
    db.session.commit()
    assert (post.id, "reply_created") in changes  # through community.service.go_live


def test_a_handled_item_is_not_handled_twice(db, rules_on, moderator):
    post, item = held_reply(db, rules_on)
    seen = item.revision
    actions.approve(db.session, moderator, item, seen)
    other = make_user(db.session, role=Role.MODERATOR, time_zone="Asia/Tokyo")
    # When it was handled reads in the second moderator's own zone.
    with pytest.raises(Conflict, match=r"Already handled: approved by mod\w* on .*, \d\d:\d\d JST"):
        actions.remove(db.session, other, item, seen, how="hide", reason="spam")
    with pytest.raises(Conflict):
        actions.approve(db.session, other, item, seen)
    assert post.status == PostStatus.VISIBLE and audit_actions(db) == ["post.approved"]


def test_approve_after_reports_restores_and_tells_reporters(db, moderator, changes):
    post, item, reporters = reported_reply(db)
    assert post.status == PostStatus.HIDDEN
    actions.approve(db.session, moderator, item, item.revision)
    assert post.status == PostStatus.VISIBLE and post.thread.reply_count == 1
    assert all(flag.outcome == "kept" for flag in db.session.scalars(select(Flag)))
    for reporter in reporters:
        assert "left it up" in notifications_of(db, reporter)[0]
    db.session.commit()
    assert (post.id, "post_restored") in changes
    assert audit_actions(db) == ["post.hidden_by_reports", "post.approved"]


@pytest.mark.parametrize("how, status", [("hide", "hidden"), ("delete", "deleted")])
def test_remove_needs_a_reason_and_tells_author_and_reporters(db, moderator, changes, how, status):
    post, item, reporters = reported_reply(db, reporters=1)
    with pytest.raises(ValidationFailed, match="reason"):
        actions.remove(db.session, moderator, item, item.revision, how=how, reason=" ")
    actions.remove(db.session, moderator, item, item.revision, how=how, reason="Spam links")
    assert post.status == status and post.removed_by_id == moderator.id
    assert "removed your reply" in notifications_of(db, post.author)[0]
    assert "Spam links" in notifications_of(db, post.author)[0]
    assert "removed it" in notifications_of(db, reporters[0])[0]
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.actor_name, entry.reason) == (f"post.{status}", "mod", "Spam links")
    db.session.commit()
    assert (post.id, f"post_{status}") in changes


def test_edit_is_kept_in_history_and_audited_with_before_and_after(db, rules_on, moderator):
    post, item = held_reply(db, rules_on, body="Mail me at newbie@example.com please")
    actions.edit(
        db.session, moderator, item, item.revision, body="Mail me (address removed) please",
        reason="personal data",
    )  # fmt: skip
    revision = db.session.scalar(select(PostRevision))
    assert revision.previous_body == "Mail me at newbie@example.com please"
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.action, entry.before_text, entry.after_text) == (
        "post.edited",
        "Mail me at newbie@example.com please",
        "Mail me (address removed) please",
    )
    with pytest.raises(Conflict):  # a stale form
        actions.edit(db.session, moderator, item, item.revision - 1, body="x")


def test_lock_close_and_suspend_are_audited(db, moderator):
    post, item, _ = reported_reply(db, reporters=1)
    original = make_thread(db.session)
    actions.lock_thread(db.session, moderator, item)
    with pytest.raises(Conflict, match="already locked"):
        actions.lock_thread(db.session, moderator, item)
    actions.close_duplicate(db.session, moderator, item, original=str(original.id))
    actions.suspend_author(db.session, moderator, item, reason="Spam", days=7)
    assert post.author.is_suspended
    with pytest.raises(Conflict, match="already suspended"):
        actions.suspend_author(db.session, moderator, item, reason="Spam", days=7)
    assert audit_actions(db)[-3:] == ["thread.locked", "thread.closed_duplicate", "user.suspended"]


def test_bulk_approve_and_hide_skip_handled_items(db, rules_on, moderator):
    first, first_item = held_reply(db, rules_on)
    second, second_item = held_reply(db, rules_on, body="Call 06 12 34 56 78")
    choices = [(first_item.id, first_item.revision), (second_item.id, second_item.revision)]
    actions.approve(db.session, moderator, first_item, first_item.revision)
    done, skipped = actions.bulk(db.session, moderator, choices, how="hide", reason="Personal data")
    assert done == 1 and "Already handled" in skipped[0]
    assert first.status == PostStatus.VISIBLE and second.status == PostStatus.HIDDEN


def test_only_moderators_act(db, rules_on):
    post, item = held_reply(db, rules_on)
    for role in (Role.CUSTOMER, Role.SUPERUSER, Role.AGENT):
        with pytest.raises(PermissionDenied):
            actions.approve(db.session, make_user(db.session, role=role), item, item.revision)


def test_appeal_once_per_removal_reopens_the_item(db, moderator):
    post, item, _ = reported_reply(db, reporters=1)
    actions.remove(db.session, moderator, item, item.revision, how="hide", reason="Off-topic")
    with pytest.raises(PermissionDenied):
        appeals.appeal(db.session, make_user(db.session), post, message="Not mine")
    with pytest.raises(ValidationFailed):
        appeals.appeal(db.session, post.author, post, message="  ")
    appeals.appeal(db.session, post.author, post, message="It was on topic.")
    with pytest.raises(Conflict, match="already appealed"):
        appeals.appeal(db.session, post.author, post, message="Again")
    assert item.status == "open"
    assert db.session.scalars(queue.queue_statement("appeals")).all() == [item]
    assert appeals.removal_reason(db.session, post) == "Off-topic"
    actions.approve(db.session, moderator, item, item.revision, reason="Fair point")
    assert post.status == PostStatus.VISIBLE
    assert db.session.scalar(select(Appeal.status)) == "granted"
    assert audit_actions(db)[-1] == "appeal.granted"


def test_a_denied_appeal_keeps_the_post_removed(db, moderator):
    post, item, _ = reported_reply(db, reporters=1)
    actions.remove(db.session, moderator, item, item.revision, how="hide", reason="Spam")
    appeals.appeal(db.session, post.author, post, message="Please")
    actions.remove(db.session, moderator, item, item.revision, how="hide", reason="Still spam")
    assert post.status == PostStatus.HIDDEN and audit_actions(db)[-1] == "appeal.denied"
    assert "appeal" in notifications_of(db, post.author)[-1]


def test_self_deleted_posts_cannot_be_appealed(db):
    post = make_reply(db.session, make_thread(db.session))
    from community import service as community_service

    community_service.delete_post(db.session, post.author, post)
    with pytest.raises(PermissionDenied):
        appeals.appeal(db.session, post.author, post, message="oops")


def test_author_history(db, moderator):
    post, item, _ = reported_reply(db, reporters=1)
    actions.remove(db.session, moderator, item, item.revision, how="hide", reason="Spam")
    history = queue.author_history(db.session, post.author)
    assert history.removed_posts == 1 and history.visible_posts == 0


# Audit log


def test_the_audit_log_is_append_only_in_the_orm(db):
    entry = audit.record(db.session, None, "test", target_type="user", target_id=1)
    db.session.flush()
    entry.reason = "rewritten"
    with pytest.raises(PermissionDenied):
        db.session.flush()
    db.session.rollback()
    entry = audit.record(db.session, None, "test", target_type="user", target_id=1)
    db.session.flush()
    db.session.delete(entry)
    with pytest.raises(PermissionDenied):
        db.session.flush()


def test_admin_role_and_suspension_actions_are_logged(db):
    admin, member = make_user(db.session, role=Role.ADMIN), make_user(db.session, "member")
    portal_service.change_role(db.session, admin, member, Role.MODERATOR)
    portal_service.change_role(db.session, admin, member, Role.CUSTOMER)
    portal_service.suspend_user(db.session, admin, member, reason="Rude", days=None)
    portal_service.unsuspend_user(db.session, admin, member)
    rows = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(r.action, r.before_text, r.after_text) for r in rows[:2]] == [
        ("user.role_changed", "customer", "moderator"),
        ("user.role_changed", "moderator", "customer"),
    ]
    assert [r.action for r in rows[2:]] == ["user.suspended", "user.unsuspended"]
    assert rows[2].reason == "Rude" and rows[2].actor_name == admin.username


def test_community_buttons_pressed_by_moderators_are_logged(db, moderator):
    from community import service as community_service

    thread = make_thread(db.session)
    reply = make_reply(db.session, thread)
    community_service.edit_post(db.session, moderator, reply, body="Tidied up.")
    community_service.hide_post(db.session, moderator, reply, reason="Rude")
    community_service.lock_thread(db.session, moderator, thread)
    community_service.delete_post(db.session, thread.author, thread.question)  # the author: no
    assert audit_actions(db) == ["post.edited", "post.hidden", "thread.locked"]


def test_audit_search(db, moderator):
    post, item, _ = reported_reply(db, reporters=1)
    actions.remove(db.session, moderator, item, item.revision, how="hide", reason="Spam links")
    found = db.session.scalars(audit.search(text="spam links", actor="mod")).all()
    assert [e.action for e in found] == ["post.hidden"]
    assert db.session.scalars(audit.search(action="post.approved")).all() == []


def test_migration_triggers_refuse_update_and_delete(database_url, tmp_path):
    """The database guard of migration 0005 (the test tables come from create_all)."""
    from portal import create_app
    from portal.extensions import db as _db
    from tests.portal.test_setup import fresh_database_url

    url, drop = fresh_database_url(database_url, tmp_path)
    try:
        app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            with _db.engine.begin() as connection:
                connection.execute(
                    text(
                        "INSERT INTO moderation_audit_log (at, actor_name, action, target_type, "
                        "target_label, reason) VALUES (CURRENT_TIMESTAMP, 'ada', 'test', 'user', "
                        "'', '')"
                    )
                )
            for statement in (
                "UPDATE moderation_audit_log SET reason = 'rewritten'",
                "DELETE FROM moderation_audit_log",
            ):
                with (
                    pytest.raises(DBAPIError, match="append-only"),
                    _db.engine.begin() as connection,
                ):
                    connection.execute(text(statement))
            _db.engine.dispose()
    finally:
        drop()


# Watched terms


@pytest.mark.parametrize(
    "term, is_regex, message",
    [("(unclosed", True, "does not compile"), ("(a+)+$", True, "too long"), ("", False, "Give")],
)
def test_bad_watched_terms_are_refused(db, term, is_regex, message):
    admin = make_user(db.session, role=Role.ADMIN)
    with pytest.raises(ValidationFailed, match=message) as error:
        terms.add_term(
            db.session, admin, term=term, is_regex=is_regex, whole_word=False, action="hold"
        )
    assert error.value.field == "term"


def test_watched_terms_are_admin_only_and_audited(db):
    admin = make_user(db.session, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        terms.add_term(
            db.session, make_user(db.session, role=Role.MODERATOR), term="x", is_regex=False,
            whole_word=True, action="flag",
        )  # fmt: skip
    record = terms.add_term(
        db.session, admin, term="scam", is_regex=False, whole_word=True, action="flag"
    )
    terms.update_term(
        db.session, admin, record, term="scam", is_regex=False, whole_word=True, action="block"
    )
    terms.delete_term(db.session, admin, record)
    rows = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [r.action for r in rows] == ["rule.term_added", "rule.term_changed", "rule.term_deleted"]
    assert "flag" in rows[1].before_text and "block" in rows[1].after_text


def test_queue_filters(db, rules_on, moderator):
    held, _ = held_reply(db, rules_on)
    hidden, _, _ = reported_reply(db)
    assert db.session.scalars(queue.queue_statement("held")).all()[0].post == held
    assert db.session.scalars(queue.queue_statement("hidden")).all()[0].post == hidden
    assert len(db.session.scalars(queue.queue_statement("open", rule="personal_data")).all()) == 1
    assert queue.open_count(db.session) == 2
    assert db.session.scalar(select(QueueItem.id).where(QueueItem.status == "resolved")) is None


def test_removal_from_the_thread_page_tells_the_author(db, moderator):
    from community import service as community_service

    reply = make_reply(db.session, make_thread(db.session))
    community_service.delete_post(db.session, moderator, reply)
    assert "removed your reply" in notifications_of(db, reply.author)[0]
    assert audit_actions(db) == ["post.deleted"]


def test_suspending_a_spammer_hides_their_held_posts_in_the_queue(db, rules_on, moderator):
    with rules_relaxed(rules_on):
        threads = [make_thread(db.session) for _ in range(3)]
    spammer = make_user(db.session, "spammer")
    held = [
        make_reply(db.session, thread, spammer, body=f"Cheap boosters! Mail deals{n}@example.com")
        for n, thread in enumerate(threads[:2])
    ]
    assert all(post.status == PostStatus.HELD for post in held)
    with rules_relaxed(rules_on):
        visible = make_reply(db.session, threads[2], spammer, body="An honest earlier answer.")
    other, other_item = held_reply(db, rules_on)  # someone else's held post stays
    item = queue.item_for(db.session, held[0])

    actions.suspend_author(db.session, moderator, item, reason="Spam", days=None)

    for post in held:
        assert post.status == PostStatus.HIDDEN
        found = db.session.scalar(select(QueueItem).where(QueueItem.post_id == post.id))
        assert found.status == "resolved" and found.resolution == "hidden"
    assert visible.status == PostStatus.VISIBLE and other.status == PostStatus.HELD
    assert other_item.status == "open" and queue.open_count(db.session) == 1
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "post.hidden").order_by(AuditEntry.id)
    ).all()
    assert [e.target_id for e in entries] == [post.id for post in held]
    assert all(e.reason == "Author suspended: Spam" for e in entries)
    assert "user.suspended" in audit_actions(db)
