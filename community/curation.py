"""What super-users do for the community: retag threads and close duplicates."""

import re

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from community import listing
from community.announce import changed
from community.models import PostStatus, Thread
from community.service import resolve_tags
from portal import events
from portal.database import utcnow
from portal.errors import NotFound, ValidationFailed
from portal.inputs import parse_id
from portal.models import User
from portal.permissions import can_close_as_duplicate, can_retag, require


def retag_thread(session: Session, actor: User, thread: Thread, tags: str | list[str]) -> None:
    """Replace a thread's tags (1–5; curators may name new ones)."""
    require(can_retag(actor), _("Only super-users and staff retag threads."))
    old_tags = list(thread.tags)
    thread.tags = resolve_tags(session, actor, tags)
    session.flush()
    if {t.id for t in old_tags} != {t.id for t in thread.tags}:
        listing.mark_tags(session, [t.id for t in old_tags])  # the topics it left
        events.publish("community.thread_retagged", thread=thread, actor=actor, old_tags=old_tags)
        changed(session, thread, None, "thread_retagged")


def thread_id_from(text: str) -> int | None:
    """The thread number in '42', '#42' or a pasted link like '/community/threads/42'."""
    match = re.search(r"([0-9]+)[^0-9]*$", (text or "").strip())
    return parse_id(match.group(1)) if match else None


def close_as_duplicate(session: Session, actor: User, thread: Thread, original_ref: str) -> Thread:
    """Close a thread as a duplicate of another: it links there and takes no replies."""
    require(can_close_as_duplicate(actor), _("Only super-users and staff close duplicates."))
    original_id = thread_id_from(original_ref)
    original = session.get(Thread, original_id) if original_id else None
    if original is None or original.question is None:
        raise NotFound(_("There is no thread with that number."), field="original")
    # Point at the root of a chain, so a duplicate never leads to another duplicate.
    seen = {thread.id}
    while original.duplicate_of is not None and original.id not in seen:
        seen.add(original.id)
        original = original.duplicate_of
    if original.id in seen:
        raise ValidationFailed(_("A thread cannot be a duplicate of itself."), field="original")
    if original.question.status != PostStatus.VISIBLE:
        raise ValidationFailed(_("That thread was removed; pick a visible one."), field="original")
    thread.duplicate_of, thread.closed_at, thread.closed_by_id = original, utcnow(), actor.id
    session.flush()
    events.publish("community.thread_closed", thread=thread, original=original, actor=actor)
    changed(session, thread, None, "thread_closed")
    return original


def reopen_thread(session: Session, actor: User, thread: Thread) -> None:
    """Undo 'closed as duplicate'."""
    require(can_close_as_duplicate(actor), _("Only super-users and staff reopen threads."))
    if not thread.is_duplicate:
        return
    thread.duplicate_of = thread.closed_at = thread.closed_by_id = None
    session.flush()
    events.publish("community.thread_reopened", thread=thread, actor=actor)
    changed(session, thread, None, "thread_reopened")
