"""A deleted account in moderation: the audit log keeps only its id, through its triggers."""

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from community import service as community_service
from moderation import appeals, audit, flags
from moderation.models import Appeal, AuditEntry, Flag
from portal import privacy
from portal import service as portal_service
from portal.extensions import db as _db
from portal.models import DELETED_NAME
from portal.permissions import Role
from tests.factories import PASSWORD, make_reply, make_thread, make_user
from tests.portal.test_setup import fresh_database_url, migrated_app


def entries(session) -> list[tuple[str, str, str]]:
    rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    return [(row.actor_name, row.action, row.target_label) for row in rows]


def test_the_audit_log_names_a_deleted_account_by_its_id_only(db):
    admin = make_user(db.session, "ada", role=Role.ADMIN)
    moderator = make_user(db.session, "moe", role=Role.MODERATOR)
    member = make_user(db.session, "jordan")
    portal_service.suspend_user(db.session, moderator, member, reason="Rude", days=3)
    portal_service.change_role(db.session, admin, moderator, Role.CUSTOMER)
    portal_service.change_role(db.session, admin, moderator, Role.MODERATOR)

    privacy.delete_account(db.session, member, member, password=PASSWORD)
    privacy.delete_account(db.session, admin, moderator, reason="Left the team")

    assert entries(db.session) == [
        (DELETED_NAME, "user.suspended", DELETED_NAME),
        ("ada", "user.role_changed", DELETED_NAME),
        ("ada", "user.role_changed", DELETED_NAME),
        (DELETED_NAME, "user.deleted", DELETED_NAME),
        ("ada", "user.deleted", DELETED_NAME),
    ]
    deletions = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.deleted"))
    assert [(e.actor_id, e.target_id, e.reason) for e in deletions] == [
        (member.id, member.id, "deleted by the member"),
        (admin.id, moderator.id, "Left the team"),
    ]
    assert db.session.scalars(audit.search(actor="jordan")).all() == []


def test_appeals_go_reports_stay_without_a_name(db):
    thread = make_thread(db.session)
    reporter, author = make_user(db.session), make_user(db.session)
    reported = make_reply(db.session, thread, make_user(db.session))
    flags.flag_post(db.session, reporter, reported, category="spam", note="Looks like spam")
    removed = make_reply(db.session, thread, author)
    community_service.hide_post(
        db.session, make_user(db.session, role=Role.MODERATOR), removed, reason="Off-topic"
    )
    appeals.appeal(db.session, author, removed, message="It was on topic")

    for user in (reporter, author):
        privacy.delete_account(db.session, user, user, password=PASSWORD)

    assert db.session.scalars(select(Appeal)).all() == []
    flag = db.session.scalar(select(Flag))
    assert flag.reporter_id == reporter.id and flag.reporter.name == DELETED_NAME


def test_download_lists_reports_appeals_and_decisions_about_the_account(db):
    moderator, member = make_user(db.session, "moe", role=Role.MODERATOR), make_user(db.session)
    reported = make_reply(db.session, make_thread(db.session))
    flags.flag_post(db.session, member, reported, category="spam", note="Spam link")
    portal_service.suspend_user(db.session, moderator, member, reason="Rude", days=3)

    data = privacy.collect_data(db.session, member)["moderation"]

    assert data["reports_filed"][0]["note"] == "Spam link"
    assert [(d["action"], d["reason"]) for d in data["decisions_about_your_account"]] == [
        ("user.suspended", "Rude")
    ]
    assert "moe" not in str(data)  # not who decided


def test_deleting_accounts_passes_the_audit_logs_triggers(database_url, tmp_path):
    """On a migrated database (migration 0013's triggers), not the tests' create_all one:
    the names go, and every other change to the log is still refused."""
    url, drop = fresh_database_url(database_url, tmp_path)
    try:
        app = migrated_app(url, tmp_path)
        with app.app_context():
            session = _db.session
            admin = make_user(session, "ada", role=Role.ADMIN)
            moderator = make_user(session, "moe", role=Role.MODERATOR)
            member = make_user(session, "jordan")
            portal_service.suspend_user(session, moderator, member, reason="Rude", days=3)
            session.commit()

            privacy.delete_account(session, member, member, password=PASSWORD)
            privacy.delete_account(session, admin, moderator)
            session.commit()

            assert {name for name, _, _ in entries(session)} == {DELETED_NAME, "ada"}
            refused = [
                "UPDATE moderation_audit_log SET reason = 'rewritten'",
                f"UPDATE moderation_audit_log SET actor_name = '{DELETED_NAME}' "
                f"WHERE actor_id = {admin.id}",  # ada's account is not deleted
                f"UPDATE moderation_audit_log SET target_label = '{DELETED_NAME}', "
                f"target_id = {admin.id} WHERE target_id = {member.id}",
                "UPDATE moderation_audit_log SET actor_name = 'someone else' "
                f"WHERE actor_id = {member.id}",
                "DELETE FROM moderation_audit_log",
            ]
            for statement in refused:
                with pytest.raises(DBAPIError, match="append-only"), _db.engine.begin() as c:
                    c.execute(text(statement))
            _db.engine.dispose()
    finally:
        drop()
