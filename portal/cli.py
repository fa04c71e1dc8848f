"""Command-line tools: `flask --app wsgi seed-demo` and `flask --app wsgi create-admin`."""

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from portal import demo, service
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import in_terminal_language
from portal.permissions import Role


@click.command("seed-demo")
@with_appcontext
@in_terminal_language
def seed_demo_command() -> None:
    """Load the Brightwave demo company; running it again keeps existing data."""
    counts = demo.seed(db.session)
    db.session.commit()
    ready = _("Demo data ready: %(users)d accounts, %(tags)d tags.", **counts._asdict())
    click.echo(ready)
    click.echo(
        _(
            "Sign in as any demo user with the password “%(password)s”.",
            password=demo.DEMO_PASSWORD,
        )
    )


@click.command("create-admin")
@click.argument("username")
@click.argument("email")
@click.password_option(help="Asked for when not given.")
@with_appcontext
@in_terminal_language
def create_admin_command(username: str, email: str, password: str) -> None:
    """Create an administrator account for a real install."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise click.ClickException(
            ngettext(
                "Use a password of at least %(num)d character.",
                "Use a password of at least %(num)d characters.",
                minimum,
            )
        )
    try:
        user = service.register_user(
            db.session, username=username, email=email, password=password, role=Role.ADMIN
        )
        user.email_verified_at = utcnow()  # the operator vouches for the address they typed
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(_("Admin %(username)s created.", username=user.username))


@click.group("markdown")
def markdown_cli() -> None:
    """The HTML stored beside Markdown bodies."""


@markdown_cli.command("rerender")
@click.option("--batch", default=500, show_default=True, help="Rows per transaction.")
@with_appcontext
@in_terminal_language
def rerender_command(batch: int) -> None:
    """Store fresh HTML for every body stored without it or by another renderer version.

    Run after an upgrade that changes the renderer (RENDERER_VERSION) or after an import:
    until then those bodies are rendered on the fly for each view, which is correct but slow.
    """
    from portal.stored_html import rerender_stale

    totals: dict[str, int] = {}
    while True:
        done = rerender_stale(db.session, max(batch, 1))
        db.session.commit()  # one batch a transaction: a long run holds no long lock
        for kind, count in done.items():
            totals[kind] = totals.get(kind, 0) + count
        if not any(done.values()):
            break
    for kind, count in totals.items():
        click.echo(_("%(kind)s: %(count)d rendered again.", kind=kind, count=count))
