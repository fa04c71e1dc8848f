"""Real `flask jobs worker` processes for tests that put the queue itself under test.

The worker is a separate process on the test database, as in production; the test's own
app hands jobs over to the same queue (the SQLite file or Redis) instead of running them
inline.
"""

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from portal import jobs
from portal.jobs.queue import make_queue

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_or_skip() -> str:
    """The Redis the tests use; skipped without one on a laptop, required on CI."""
    import pytest
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis does not answer at {REDIS_URL}: CI needs it.")
        pytest.skip(f"Redis does not answer at {REDIS_URL}: the Redis queue is not tested here.")
    return REDIS_URL


def worker_settings(app, tmp_path: Path, **settings) -> dict[str, object]:
    """Settings shared by the test's app and its workers (what they must agree on)."""
    shared = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "JOBS_SQLITE_PATH": str(tmp_path / "jobs.sqlite"),
        "JOBS_QUEUE_NAME": f"careportal-test-{os.getpid()}-{tmp_path.name}",
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "SEARCH_SEMANTIC_ENABLED": False,
        "SEARCH_INDEX_DIR": str(tmp_path / "search"),
        "JOBS_RETRY_DELAY_SECONDS": 1,
        "JOBS_HANDOVER_GRACE_SECONDS": 0,
        "NOTIFICATION_EMAIL_DELAY_SECONDS": 0,
        "CASES_SWEEP_INTERVAL_MINUTES": 0,
    }
    shared.update(settings)
    return shared


def use_real_queue(app, monkeypatch, settings: dict[str, object]) -> None:
    """Make the test's app hand jobs over to the queue its workers read."""
    for key, value in settings.items():
        monkeypatch.setitem(app.config, key, value)
    monkeypatch.setitem(app.config, "JOBS_INLINE", False)
    monkeypatch.setitem(jobs.state(app).__dict__, "queue", make_queue(app))


def start_worker(settings: dict[str, object], log_path: Path) -> subprocess.Popen:
    """`flask jobs worker` with these settings (as PORTAL_* variables), logging to a file."""
    env = {**os.environ, "FLASK_APP": "wsgi", "HF_HUB_OFFLINE": "1"}
    for key, value in settings.items():
        env[f"PORTAL_{key}"] = value if isinstance(value, str) else json.dumps(value)
    env.pop("DATABASE_URL", None)
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "jobs", "worker", "--threads", "2"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(condition: Callable[[], object], timeout: float = 30.0, what: str = "condition"):
    """Poll until condition() is truthy; its value, or AssertionError after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
