"""Macros: placeholders checked when saved, filled in per case."""

import pytest

from moderation.cases import macros
from moderation.cases.models import Macro
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


@pytest.mark.parametrize(
    "body", ["Hi {customer_name!r}", "Case {case_id:>99999999}", "Hi {customer_name:%}"]
)
def test_placeholders_with_a_conversion_or_format_are_refused(db, body):
    admin = make_user(db.session, role=Role.ADMIN)
    with pytest.raises(ValidationFailed, match="by name alone") as refused:
        macros.save_macro(db.session, admin, None, title="Fancy", body=body)
    assert refused.value.field == "body"


def test_a_macro_saved_before_the_checks_renders_its_odd_braces_as_written(db):
    s = db.session
    legacy = Macro(title="Legacy", body="Dear {customer_name!z}, case {case_id:%} {subject}.")
    broken = Macro(title="Broken", body="Dear {customer_name")
    s.add_all([legacy, broken])
    customer = make_user(s, display_name="Chloé")
    case = make_case(s, customer, subject="No line")
    agent = make_agent(s)
    assert macros.render_macro(legacy, case, agent) == (
        "Dear {customer_name!z}, case {case_id:%} No line."
    )
    assert macros.render_macro(broken, case, agent) == "Dear {customer_name"


def test_the_case_page_with_a_legacy_macro_shows_it_and_saving_it_says_why_not(client, auth, db):
    s = db.session
    legacy = Macro(title="Legacy", body="Dear {customer_name!z}")
    s.add(legacy)
    case = make_case(s, make_user(s, display_name="Chloé"))
    make_user(s, "boss", role=Role.ADMIN)
    s.commit()
    auth.login("boss")
    page = client.get(f"/desk/cases/{case.id}?macro={legacy.id}")
    assert page.status_code == 200 and "Dear {customer_name!z}" in page.get_data(as_text=True)
    response = client.post(
        f"/desk/macros/{legacy.id}", data={"title": "Legacy", "body": "Dear {customer_name!z}"}
    )
    assert response.status_code == 422 and "by name alone" in response.get_data(as_text=True)
    assert "Dear {customer_name!z}" in response.get_data(as_text=True)  # the text stays
