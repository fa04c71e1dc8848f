"""Every operation of the generated OpenAPI document, as every role and as a visitor,
with data schemathesis generates from the document itself (valid and invalid): no answer
is a 5xx, and every answer matches what the document says (status, media type, body
schema, headers). Bounded: a few examples per operation and role (``API_FUZZ_EXAMPLES``).
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal import create_app
from tests.api.conftest import ROLES

pytestmark = pytest.mark.api_fuzz
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "5"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


# The document as an app serves it. That app has no database: the suite's app is a
# fixture (schemathesis's fixture-based loading does not run on this pytest), so each
# test sends its requests to it instead.
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json",
    create_app({"TESTING": True, "SECRET_KEY": "doc", "SQLALCHEMY_DATABASE_URI": "sqlite://"}),
)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation_as_every_role(case, client, world):
    # Each generated request is sent by each role in turn (a visitor first).
    for role in [None, *ROLES]:
        case.call_and_validate(session=client, headers=world.auth(role), checks=CHECKS)
