"""Read what the portal sent: the .eml files of the outbox folder, decoded.

Import the fixture where it is used (``from tests.mailbox import mailbox``); it points the
outbox at a folder of the test's own.
"""

import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

LINK = re.compile(r"https?://\S+")


class Mailbox:
    def __init__(self, folder: Path):
        self.folder = folder

    def messages(self) -> list[EmailMessage]:
        """Every message sent, in sending order."""
        if not self.folder.exists():
            return []
        paths = sorted(self.folder.glob("*.eml"))
        return [message_from_bytes(path.read_bytes(), policy=policy.default) for path in paths]

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages() if m["To"] == address]

    def last_to(self, address: str) -> EmailMessage:
        found = self.to(address)
        assert found, f"no e-mail to {address}; sent: {[m['To'] for m in self.messages()]}"
        return found[-1]

    @staticmethod
    def text(message: EmailMessage) -> str:
        return message.get_content()

    @classmethod
    def links(cls, message: EmailMessage) -> list[str]:
        return LINK.findall(cls.text(message))

    @classmethod
    def link(cls, message: EmailMessage, containing: str) -> str:
        """The first link of the message whose address contains ``containing``."""
        found = [link for link in cls.links(message) if containing in link]
        assert found, f"no link with {containing!r} in:\n{cls.text(message)}"
        return found[0]


@pytest.fixture
def mailbox(app, tmp_path, monkeypatch) -> Mailbox:
    folder = tmp_path / "outbox"
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(folder))
    return Mailbox(folder)
