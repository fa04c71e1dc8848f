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
