"""Inbound mail: replies to notifications, the List-Unsubscribe mailto, support requests.

``flask mail serve`` (receiver.py) or the IMAP poll (imap.py) stores each message and its
``mail.inbound`` job; service.py handles it. Publishes ``mail.reply_received`` (session,
user, target, text, results) and ``mail.support_received`` (session, sender_address,
sender_name, user, message, subject, text, results, may_answer, answered); community and
moderation.cases subscribe.
"""

from flask import Flask

from portal.jobs import every


def init_app(app: Flask) -> None:
    """The command, the handling job and, with MAIL_IMAP_HOST, the mailbox poll."""
    from portal.inbound import imap, receiver, service  # noqa: F401 (registers the jobs)
    from portal.inbound.conversations import remember_sent
    from portal.notification_mail import THREADING_HOOKS

    app.cli.add_command(receiver.mail_cli)
    every(app, service.PRUNE_JOB, 60)
    if remember_sent not in THREADING_HOOKS:
        THREADING_HOOKS.append(remember_sent)
    if app.config.get("MAIL_IMAP_HOST"):
        every(app, imap.IMAP_JOB, app.config["MAIL_IMAP_POLL_MINUTES"])
