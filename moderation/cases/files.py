"""Who may fetch the files attached to a support request and to its messages
(portal/attachments.py asks; registered in moderation.cases.init_app)."""

from flask import Flask
from sqlalchemy.orm import Session

from moderation.cases.models import Case, CaseEvent
from portal import attachments
from portal.permissions import can_work_cases


def can_see_case(viewer, case: Case) -> bool:
    """The customer who asked, and the agents."""
    return can_work_cases(viewer) or getattr(viewer, "id", None) == case.customer_id


def case_files_visible(session: Session, viewer, case_id: int) -> bool:
    case = session.get(Case, case_id)
    return case is not None and can_see_case(viewer, case)


def event_files_visible(session: Session, viewer, event_id: int) -> bool:
    """A message's files: agents always; the customer when the message is theirs to read
    (never an internal note's)."""
    event = session.get(CaseEvent, event_id)
    if event is None:
        return False
    return can_work_cases(viewer) or (event.customer_visible and can_see_case(viewer, event.case))


def init_app(app: Flask) -> None:
    attachments.register_owner(app, "case", case_files_visible)
    attachments.register_owner(app, "case_event", event_files_visible)
