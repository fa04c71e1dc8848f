"""Data rights in the foundation: deleting an account, downloading one's data, pruning
sign-in attempts. The other packages' parts are tested beside them (test_privacy.py)."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal import notifications, privacy
from portal.database import utcnow
from portal.errors import PermissionDenied, ValidationFailed
from portal.extensions import db as _db
from portal.jobs.models import Job
from portal.mail import MAIL_JOB, send_later
from portal.models import DELETED_NAME, LoginAttempt, User
from portal.notifications import Notification
from portal.permissions import Role
from tests.factories import PASSWORD, make_user
from tests.portal.test_sessions import copy_of, is_signed_in, sign_in


def count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_deleting_an_account_erases_who_it_was_and_keeps_its_id(db):
    user = make_user(db.session, "jordan", display_name="Jordan Lee", bio="Likes routers")
    user.time_zone, user.last_login_at, token = "Europe/Paris", utcnow(), user.session_token
    other = make_user(db.session, "sam")
    db.session.add_all(
        [
            LoginAttempt(identifier="jordan", user_id=user.id, ip_address="203.0.113.9"),
            LoginAttempt(identifier="jordan@example.com", ip_address="203.0.113.9"),
            LoginAttempt(identifier="sam", user_id=other.id, ip_address="198.51.100.1"),
        ]
    )
    notifications.notify(db.session, user, kind="reply", message="For jordan")
    notifications.notify(db.session, other, kind="reply", message="jordan replied", actor=user)
    notifications.notify(db.session, other, kind="reply", message="Kept for sam")
    send_later(db.session, to="jordan@example.com", subject="Hello", body="Waiting to leave")
    db.session.flush()

    privacy.delete_account(db.session, user, user, password=PASSWORD)

    assert (user.id, user.username, user.email) == (user.id, f"deleted:{user.id}", user.username)
    assert user.name == DELETED_NAME and user.deleted_at is not None
    assert (user.display_name, user.bio, user.time_zone, user.last_login_at) == ("", "", None, None)
    assert not user.check_password(PASSWORD) and user.session_token != token
    assert user.role == Role.CUSTOMER and not user.email_notifications
    assert [a.identifier for a in db.session.scalars(select(LoginAttempt))] == ["sam"]
    assert [n.message for n in db.session.scalars(select(Notification))] == ["Kept for sam"]
    assert count(db, Job, Job.name == MAIL_JOB) == 0
    # A deleted account is told nothing more.
    assert notifications.notify(db.session, user, kind="reply", message="Too late") is None


def test_a_member_confirms_with_their_password(db):
    user = make_user(db.session)
    with pytest.raises(ValidationFailed) as refused:
        privacy.delete_account(db.session, user, user, password="not it")
    assert refused.value.field == "password" and user.deleted_at is None


def test_only_admins_delete_someone_else_and_the_last_admin_stays(db):
    admin, member = make_user(db.session, role=Role.ADMIN), make_user(db.session)
    moderator = make_user(db.session, role=Role.MODERATOR)
    with pytest.raises(PermissionDenied):
        privacy.delete_account(db.session, moderator, member)
    with pytest.raises(ValidationFailed, match="last admin"):
        privacy.delete_account(db.session, admin, admin, password=PASSWORD)

    second = make_user(db.session, role=Role.ADMIN)
    privacy.delete_account(db.session, second, member, reason="Asked by e-mail")
    privacy.delete_account(db.session, admin, admin, password=PASSWORD)  # `second` remains
    assert member.is_deleted and admin.is_deleted
    with pytest.raises(PermissionDenied):  # once is enough
        privacy.delete_account(db.session, second, member)
    with pytest.raises(ValidationFailed, match="last admin"):
        privacy.delete_account(db.session, second, second, password=PASSWORD)


def test_settings_explain_then_delete_and_sign_out_everywhere(client, jordan, app):
    sign_in(client, jordan)
    other_browser = copy_of(client, "session", "remember_token")
    page = client.get("/settings/delete-account")
    assert page.status_code == 200 and b"Erased for good" in page.data
    assert b"Kept, signed \xe2\x80\x9cDeleted member\xe2\x80\x9d" in page.data

    refused = client.post("/settings/delete-account", data={"password": "wrong", "understood": "y"})
    assert refused.status_code == 422 and b"That is not your password." in refused.data
    unticked = client.post("/settings/delete-account", data={"password": PASSWORD})
    assert unticked.status_code == 422 and b"Tick the box" in unticked.data

    done = client.post("/settings/delete-account", data={"password": PASSWORD, "understood": "y"})
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert not is_signed_in(client) and not is_signed_in(other_browser)
    assert (
        client.post("/login", data={"identifier": jordan, "password": PASSWORD}).status_code == 422
    )
    assert client.get(f"/u/{jordan}").status_code == 404
    with app.app_context():  # the name is free again
        make_user(_db.session, jordan)


def test_admin_deletes_an_account_after_typing_its_name(client, app):
    with app.app_context():
        make_user(_db.session, "ada", role=Role.ADMIN)
        member_id = make_user(_db.session, "jordan").id
        _db.session.commit()
    sign_in(client, "ada")
    page = client.get("/admin/users/jordan")
    assert b"Delete the account" in page.data
    slip = client.post("/admin/users/jordan/delete", data={"username": "jorda"})
    assert slip.status_code == 422 and b"Type jordan to confirm." in slip.data
    done = client.post("/admin/users/jordan/delete", data={"username": "Jordan", "reason": "GDPR"})
    assert done.status_code == 302
    assert b"jordan" not in client.get("/admin/users").data
    assert client.get("/admin/users/jordan").status_code == 404
    assert client.post("/admin/users/ada/delete", data={"username": "ada"}).status_code == 403
    with app.app_context():
        assert _db.session.get(User, member_id).is_deleted


def test_download_my_data_is_a_json_file_of_every_package(client, jordan, app):
    sign_in(client, jordan)
    with app.app_context():
        user = _db.session.scalar(select(User).where(User.username == jordan))
        notifications.notify(_db.session, user, kind="reply", message="Someone answered")
        _db.session.commit()

    response = client.post("/settings/data")

    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith(
        f'attachment; filename="careportal-{jordan}-'
    )
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.data)
    assert data["account"]["username"] == jordan and data["account"]["email"].startswith(jordan)
    assert data["sign_in_attempts"][0]["succeeded"] is True
    assert data["notifications"][0]["message"] == "Someone answered"
    assert {"community", "knowledge_base", "moderation", "support", "search"} <= set(data)
    assert client.get("/settings/data").status_code == 405  # a POST: no prefetcher builds one


def test_old_sign_in_attempts_are_pruned_by_a_periodic_job(db, app):
    kept_days = app.config["LOGIN_ATTEMPTS_KEPT_DAYS"]
    now = utcnow()
    for age in (timedelta(days=kept_days, minutes=1), timedelta(days=kept_days - 1)):
        db.session.add(
            LoginAttempt(identifier="x", ip_address="203.0.113.9", attempted_at=now - age)
        )
    db.session.flush()

    privacy.prune_sign_in_attempts(db.session)

    assert count(db, LoginAttempt) == 1
    assert app.extensions["jobs"].periodic[privacy.PRUNE_SIGN_INS_JOB] == 60
