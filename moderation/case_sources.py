"""Where cases come from besides the sweep: "I still need help", Contact support, and a
moderator escalating a post."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from community.models import Post, PostStatus, Thread
from moderation.case_models import SUBJECT_MAX, Case, CaseStatus, Channel, EventKind
from moderation.cases import _set_status, add_event, clean_body, open_case
from portal import events
from portal.errors import ValidationFailed
from portal.models import Tag, User
from portal.permissions import can_moderate, can_post, require


def need_help(session: Session, customer: User, thread: Thread) -> tuple[Case, bool]:
    """The asker's "I still need help": the thread's case, opened once however often clicked."""
    require(can_post(customer) and thread.author_id == customer.id, "Only the asker can ask.")
    if thread.question is None or thread.question.status != PostStatus.VISIBLE:
        raise ValidationFailed("This question was removed, so it cannot go to support.")
    case, created = open_case(
        session,
        customer=customer,
        subject=thread.title,
        channel=Channel.COMMUNITY,
        actor=customer,
        thread=thread,
        reason="The asker clicked “I still need help”",
    )
    if not created and not case.is_active:
        _set_status(session, case, CaseStatus.OPEN, customer)
        session.flush()
    return case, created


def contact_support(
    session: Session, customer: User, *, subject: str, body: str, tag_slugs: list[str]
) -> Case:
    """A request from the Contact support form."""
    require(can_post(customer), "Sign in to contact support.")
    subject = " ".join((subject or "").split())
    if len(subject) < 5:
        raise ValidationFailed("Say in a few words what it is about.", field="subject")
    if len(subject) > SUBJECT_MAX:
        raise ValidationFailed(f"Keep the subject under {SUBJECT_MAX} characters.", field="subject")
    tags = list(session.scalars(select(Tag).where(Tag.slug.in_(tag_slugs)))) if tag_slugs else []
    case, _ = open_case(
        session,
        customer=customer,
        subject=subject,
        channel=Channel.CONTACT_FORM,
        actor=customer,
        body=clean_body(body, "your message"),
        tags=tags,
        reason="Sent with the Contact support form",
    )
    # In the transaction: search counts it against the browser's self-service flow.
    events.publish("cases.contact_submitted", session=session, case=case)
    return case


def escalate_post(session: Session, moderator: User, post: Post, reason: str) -> Case:
    """A moderator sends a post (a complaint, say) to the agents."""
    require(can_moderate(moderator), "Only moderators escalate posts.")
    thread = post.thread
    if post.status in (PostStatus.DELETED, PostStatus.HIDDEN) or (
        thread.question is None or thread.question.status == PostStatus.DELETED
    ):
        raise ValidationFailed("This post was removed; it cannot be escalated.")
    why = f"Escalated by moderator {moderator.name}" + (
        f": {reason.strip()}" if reason.strip() else ""
    )
    case, created = open_case(
        session,
        customer=post.author,
        subject=thread.title,
        channel=Channel.MODERATOR,
        actor=moderator,
        thread=thread,
        post=post,
        body=post.body if not post.is_question else "",
        reason=why,
    )
    if not created:
        add_event(session, case, EventKind.NOTE, moderator, f"{why} (post #{post.id})")
        session.flush()
    return case
