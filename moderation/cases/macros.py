"""Macros: canned replies with placeholders, managed by admins, filled in per case."""

from string import Formatter

from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.cases.models import MACRO_TITLE_MAX, Case, Macro
from portal.errors import ValidationFailed
from portal.i18n import N_, site_default, sort_key
from portal.models import User
from portal.permissions import can_manage_users, require
from portal.text_language import detect_language

# The names stay as they are in every language (they are typed in macros); what they
# stand for is translated where shown.
PLACEHOLDERS = {
    "customer_name": N_("the customer's name"),
    "agent_name": N_("your name"),
    "case_id": N_("the case number"),
    "subject": N_("the case subject"),
    "thread_link": N_("the community thread's address"),
    "site_name": N_("the portal's name"),
}


def placeholder_fields(body: str) -> list[tuple[str, str, str | None]]:
    """(name, format spec, conversion) of each {placeholder}, or a ValidationFailed for
    broken braces."""
    try:
        return [
            (name, spec, conversion)
            for _literal, name, spec, conversion in Formatter().parse(body)
            if name is not None
        ]
    except ValueError:
        raise ValidationFailed(
            _(
                "A brace is not closed: write placeholders like %(example)s; double a brace "
                "(%(double)s) to show it as is.",
                example="{customer_name}",
                double="{{",
            ),
            field="body",
        ) from None


def check_macro(title: str, body: str) -> tuple[str, str]:
    title = " ".join((title or "").split())
    body = (body or "").replace("\r\n", "\n").strip()
    if not title:
        raise ValidationFailed(_("Give the macro a title."), field="title")
    if len(title) > MACRO_TITLE_MAX:
        raise ValidationFailed(
            _("Keep the title under %(max)s characters.", max=format_decimal(MACRO_TITLE_MAX)),
            field="title",
        )
    if not body:
        raise ValidationFailed(_("Write the macro's text."), field="body")
    fields = placeholder_fields(body)
    unknown = sorted({name for name, _spec, _conversion in fields if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationFailed(
            _(
                "Unknown placeholder %(unknown)s. Use: %(known)s.",
                unknown=", ".join("{" + name + "}" for name in unknown),
                known=", ".join("{" + name + "}" for name in PLACEHOLDERS),
            ),
            field="body",
        )
    decorated = sorted({written(*field) for field in fields if field[1] or field[2]})
    if decorated:
        raise ValidationFailed(
            _(
                "Write placeholders by name alone, like %(example)s: %(written)s cannot be "
                "filled in.",
                example="{customer_name}",
                written=", ".join(decorated),
            ),
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
    """Create or change a macro (admins); unknown placeholders are refused. Its language
    is told from its text (portal.text_language), the site's when the words do not tell."""
    require(can_manage_users(actor), _("Only admins manage macros."))
    title, body = check_macro(title, body)
    clash = session.scalar(select(Macro).where(Macro.title == title))
    if clash is not None and clash is not macro:
        raise ValidationFailed(_("Another macro has this title."), field="title")
    macro = macro or Macro()
    macro.title, macro.body = title, body
    macro.language = detect_language(f"{title}\n{body}", site_default(session))
    session.add(macro)
    session.flush()
    return macro


def delete_macro(session: Session, actor: User, macro: Macro) -> None:
    require(can_manage_users(actor), _("Only admins manage macros."))
    session.delete(macro)
    session.flush()


def render_macro(macro: Macro, case: Case, agent: User) -> str:
    """The macro's text with this case's values in place of the placeholders.

    Never raises: braces that check_macro would refuse today (a macro saved before that
    rule) are left as they were written, for the agent to see and fix.
    """
    site_url = current_app.config["SITE_URL"].rstrip("/")
    values = {
        "customer_name": case.requester,
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


def for_customer(macros: list[Macro], language: str) -> list[tuple[str, list[Macro]]]:
    """The macros grouped by language, the customer's first (the reply goes to them),
    each group by title: [(language code or "", [macro, …]), …]."""
    groups: dict[str, list[Macro]] = {}
    for macro in sorted(macros, key=lambda m: sort_key(m.title)):
        groups.setdefault(macro.language or "", []).append(macro)
    return sorted(groups.items(), key=lambda item: (item[0] != language, item[0] == "", item[0]))
