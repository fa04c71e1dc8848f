"""Signed tokens for links and addresses in e-mails: one-click unsubscribe, reply-by-mail.

A token is its parts and an HMAC of them under SECRET_KEY and a purpose, so a token made
for unsubscribing cannot post a reply. Tokens are lowercase letters, digits and dashes:
they survive inside an address's local part (``reply+12-t5-….@host``), whose case some
mail servers change, and stay under its 64-character limit. They do not expire: an
unsubscribe link must keep working for as long as the e-mail is kept (RFC 8058), and a
reply address as long as the person may answer; a changed SECRET_KEY revokes them all.
"""

import base64
import hashlib
import hmac
import re

from flask import current_app

SIGNATURE_CHARS = 26  # 130 bits of HMAC-SHA256, base32
PART = re.compile(r"^[a-z0-9_]+$")


def _signature(purpose: str, parts: tuple[str, ...]) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    message = "\x1f".join((purpose, *parts)).encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.b32encode(digest).decode().lower()[:SIGNATURE_CHARS]


def sign(purpose: str, *parts: object) -> str:
    """``parts`` (each lowercase letters, digits or _) joined by dashes, then their signature."""
    texts = tuple(str(part).lower() for part in parts)
    if not all(PART.match(text) for text in texts):
        raise ValueError(f"token parts must be [a-z0-9_]: {texts!r}")
    return "-".join((*texts, _signature(purpose, texts)))


def unsign(purpose: str, token: str) -> list[str] | None:
    """The parts of a token signed for ``purpose``; None if forged, altered or malformed."""
    pieces = (token or "").strip().lower().split("-")
    if len(pieces) < 2 or not all(PART.match(piece) for piece in pieces):
        return None
    *parts, signature = pieces
    if not hmac.compare_digest(signature, _signature(purpose, tuple(parts))):
        return None
    return parts
