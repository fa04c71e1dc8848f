"""The /api/v1 operations, one module per part of the portal (each a flask-smorest
Blueprint): thin like the web views — parse, ask the same predicate, call the same
service, commit once, dump."""

from flask_smorest import Blueprint

from api.problems import from_domain_error
from portal.errors import DomainError


def blueprint(name: str, description: str) -> Blueprint:
    """An API blueprint under /api/v1 whose services' refusals answer as problems."""
    made = Blueprint(name, __name__, url_prefix="/api/v1", description=description)
    made.register_error_handler(DomainError, from_domain_error)
    return made
