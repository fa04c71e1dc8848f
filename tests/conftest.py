"""Fixtures shared by every test: app, db, client, runner, auth.

The database is SQLite in a temporary folder, or PostgreSQL when TEST_DATABASE_URL points
to a server: then this run creates its own database and drops it at the end, so parallel
runs never collide. Tables are created once per run and emptied after each test.
"""

import os
import uuid

import pytest
from sqlalchemy import create_engine, make_url, text

from portal import create_app, ratelimits
from portal.extensions import db as _db
from tests.factories import PASSWORD

# The per-address limits of portal/ratelimits.py (the tests' own settings turn them off).
RATE_LIMIT_SETTINGS = [
    "REGISTER_RATE_LIMIT",
    "REGISTER_RATE_LIMIT_OVERALL",
    "KB_ANONYMOUS_VOTE_RATE_LIMIT",
    "DEFLECTION_FLOW_RATE_LIMIT",
    "PASSWORD_RESET_RATE_LIMIT",
    "PASSWORD_RESET_EMAIL_RATE_LIMIT",
    "VERIFICATION_EMAIL_RATE_LIMIT",
    "GUEST_CONTACT_RATE_LIMIT",
    "GUEST_CONTACT_EMAIL_RATE_LIMIT",
    "API_RATE_LIMIT",
]


def pytest_report_header(config):
    server_url = os.environ.get("TEST_DATABASE_URL")
    return f"database: {make_url(server_url).get_backend_name() if server_url else 'sqlite'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    name = f"careportal_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": database_url,
            # Race tests hold 20 connections at once (tests/concurrency.py).
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "max_overflow": 30},
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": None,
            # scrypt with n=1024 instead of 32768: ~10 ms a hash instead of ~200 ms.
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
            # Factory users are brand new and post fast: moderation's pre-moderation,
            # rate limit and duplicate rules would hold other packages' test posts.
            # tests/moderation turns them back on (its rules_on fixture).
            "MODERATION_NEW_ACCOUNT_HELD_POSTS": 0,
            "MODERATION_RATE_LIMIT_POSTS": 0,
            "MODERATION_DUPLICATE_THRESHOLD": 0,
            # Every test client comes from 127.0.0.1: the per-address rate limits are off
            # unless a test turns one on (tests/portal/test_ratelimits.py, limits_on).
            **{setting: "" for setting in RATE_LIMIT_SETTINGS},
            # Keyword-only unless a test asks for the model (tests/search/conftest.py), and
            # then encoded in the test's process: tests/search/test_encoder_service.py
            # starts the service where it is under test.
            "SEARCH_SEMANTIC_ENABLED": False,
            "SEARCH_ENCODER_SERVICE": False,
            # The search tests embed with the bundled MiniLM (fast, exported once per session);
            # tests/search/test_multilingual.py runs the default multilingual model.
            "EMBEDDING_MODEL": "",
            # Each job runs right after its commit, in the test's process: tests/jobs start
            # a real worker where the queue itself is under test.
            "JOBS_INLINE": True,
            # What reading causes (articles' views, the search log) written at once, for
            # tests that read it after a request; tests/portal/test_public_pages.py and
            # tests/search/test_querylog.py batch them as the portal does (portal/batches.py).
            "ARTICLE_VIEWS_FLUSH_SECONDS": 0,
            "SEARCH_LOG_FLUSH_SECONDS": 0,
        }
    )
    app.instance_path = str(tmp_path_factory.mktemp("instance"))
    with app.app_context():
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def empty_tables(app) -> None:
    """Delete every row of every table, and forget every rate-limit count."""
    with app.app_context():
        ratelimits.reset()
        _db.session.remove()
        with _db.engine.begin() as connection:
            for table in reversed(_db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture(autouse=True)
def _empty_tables(request):
    """Give every test that touched the app an empty database afterwards."""
    yield
    if "app" in request.fixturenames:
        empty_tables(request.getfixturevalue("app"))


@pytest.fixture
def limits_on(app, monkeypatch):
    """The rate limits as shipped (portal/config.py), for the tests that prove them."""
    from portal.config import Config

    for setting in RATE_LIMIT_SETTINGS:
        monkeypatch.setitem(app.config, setting, getattr(Config, setting))
    return app.config


@pytest.fixture
def db(app):
    """The SQLAlchemy handle, inside an app context, for service-level tests."""
    with app.app_context():
        yield _db
        _db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    """Sign in and out through the real forms."""

    def __init__(self, client):
        self.client = client

    def login(self, identifier: str, password: str = PASSWORD, **extra):
        return self.client.post(
            "/login", data={"identifier": identifier, "password": password, **extra}
        )

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def workers(tmp_path):
    """Start real `flask jobs worker` processes with start(settings, name="worker-N");
    each is stopped at the end of the test (tests/workers.py)."""
    from tests.workers import start_worker, stop_worker

    started = []

    def start(settings, name=None):
        log = tmp_path / f"{name or f'worker-{len(started)}'}.log"
        started.append(start_worker(settings, log))
        return started[-1]

    yield start
    for process in started:
        stop_worker(process)
