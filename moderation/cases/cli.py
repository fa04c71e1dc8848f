"""`flask cases sweep`: the escalation sweep, for cron."""

import click
from flask import current_app
from flask.cli import AppGroup

from moderation.cases.sweep import run_sweep
from portal.i18n import in_terminal_language

# Help texts stay English, like the other commands' (Click reads them at import, before
# any language is chosen); what a command reports is in the terminal's language.
cases_cli = AppGroup("cases", help="Agent cases: the escalation sweep.")


@cases_cli.command("sweep")
@in_terminal_language
def sweep_command() -> None:
    """Open cases for community threads unanswered or unsolved past their windows."""
    result = run_sweep(current_app._get_current_object())
    click.echo(result.report())
