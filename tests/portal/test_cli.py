"""seed-demo and create-admin."""

from sqlalchemy import func, select

from portal import demo
from portal.extensions import db as _db
from portal.models import Tag, User


def count(model):
    return _db.session.scalar(select(func.count(model.id)))


def test_seed_demo_is_idempotent(runner, db):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    users, tags = count(User), count(Tag)
    # Packages may add their own demo members (the community does), never fewer.
    assert users >= len(demo.DEMO_USERS) and tags == len(demo.DEMO_TAGS) >= 8
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert (count(User), count(Tag)) == (users, tags)
    roles = set(_db.session.scalars(select(User.role)))
    assert roles == {"customer", "superuser", "moderator", "agent", "admin"}
    ada = _db.session.scalar(select(User).where(User.username == "ada"))
    assert ada.check_password(demo.DEMO_PASSWORD)


def test_create_admin(runner, db):
    result = runner.invoke(
        args=["create-admin", "root", "root@example.com"], input="long-password\nlong-password\n"
    )
    assert result.exit_code == 0, result.output
    assert _db.session.scalar(select(User.role).where(User.username == "root")) == "admin"
    again = runner.invoke(
        args=["create-admin", "root", "x@example.com", "--password", "long-password"]
    )
    assert again.exit_code != 0 and "taken" in again.output
    short = runner.invoke(args=["create-admin", "other", "o@example.com", "--password", "short"])
    assert short.exit_code != 0 and "at least" in short.output
