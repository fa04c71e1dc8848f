"""Reading the e-mails the portal wrote to its outbox folder, as a person's mail client would."""

from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path


def read_messages(outbox: Path) -> list[EmailMessage]:
    """Every message in the outbox folder, in sending order."""
    if not outbox.exists():
        return []
    return [
        message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(outbox.glob("*.eml"))
    ]


def text_of(message: EmailMessage) -> str:
    """The header block, a blank line, then the text part, decoded."""
    headers = "\n".join(f"{name}: {value}" for name, value in message.items())
    return f"{headers}\n\n{message.get_body(('plain',)).get_content()}"


def html_of(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    return part.get_content() if part is not None else ""
