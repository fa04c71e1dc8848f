"""The portal's own inbound addresses: reply addresses, the unsubscribe mailbox, support.

With MAIL_INBOUND_DOMAIN set (mail for it reaches ``flask mail serve`` or the IMAP
mailbox), each notification carries a reply address for its reader and what it is about,
``reply+<user>-<target>-<signature>@domain``, and its List-Unsubscribe offers
``unsubscribe+<token>@domain`` beside the link. MAIL_SUPPORT_ADDRESS, when set, is where
customers write to open a case. Without a domain there is no Reply-To (answers go to
MAIL_FROM, which should then say "no-reply").
"""

from dataclasses import dataclass
from email.utils import getaddresses

from flask import current_app

from portal.mail_tokens import sign, unsign

REPLY = "reply"
TARGET_KINDS = ("thread", "case")


@dataclass(frozen=True)
class Recipient:
    """What an inbound address stands for: kind "reply", "unsubscribe" or "support"."""

    kind: str
    user_id: int | None = None
    target: str = ""  # "thread:12", "case:5" for a reply
    token: str = ""  # for unsubscribe


def inbound_domain() -> str:
    return (current_app.config.get("MAIL_INBOUND_DOMAIN") or "").strip().lower()


def support_address() -> str:
    return (current_app.config.get("MAIL_SUPPORT_ADDRESS") or "").strip().lower()


def reply_address(user_id: int, target: str) -> str:
    """The address whose mail becomes ``user_id``'s answer to ``target``; "" when inbound
    mail is not set up or the target is not one answers can go to."""
    kind, _sep, number = target.partition(":")
    domain = inbound_domain()
    if not domain or kind not in TARGET_KINDS or not number.isdigit():
        return ""
    return f"reply+{sign(REPLY, user_id, f'{kind}_{number}')}@{domain}"


def unsubscribe_mailto(token: str) -> str:
    domain = inbound_domain()
    return f"mailto:unsubscribe+{token}@{domain}?subject=unsubscribe" if domain else ""


def parse_recipient(address: str) -> Recipient | None:
    """What one of our addresses stands for; None for an address that is not ours or a
    reply token that does not verify."""
    address = (getaddresses([address])[0][1] or "").strip().lower()
    local, _at, domain = address.rpartition("@")
    if support_address() and address == support_address():
        return Recipient("support")
    if not domain or domain != inbound_domain():
        return None
    box, _plus, token = local.partition("+")
    if box == "unsubscribe" and token:
        return Recipient("unsubscribe", token=token)
    if box != REPLY:
        return None
    parts = unsign(REPLY, token)
    if not parts or len(parts) != 2 or not parts[0].isdigit():
        return None
    kind, _sep, number = parts[1].partition("_")
    if kind not in TARGET_KINDS or not number.isdigit():
        return None
    return Recipient(REPLY, user_id=int(parts[0]), target=f"{kind}:{number}")
