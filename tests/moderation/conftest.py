"""Moderation tests run with the rules' production defaults (tests/conftest.py turns some off)."""

from contextlib import contextmanager

import pytest

from portal.config import Config
from tests.factories import make_tag, make_thread

RULE_SETTINGS = [
    "MODERATION_NEW_ACCOUNT_HELD_POSTS",
    "MODERATION_RATE_LIMIT_POSTS",
    "MODERATION_DUPLICATE_THRESHOLD",
]


@pytest.fixture
def rules_on(app, monkeypatch):
    """Every automatic rule as shipped."""
    for key in RULE_SETTINGS:
        monkeypatch.setitem(app.config, key, getattr(Config, key))
    return app.config


@contextmanager
def rules_relaxed(config):
    """Set-up posts (threads to reply in, veterans' history) without the new-account rules."""
    saved = {key: config[key] for key in RULE_SETTINGS}
    config.update({key: 0 for key in RULE_SETTINGS})
    try:
        yield
    finally:
        config.update(saved)


@pytest.fixture
def thread(db, rules_on):
    """A thread to reply in, asked with the rules relaxed, the rules on afterwards."""
    with rules_relaxed(rules_on):
        made = make_thread(
            db.session, title="Router lights blink orange", tags=[make_tag(db.session)]
        )
    db.session.commit()
    return made
