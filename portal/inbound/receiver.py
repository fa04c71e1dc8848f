"""``flask mail serve``: a small SMTP (or LMTP) receiver for the portal's inbound addresses.

Put it behind the site's mail server (a transport or an LMTP delivery for
MAIL_INBOUND_DOMAIN and the support address) or expose it as the domain's MX. It refuses
at RCPT TO any address that is not ours (a reply address whose signature does not verify
included), so it never accepts mail it would only bounce later; it accepts a message by
storing it and its job in one transaction (portal/inbound/service.py) and answers 451 (try
again later) when the database does not answer, so the sending server keeps the message.
"""

import asyncio
import logging
import threading

import click
from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from portal.extensions import db
from portal.inbound.service import store
from portal.mail_addresses import parse_recipient

log = logging.getLogger(__name__)
mail_cli = AppGroup("mail", help="Inbound mail: the receiver.")


class StoringHandler:
    """aiosmtpd handler: take mail for our addresses, store it, let the job act."""

    def __init__(self, app: Flask):
        self.app = app

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        with self.app.app_context():
            ours = parse_recipient(address) is not None
        if not ours:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        raw = envelope.original_content or envelope.content
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(
                None, self.keep, bytes(raw), envelope.mail_from, list(envelope.rcpt_tos)
            )
        except Exception:  # the sender keeps the message and tries again
            log.exception("inbound mail not stored")
            return "451 4.3.0 Not stored, try again later"
        return "250 2.0.0 Message accepted"

    def keep(self, raw: bytes, mail_from: str, recipients: list[str]) -> None:
        with self.app.app_context():
            try:
                store(db.session, raw, mail_from, recipients)
                db.session.commit()
            finally:
                db.session.remove()


class Receiver(Controller):
    """The aiosmtpd controller, speaking LMTP instead of SMTP when asked."""

    def __init__(self, app: Flask, host: str, port: int, *, lmtp: bool = False):
        self.lmtp = lmtp
        limit = app.config["MAIL_INBOUND_MAX_BYTES"]
        super().__init__(StoringHandler(app), hostname=host, port=port, data_size_limit=limit)

    def factory(self):
        server_class = LMTP if self.lmtp else SMTP
        return server_class(self.handler, **self.SMTP_kwargs)


@mail_cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8025, show_default=True, type=int)
@click.option("--lmtp", is_flag=True, help="Speak LMTP (for delivery from a local MTA).")
@with_appcontext
def serve_command(host: str, port: int, lmtp: bool) -> None:
    """Receive mail for the portal's inbound addresses until stopped."""
    app = current_app._get_current_object()
    receiver = Receiver(app, host, port, lmtp=lmtp)
    receiver.start()
    click.echo(f"Receiving {'LMTP' if lmtp else 'SMTP'} on {host}:{port}", err=True)
    stop = threading.Event()
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        receiver.stop()
