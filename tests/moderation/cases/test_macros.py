"""Macros: placeholders checked when saved, filled in per case."""

import pytest

from moderation.cases import macros
from portal.errors import PermissionDenied, ValidationFailed
from portal.permissions import Role
from tests.factories import make_user
from tests.moderation.cases.helpers import make_agent, make_case


def test_macro_placeholders_are_filled_in(db):
    s = db.session
    admin = make_user(s, role=Role.ADMIN)
    macro = macros.save_macro(
        s,
        admin,
        None,
        title="Greeting",
        body="Hello {customer_name}, {agent_name} here (case {case_id}).",
    )
    customer = make_user(s, display_name="Chloé Martin")
    agent = make_agent(s, display_name="Sam Varga")
    case = make_case(s, customer)
    assert macros.render_macro(macro, case, agent) == (
        f"Hello Chloé Martin, Sam Varga here (case {case.id})."
    )


@pytest.mark.parametrize(
    "body, message",
    [
        ("Hello {customer}", "Unknown placeholder {customer}"),
        ("Hello {customer_name", "brace is not closed"),
        ("Hi {0}", "Unknown placeholder {0}"),
        ("   ", "Write the macro"),
    ],
)
def test_bad_macros_are_refused(db, body, message):
    admin = make_user(db.session, role=Role.ADMIN)
    with pytest.raises(ValidationFailed, match=message):
        macros.save_macro(db.session, admin, None, title="Bad", body=body)


def test_literal_braces_and_unique_titles_and_admins_only(db):
    s = db.session
    admin = make_user(s, role=Role.ADMIN)
    macros.save_macro(s, admin, None, title="Braces", body="Use {{ and }} as is.")
    with pytest.raises(ValidationFailed, match="Another macro"):
        macros.save_macro(s, admin, None, title="Braces", body="Again")
    with pytest.raises(PermissionDenied):
        macros.save_macro(s, make_agent(s), None, title="Mine", body="Hi")
