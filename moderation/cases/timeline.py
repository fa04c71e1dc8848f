"""The lines the system writes into a case's timeline, shown in the reader's language.

A case is read by several people in different languages at once: Nina reads the
timeline of Chloé's request in French, Sam the same timeline in English, and either
may hand it to the other tomorrow. So what the system writes ("Assigned to Nina",
"Reopened", "Priority High: VIP customer") is not stored as text in one language —
neither the actor's (the other reader gets a foreign line), nor the site's (a French
agent on an English site reads English). Each event stores its lines as a code and
parameters (``CaseEvent.lines``: ``[["assigned", {"agent": 12, "why": "routing"}], …]``),
and each reader sees them rendered from the catalogs in their own language. What people
wrote (a reply, a note, a moderator's reason) stays in ``CaseEvent.body``, as written.

Parameters hold values, never words: user ids (shown with the user's current name, so a
deleted account reads "Deleted member" with no rewriting), stored identifiers of a
status, priority or disposition (shown with their label), numbers (formatted by Babel).
A code no longer known (an older version's) shows nothing rather than failing a page.
Rows written before migration 0016 keep their English text in ``body``.
"""

from flask_babel import format_decimal, gettext
from sqlalchemy.orm import Session

from moderation.cases.labels import case_label
from portal.i18n import N_
from portal.models import User

MESSAGES = {
    # The case was opened: where it came from.
    "need_help": N_("The asker clicked “I still need help”"),
    "contact_form": N_("Sent with the Contact support form"),
    "email": N_("Sent by e-mail to the support address"),
    "escalated": N_("Escalated by moderator %(moderator)s"),
    "escalated_again": N_("Escalated again by moderator %(moderator)s (post #%(post)s)"),
    "sweep_unanswered": N_("Escalated by the sweep: no reply after %(hours)s h"),
    "sweep_unsolved": N_("Escalated by the sweep: not solved after %(hours)s h"),
    "sweep_unanswered_invited": N_(
        "Escalated by the sweep: no reply after %(hours)s h; super-users invited %(invited)s h ago"
    ),
    "sweep_unsolved_invited": N_(
        "Escalated by the sweep: not solved after %(hours)s h; super-users invited "
        "%(invited)s h ago"
    ),
    # Why it has its priority.
    "priority_rule": N_("Priority %(priority)s: rule “%(rule)s”, mentions “%(keyword)s”"),
    "priority_vip": N_("Priority %(priority)s: VIP customer"),
    "priority_angry": N_("Priority %(priority)s: angry tone"),
    # Its life.
    "routed": N_("Routed by skills: assigned to %(agent)s"),
    "reassigned": N_("Reassigned by %(actor)s: assigned to %(agent)s"),
    "taken": N_("%(agent)s took the case"),
    "unassigned": N_("Back to the unassigned queue"),
    "priority_set": N_("Priority set to %(priority)s"),
    "reopened": N_("Reopened"),
    "status": N_("Status: %(old)s → %(new)s"),
    "solved": N_("Solved: %(disposition)s"),
    "survey": N_("CSAT %(csat)s (%(csat_label)s), NPS %(nps)s"),
    "account_deleted": N_("Closed: the account was deleted"),
}
USER_PARAMS = frozenset({"agent", "actor", "moderator"})
STATUS_PARAMS = frozenset({"old", "new"})
NUMBER_PARAMS = frozenset({"hours", "invited"})


def line(code: str, **params) -> list:
    """One timeline line to store: its code and parameters (JSON)."""
    if code not in MESSAGES:
        raise KeyError(f"no timeline message {code!r}")
    return [code, params]


def render_line(session: Session, code: str, params: dict) -> str:
    """One stored line in the current language."""
    message = MESSAGES.get(code)
    if message is None:
        return ""
    values = {}
    for key, value in params.items():
        if key in USER_PARAMS:
            user = session.get(User, value) if isinstance(value, int) else None
            values[key] = user.name if user else str(value)
        elif key in STATUS_PARAMS:
            values[key] = case_label("status", value)
        elif key in ("priority", "disposition"):
            values[key] = case_label(key, value)
        elif key in NUMBER_PARAMS:
            values[key] = format_decimal(value)
        else:
            values[key] = value
    if code == "survey":
        values["csat_label"] = case_label("csat", params.get("csat"))
    return gettext(message, **values)


def render_lines(session: Session, event) -> list[str]:
    """The system's lines of one event, in the current language."""
    rendered = (render_line(session, code, params) for code, params in event.lines or ())
    return [text for text in rendered if text]
