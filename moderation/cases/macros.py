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


def placeholders_in(body: str) -> list[str]:
    """The {names} a macro uses, or a ValidationFailed for broken braces."""
    try:
        return [name for _, name, _, _ in Formatter().parse(body) if name is not None]
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
    unknown = sorted({name for name in placeholders_in(body) if name not in PLACEHOLDERS})
    if unknown:
        known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        raise ValidationFailed(
            f"Unknown placeholder {', '.join('{' + n + '}' for n in unknown)}. Use: {known}.",
            field="body",
        )
    return title, body


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
    """The macro's text with this case's values in place of the placeholders."""
    site_url = current_app.config["SITE_URL"].rstrip("/")
    values = {
        "customer_name": case.customer.name,
        "agent_name": agent.name,
        "case_id": case.id,
        "subject": case.subject,
        "thread_link": f"{site_url}/community/threads/{case.thread_id}" if case.thread_id else "",
        "site_name": current_app.config["SITE_NAME"],
    }
    return macro.body.format_map(values)
