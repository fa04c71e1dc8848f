"""What the desk calls its stored values, in the reader's language.

Statuses, priorities, channels, dispositions, timeline kinds, SLA states and queues are
stored as English identifiers ("pending customer", "high"): keys in the database, the
dashboard and the CHECK constraints, never text to show. Pages and messages show their
label (``case_label``, and the Jinja filters ``|case_status``, ``|case_priority``…).

The labels are in the message context "cases": every package's catalog is merged into
one, and the same short word means something else elsewhere ("Solved" is a feminine
plural for the community's threads, "Résolues"; a case is "Résolu").
"""

from flask import Flask, has_app_context
from flask_babel import get_translations, gettext, pgettext

from moderation.cases.models import CaseStatus, Channel, Disposition, EventKind, SlaTarget
from moderation.cases.sla import SlaState
from portal.i18n import N_


def _tables() -> dict[str, dict]:
    """Every label in the current language."""
    return {
        "status": {
            CaseStatus.NEW: pgettext("cases", "New"),
            CaseStatus.OPEN: pgettext("cases", "Open"),
            CaseStatus.PENDING: pgettext("cases", "Pending customer"),
            CaseStatus.SOLVED: pgettext("cases", "Solved"),
            CaseStatus.CLOSED: pgettext("cases", "Closed"),
        },
        # The same statuses as the customer reads them on their own requests (a request,
        # not a case: "Résolue").
        "customer_status": {
            CaseStatus.NEW: pgettext("case request", "Received"),
            CaseStatus.OPEN: pgettext("case request", "In progress"),
            CaseStatus.PENDING: pgettext("case request", "Waiting for your reply"),
            CaseStatus.SOLVED: pgettext("case request", "Solved"),
            CaseStatus.CLOSED: pgettext("case request", "Closed"),
        },
        "priority": {
            "low": pgettext("cases", "Low"),
            "normal": pgettext("cases", "Normal"),
            "high": pgettext("cases", "High"),
            "urgent": pgettext("cases", "Urgent"),
        },
        "channel": {
            Channel.COMMUNITY: pgettext("cases", "Community"),
            Channel.CONTACT_FORM: pgettext("cases", "Contact form"),
            Channel.MODERATOR: pgettext("cases", "Moderator"),
            Channel.EMAIL: pgettext("cases", "E-mail"),
        },
        "disposition": {
            Disposition.EXISTING_ARTICLE: pgettext("cases", "Answered by an existing article"),
            Disposition.NEW_ARTICLE: pgettext("cases", "New article needed"),
            Disposition.KNOWN_GAP: pgettext("cases", "Known gap"),
        },
        "event_kind": {
            EventKind.CREATED: pgettext("cases", "Created"),
            EventKind.NOTE: pgettext("cases", "Internal note"),
            EventKind.PUBLIC_REPLY: pgettext("cases", "Public reply"),
            EventKind.PRIVATE_REPLY: pgettext("cases", "Private reply"),
            EventKind.CUSTOMER_MESSAGE: pgettext("cases", "Customer message"),
            EventKind.ASSIGNED: pgettext("cases", "Assigned"),
            EventKind.PRIORITY: pgettext("cases", "Priority"),
            EventKind.STATUS: pgettext("cases", "Status"),
            EventKind.SOLVED: pgettext("cases", "Solved"),
            EventKind.SURVEY: pgettext("cases", "Survey"),
        },
        "sla_state": {
            SlaState.ON_TRACK: pgettext("cases", "On track"),
            SlaState.AT_RISK: pgettext("cases", "At risk"),
            SlaState.BREACHED: pgettext("cases", "Breached"),
            SlaState.MET: pgettext("cases", "Met"),
            SlaState.MISSED: pgettext("cases", "Missed"),
            SlaState.PAUSED: pgettext("cases", "Paused"),
        },
        "sla_target": {
            SlaTarget.FIRST_RESPONSE: pgettext("cases", "First response"),
            SlaTarget.RESOLUTION: pgettext("cases", "Resolution"),
        },
        "queue": {
            "mine": pgettext("cases", "Mine"),
            "unassigned": pgettext("cases", "Unassigned"),
            "all": pgettext("cases", "All open"),
            "attention": pgettext("cases", "Breached or at risk"),
            "done": pgettext("cases", "Solved and closed"),
        },
        "nps_group": {
            "detractor": pgettext("cases", "detractor"),
            "passive": pgettext("cases", "passive"),
            "promoter": pgettext("cases", "promoter"),
        },
        "csat": {
            1: pgettext("cases", "Very dissatisfied"),
            2: pgettext("cases", "Dissatisfied"),
            3: pgettext("cases", "Neither satisfied nor dissatisfied"),
            4: pgettext("cases", "Satisfied"),
            5: pgettext("cases", "Very satisfied"),
        },
        "article_status": {
            "draft": pgettext("cases", "draft"),
            "published": pgettext("cases", "published"),
            "archived": pgettext("cases", "archived"),
        },
    }


TABLES = (
    *("status", "customer_status", "priority", "channel", "disposition", "event_kind"),
    *("sla_state", "sla_target", "queue", "nps_group", "csat", "article_status"),
)
# The badge of targets breached earlier (the breach stays, whatever the live state says).
BREACHED_TARGETS = {
    (SlaTarget.FIRST_RESPONSE,): N_("First response breached"),
    (SlaTarget.RESOLUTION,): N_("Resolution breached"),
    (SlaTarget.FIRST_RESPONSE, SlaTarget.RESOLUTION): N_("First response and resolution breached"),
}


# The tables built for each catalog (one per language): (catalog, tables) by its id.
_BUILT: dict[int, tuple[object, dict]] = {}


def _current() -> dict[str, dict]:
    """The tables in the current language, built once per language."""
    if not has_app_context():
        return _tables()
    translations = get_translations()
    built = _BUILT.get(id(translations))
    if built is None or built[0] is not translations:
        built = _BUILT[id(translations)] = (translations, _tables())
    return built[1]


def case_label(table: str, value) -> str:
    """The label of a stored value in the current language; an unknown value as stored."""
    return _current()[table].get(value, str(value or ""))


def breached_label(targets) -> str:
    """ "First response breached", …: the targets in their SLA order."""
    key = tuple(target for target in SlaTarget if target.value in set(targets))
    return gettext(BREACHED_TARGETS[key]) if key else ""


def init_app(app: Flask) -> None:
    """One Jinja filter per table: ``{{ case.status|case_status }}``, ``|case_priority``…"""
    for table in TABLES:
        name = table if table.startswith(("sla_", "nps_", "csat")) else f"case_{table}"
        app.add_template_filter(lambda value, table=table: case_label(table, value), name)
    app.add_template_filter(breached_label, "sla_breached")
