"""Macros: canned replies with placeholders, managed by admins, filled in per case."""

from string import Formatter

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.cases.models import MACRO_TITLE_MAX, Case, Macro
from portal.errors import ValidationFailed
from portal.models import User
from portal.permissions import can_manage_users, require

PLACEHOLDERS = {
    "customer_name": "the customer's name",
    "agent_name": "your name",
    "case_id": "the case number",
    "subject": "the case subject",
    "thread_link": "the community thread's address",
    "site_name": "the portal's name",
}


def placeholder_fields(body: str) -> list[tuple[str, str, str | None]]:
    """(name, format spec, conversion) of each {placeholder}, or a ValidationFailed for
    broken braces."""
    try:
        return [
            (name, spec, conversion)
            for _, name, spec, conversion in Formatter().parse(body)
            if name is not None
        ]
    except ValueError:
        raise ValidationFailed(
            "A brace is not closed: write placeholders like {customer_name}; "
            "double a brace ({{) to show it as is.",
            field="body",
        ) from None


def check_macro(title: str, body: str) -> tuple[str, str]:
    title = " ".join((title or "").split())
    body = (body or "").replace("\r\n", "\n").strip()
    if not title:
        raise ValidationFailed("Give the macro a title.", field="title")
    if len(title) > MACRO_TITLE_MAX:
        raise ValidationFailed(f"Keep the title under {MACRO_TITLE_MAX} characters.", field="title")
    if not body:
        raise ValidationFailed("Write the macro's text.", field="body")
    fields = placeholder_fields(body)
    unknown = sorted({name for name, _, _ in fields if name not in PLACEHOLDERS})
    if unknown:
        known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        raise ValidationFailed(
            f"Unknown placeholder {', '.join('{' + n + '}' for n in unknown)}. Use: {known}.",
            field="body",
        )
    decorated = sorted({written(*field) for field in fields if field[1] or field[2]})
    if decorated:
        raise ValidationFailed(
            f"Write placeholders by name alone, like {{customer_name}}: "
            f"{', '.join(decorated)} cannot be filled in.",
            field="body",
        )
    return title, body


def written(name: str, spec: str, conversion: str | None) -> str:
    """A placeholder as it was typed: {name!conversion:spec}."""
    conversion = f"!{conversion}" if conversion else ""
    return "{" + name + conversion + (f":{spec}" if spec else "") + "}"


def save_macro(
    session: Session, actor: User, macro: Macro | None, *, title: str, body: str
) -> Macro:
    """Create or change a macro (admins); unknown placeholders are refused."""
    require(can_manage_users(actor), "Only admins manage macros.")
    title, body = check_macro(title, body)
    clash = session.scalar(select(Macro).where(Macro.title == title))
    if clash is not None and clash is not macro:
        raise ValidationFailed("Another macro has this title.", field="title")
    macro = macro or Macro()
    macro.title, macro.body = title, body
    session.add(macro)
    session.flush()
    return macro


def delete_macro(session: Session, actor: User, macro: Macro) -> None:
    require(can_manage_users(actor), "Only admins manage macros.")
    session.delete(macro)
    session.flush()


def render_macro(macro: Macro, case: Case, agent: User) -> str:
    """The macro's text with this case's values in place of the placeholders.

    Never raises: braces that check_macro would refuse today (a macro saved before that
    rule) are left as they were written, for the agent to see and fix.
    """
    site_url = current_app.config["SITE_URL"].rstrip("/")
    values = {
        "customer_name": case.customer.name,
        "agent_name": agent.name,
        "case_id": case.id,
        "subject": case.subject,
        "thread_link": f"{site_url}/community/threads/{case.thread_id}" if case.thread_id else "",
        "site_name": current_app.config["SITE_NAME"],
    }
    try:
        parts = list(Formatter().parse(macro.body))
    except ValueError:
        return macro.body
    text = []
    for literal, name, spec, conversion in parts:
        text.append(literal)
        if name is None:
            continue
        filled = name in values and not spec and not conversion
        text.append(str(values[name]) if filled else written(name, spec, conversion))
    return "".join(text)
