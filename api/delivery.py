"""Sending one webhook: the signature, the guard against unintended targets, the request.

Signature: ``X-CarePortal-Signature: v1=<hex>``, the HMAC-SHA256 of
``<timestamp>.<body>`` with the endpoint's secret, the timestamp (Unix seconds) in
``X-CarePortal-Timestamp``. A receiver recomputes it and refuses a timestamp older than
a few minutes, so a captured delivery cannot be replayed later (docs/api.md).

Targets: the host is resolved once and every address it gives must be public (not
loopback, private, link-local — the cloud metadata address —, multicast, reserved),
unless WEBHOOK_ALLOW_PRIVATE_TARGETS; the connection then goes to that vetted address, so
a DNS answer that changes between the check and the connection (rebinding) cannot steer
it elsewhere. Redirects are not followed (http.client never does).
"""

import hashlib
import hmac
import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

SIGNATURE_HEADER = "X-CarePortal-Signature"
TIMESTAMP_HEADER = "X-CarePortal-Timestamp"
EVENT_HEADER = "X-CarePortal-Event"
DELIVERY_HEADER = "X-CarePortal-Delivery"
USER_AGENT = "CarePortal-Webhooks/1"
EXCERPT_BYTES = 500


class TargetRefused(ValueError):
    """The URL is not one the portal sends to; ``code``: "shape", "credentials",
    "resolve" or "private" (``address`` the private one), for a message in words."""

    def __init__(self, message: str, code: str, address: str = ""):
        super().__init__(message)
        self.code, self.address = code, address


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for this body at this time."""
    message = str(timestamp).encode() + b"." + body
    return "v1=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str, tolerance: int = 300) -> bool:
    """What a receiver does (the docs' example, tested): recompute, compare, check age."""
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs(time.time() - sent_at) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, sent_at, body), signature)


def check_url_shape(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path) of an http(s) URL without credentials; else TargetRefused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise TargetRefused("not a URL", "shape") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused("only http:// and https:// URLs with a host", "shape")
    if parts.username or parts.password:
        raise TargetRefused("no user name or password in the URL", "credentials")
    port = port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port, path


def vetted_address(host: str, port: int, allow_private: bool) -> str:
    """One address of the host, every one of which is public (or private is allowed)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise TargetRefused(f"the host does not resolve ({error})", "resolve") from error
    addresses = [info[4][0] for info in infos]
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if getattr(ip, "ipv4_mapped", None):
            ip = ip.ipv4_mapped
        if not allow_private and not ip.is_global:
            raise TargetRefused(
                f"{host} resolves to a non-public address ({ip})", "private", str(ip)
            )
    if not addresses:
        raise TargetRefused("the host has no address", "resolve")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dataclass
class Outcome:
    ok: bool
    status: int | None
    excerpt: str
    duration_ms: int
    error: str = ""


def send(url: str, body: bytes, headers: dict, *, timeout: float, allow_private: bool) -> Outcome:
    """POST the body; a 2xx answer is a success, anything else (or no answer) a failure."""
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        scheme, host, port, path = check_url_shape(url)
        address = vetted_address(host, port, allow_private)
        kind = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        connection = kind(host, port, address, timeout)
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            excerpt = response.read(EXCERPT_BYTES).decode("utf-8", "replace")
            status = response.status
        finally:
            connection.close()
    except TargetRefused as error:
        return Outcome(False, None, "", elapsed(), f"refused: {error}")
    except (OSError, http.client.HTTPException) as error:
        return Outcome(False, None, "", elapsed(), f"{type(error).__name__}: {error}"[:500])
    return Outcome(200 <= status < 300, status, excerpt, elapsed())
