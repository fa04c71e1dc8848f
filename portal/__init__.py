"""Care Portal: the application factory."""

import os
from pathlib import Path

from flask import Flask, jsonify, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal import (
    attachments,
    batches,
    i18n,
    inputs,
    jobs,
    public_pages,
    ratelimits,
    security,
    sessions,
)
from portal.config import Config, database_url_from_environment, load_or_create_secret_key
from portal.extensions import csrf, db, migrate
from portal.i18n import N_

# The Alembic revisions live beside the packages, at the project root.
MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def create_app(config: dict | None = None) -> Flask:
    """Build the Care Portal app: settings, extensions, blueprints, error pages, commands."""
    app = Flask(__name__, instance_relative_config=True)
    register_config(app, config)
    register_security(app)
    register_extensions(app)
    register_blueprints(app)
    register_template_helpers(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_config(app: Flask, config: dict | None) -> None:
    """Config class, then PORTAL_* environment variables (or DATABASE_URL), then the test dict."""
    app.config.from_object(Config)
    environment_database = database_url_from_environment()
    if environment_database:
        app.config["SQLALCHEMY_DATABASE_URI"] = environment_database
    app.config.from_prefixed_env("PORTAL")
    if config:
        app.config.from_mapping(config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_or_create_secret_key(app.instance_path)


def register_security(app: Flask) -> None:
    """Trusted proxies, Secure cookies, security headers on every response (portal/security.py)."""
    security.init_app(app)


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True, compare_type=True)
    attachments.init_app(app)  # before CSRFProtect reads a form: it sets the upload limit
    csrf.init_app(app)
    public_pages.init_app(app)
    i18n.init_app(app)
    sessions.init_app(app)
    jobs.init_app(app)
    batches.init_app(app)
    ratelimits.init_app(app)
    inputs.init_app(app)


def register_blueprints(app: Flask) -> None:
    """The foundation's own pages, then each feature package.

    The only place portal/ imports a feature package (docs/architecture.md). The order is
    the order in which the subscribers of an event run (moderation screens a new post
    before search records it as a contact, for one), so it stays as it is.
    """
    import api
    import community
    import dashboard
    import kb
    import moderation
    import moderation.cases
    import proactive
    import search
    import transfer
    from portal import (  # noqa: F401 (account_views adds routes to views.bp)
        account_views,
        admin_views,
        attachment_views,
        auth_views,
        email_views,
        inbound,
        notification_views,
        notifications,
        privacy,
        recovery_views,
        sso,
        views,
    )

    app.register_blueprint(views.bp)
    app.register_blueprint(auth_views.bp)
    app.register_blueprint(admin_views.bp)
    app.register_blueprint(notification_views.bp)
    app.register_blueprint(attachment_views.bp)
    notifications.init_app(app)
    inbound.init_app(app)
    privacy.init_app(app)
    sso.init_app(app)
    kb.init_app(app)
    community.init_app(app)
    moderation.init_app(app)
    moderation.cases.init_app(app)
    search.init_app(app)
    proactive.init_app(app)
    dashboard.init_app(app)
    transfer.init_app(app)
    api.init_app(app)


def register_template_helpers(app: Flask) -> None:
    """Permission predicates and small helpers that every template may use."""
    from portal import localtime, markdown, urls
    from portal.permissions import TEMPLATE_PREDICATES, Role

    markdown.init_app(app)
    localtime.init_app(app)
    urls.init_app(app)
    app.jinja_env.globals.update(TEMPLATE_PREDICATES)
    app.jinja_env.globals["Role"] = Role
    app.jinja_env.globals["has_endpoint"] = lambda name: name in app.view_functions
    attachments.register_template_helpers(app)


ERROR_TITLES = {
    400: (N_("Bad request"), N_("We could not understand that request.")),
    401: (N_("Please sign in"), N_("You need to sign in to see this page.")),
    403: (N_("Not allowed"), N_("Your account does not have access to this page.")),
    404: (
        N_("Page not found"),
        N_("We could not find that page. It may have moved or been removed."),
    ),
    405: (N_("Not allowed"), N_("That action is not available here.")),
    413: (
        N_("Too large"),
        N_("That is more than this site accepts at once. Shorten it and try again."),
    ),
    429: (N_("Too many attempts"), N_("Please wait a little before trying again.")),
    500: (
        N_("Something went wrong"),
        N_("We are sorry: the error is logged and we will look into it."),
    ),
}


# app.extensions[ERROR_RESPONDERS]: functions(error) → a response, or None to leave the error
# to the portal's pages; a package registers one in its init_app (api/ does).
ERROR_RESPONDERS = "portal.error_responders"


def register_errorhandlers(app: Flask) -> None:
    """Error pages in the portal's own style (JSON for API callers)."""

    def render_error(code: int, message: str | None = None):
        title, default_message = map(gettext, ERROR_TITLES.get(code, ERROR_TITLES[500]))
        message = message or default_message
        if request.accept_mimetypes.best == "application/json" or request.is_json:
            return jsonify(error=title, message=message), code
        if request_ctx.url_adapter is None:  # a Host no URL can be built for: no links
            return f"{title}. {message}\n", code, {"Content-Type": "text/plain; charset=utf-8"}
        return render_template("error.html", code=code, title=title, message=message), code

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        if public_pages.is_visitor_post():
            return public_pages.confirm_post()
        return render_error(
            400,
            gettext(
                "This form was open too long or came from elsewhere. Reload the page and try again."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        # A package above may answer errors in its own format (the API's problem+json).
        for respond in app.extensions.get(ERROR_RESPONDERS, ()):
            response = respond(error)
            if response is not None:
                return response
        # Unhandled exceptions arrive here as a 500 (Flask has logged them already);
        # the failed action's half-done changes must not leak into the next commit.
        if error.code == 500:
            db.session.rollback()
            return render_error(500)
        custom = error.description if error.description != type(error).description else None
        return render_error(error.code or 500, custom)


def register_commands(app: Flask) -> None:
    from portal.backup import backup_command, restore_command
    from portal.cli import create_admin_command, markdown_cli, seed_demo_command

    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_admin_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(markdown_cli)
