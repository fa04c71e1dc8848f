"""Rate limits per address and site-wide (portal/ratelimits.py): registration here; the
anonymous votes and deflection signals in tests/kb and tests/search."""

import uuid

from portal import create_app, ratelimits
from portal.extensions import db as _db
from portal.models import User
from tests.workers import redis_or_skip


def sign_up(app, name: str, address: str = "127.0.0.1", **fields):
    """Register through the form from a browser of its own at this address."""
    data = {
        "username": name,
        "email": f"{name}@example.com",
        "password": "long-enough-pass",
        "confirm": "long-enough-pass",
        **fields,
    }
    client = app.test_client()
    return client.post("/register", data=data, environ_base={"REMOTE_ADDR": address})


def accounts(app) -> int:
    with app.app_context():
        return _db.session.query(User).count()


def test_registration_is_limited_per_address_and_keeps_the_text(app, limits_on):
    """Registration was unlimited: five accounts an hour from one address now (the default)."""
    assert limits_on["REGISTER_RATE_LIMIT"] == "5 per hour; 20 per day"
    for number in range(5):
        assert sign_up(app, f"member{number}").status_code == 302
    refused = sign_up(app, "member5")
    assert refused.status_code == 429 and accounts(app) == 5
    assert b"Too many accounts were created from your network" in refused.data
    assert b'value="member5"' in refused.data and b'value="member5@example.com"' in refused.data
    assert 3000 < int(refused.headers["Retry-After"]) <= 3600
    # Another address is not affected.
    assert sign_up(app, "neighbour", address="192.0.2.44").status_code == 302


def test_refused_forms_do_not_count(app, monkeypatch, limits_on):
    monkeypatch.setitem(app.config, "REGISTER_RATE_LIMIT", "1 per hour")
    for _ in range(3):
        assert sign_up(app, "x", confirm="different-pass").status_code == 422
    assert sign_up(app, "first").status_code == 302
    assert sign_up(app, "second").status_code == 429


def test_a_burst_of_sign_ups_from_many_addresses_is_limited_too(app, monkeypatch, limits_on):
    monkeypatch.setitem(app.config, "REGISTER_RATE_LIMIT_OVERALL", "3 per hour")
    for number in range(3):
        assert sign_up(app, f"bot{number}", address=f"198.51.100.{number}").status_code == 302
    refused = sign_up(app, "bot3", address="198.51.100.3")
    assert refused.status_code == 429 and accounts(app) == 3


def test_an_empty_setting_turns_a_limit_off(app):
    assert app.config["REGISTER_RATE_LIMIT"] == ""
    for number in range(8):
        assert sign_up(app, f"member{number}").status_code == 302


def test_wait_is_said_in_words_of_the_pages_language(app):
    assert ratelimits.describe_wait(40) == "40 seconds"
    assert ratelimits.describe_wait(89) == "89 seconds"
    assert ratelimits.describe_wait(3599) == "60 minutes"
    assert ratelimits.describe_wait(86000) == "24 hours"
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert ratelimits.describe_wait(40) == "40\u00a0secondes"
        assert ratelimits.describe_wait(5400) == "2\u00a0heures"


def redis_app(database_url: str, prefix: str):
    """A second web process: an app of its own counting in the test Redis (database 15)."""
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
            "JOBS_INLINE": True,
            "SEARCH_SEMANTIC_ENABLED": False,
            "REDIS_URL": redis_or_skip(),
            "RATELIMIT_KEY_PREFIX": prefix,
            "REGISTER_RATE_LIMIT": "2 per hour",
        }
    )


def test_workers_share_the_count_in_redis(app, database_url):
    """With REDIS_URL, two processes (here two apps) count one address together."""
    prefix = f"careportal-test-{uuid.uuid4().hex[:8]}"
    first, second = redis_app(database_url, prefix), redis_app(database_url, prefix)
    assert "Redis" in type(first.extensions["portal.ratelimits"].storage).__name__
    assert sign_up(first, "alpha").status_code == 302
    assert sign_up(second, "beta").status_code == 302
    assert sign_up(first, "gamma").status_code == 429
    assert sign_up(second, "delta").status_code == 429
    with second.app_context():
        ratelimits.reset()
    assert sign_up(first, "epsilon").status_code == 302


def test_memory_storage_counts_per_process(app, database_url):
    """Without Redis each process counts alone: why production wants REDIS_URL."""
    apps = [
        create_app({**app.config, "REGISTER_RATE_LIMIT": "1 per hour", "REDIS_URL": ""})
        for _ in range(2)
    ]
    assert sign_up(apps[0], "alpha").status_code == 302
    assert sign_up(apps[1], "beta").status_code == 302  # the other worker has its own count
    assert sign_up(apps[0], "gamma").status_code == 429


def test_an_unreachable_counter_lets_people_in(app):
    """Redis down: sign-up stays open (and the error is logged), it does not answer 500."""
    unreachable = {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0", "REGISTER_RATE_LIMIT": "1/h"}
    other = create_app({**app.config, **unreachable})
    assert sign_up(other, "alpha").status_code == 302
    assert sign_up(other, "beta").status_code == 302
