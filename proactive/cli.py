"""`flask proactive train` (the topic model now) and `flask proactive watch` (surges now).

What they print is for admins, in the terminal's language, like search's commands.
"""

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from portal.extensions import db
from portal.i18n import in_terminal_language
from proactive import tagging

proactive_cli = AppGroup("proactive", help="Automatic topics and surge alerts.")


@proactive_cli.command("train")
@in_terminal_language
def train_command() -> None:
    """Train the topic model on the tagged articles and threads now."""
    tagger = tagging.train(db.session)
    if tagger is None:
        raise click.ClickException(
            _("Not trained: too little tagged content, or the embedding model is unavailable.")
        )
    click.echo(_("Topic model trained on %(count)s texts.", count=tagger.examples))


@proactive_cli.command("watch")
@in_terminal_language
def watch_command() -> None:
    """Look for surges now (the jobs worker does it every few minutes)."""
    from proactive import watch

    alerts = watch.watch(db.session)
    db.session.commit()
    click.echo(_("%(count)s surge alerts raised or extended.", count=len(alerts)))
