"""Real mail servers on localhost for the e-mail round trips.

``Mailbox``: an aiosmtpd server in the test's process standing for the people's mail
provider: the portal's SMTP sender delivers to it, the test reads what arrived.
``start_receiver``: the portal's own ``flask mail serve`` as a separate process on the
test database, which the test's replies are sent to.
"""

import json
import os
import smtplib
import socket
import subprocess
import sys
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller

from tests.workers import ROOT, stop_worker, wait_for

__all__ = ["Mailbox", "free_port", "send", "start_receiver", "stop_worker", "wait_for"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """An SMTP server that keeps every message it gets (the people's inboxes)."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]

    def __enter__(self) -> "Mailbox":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


def start_receiver(settings: dict, log_path: Path) -> tuple[subprocess.Popen, int]:
    """`flask mail serve` on a free port with these settings; (process, port) once it listens."""
    port = free_port()
    env = {**os.environ, "FLASK_APP": "wsgi", "HF_HUB_OFFLINE": "1"}
    for key, value in settings.items():
        env[f"PORTAL_{key}"] = value if isinstance(value, str) else json.dumps(value)
    env.pop("DATABASE_URL", None)
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "mail", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def listening() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"flask mail serve exited: {log_path.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            return False

    wait_for(listening, timeout=60, what="flask mail serve to listen")
    return process, port


def send(port: int, message: EmailMessage, *, mail_from: str | None = None) -> None:
    """Send a message over SMTP to localhost:port, as a person's mail provider would."""
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.send_message(message, from_addr=mail_from)


def settle(seconds: float = 0.3) -> None:
    time.sleep(seconds)


DOMAIN = "mail.example.test"
SUPPORT = "support@example.test"


def configure_inbound(app, monkeypatch, tmp_path) -> dict:
    """Inbound mail set up in the test's app; the settings, for the receiver's process."""
    settings = {
        "SITE_URL": "https://help.example.test",
        "MAIL_FROM": "Care Portal <no-reply@example.test>",
        "MAIL_INBOUND_DOMAIN": DOMAIN,
        "MAIL_SUPPORT_ADDRESS": SUPPORT,
        "MAIL_SMTP_STARTTLS": False,
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
    }
    for key, value in settings.items():
        monkeypatch.setitem(app.config, key, value)
    return settings


def receiver_settings(app, tmp_path, inbound: dict, mailbox: "Mailbox") -> dict:
    """What `flask mail serve` needs to share with the test: database, key, mail servers."""
    return {
        **inbound,
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "JOBS_INLINE": True,  # the receiver's process runs the job right after storing
        "JOBS_SQLITE_PATH": str(tmp_path / "jobs.sqlite"),
        "MAIL_SMTP_HOST": "127.0.0.1",
        "MAIL_SMTP_PORT": mailbox.port,
        "MODERATION_NEW_ACCOUNT_HELD_POSTS": 0,
        "SEARCH_SEMANTIC_ENABLED": False,
        "SEARCH_INDEX_DIR": str(tmp_path / "search"),
    }


def smtp_to(app, monkeypatch, mailbox: "Mailbox") -> None:
    """The test's app sends its mail over SMTP to the mailbox."""
    monkeypatch.setitem(app.config, "MAIL_SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_SMTP_PORT", mailbox.port)
