"""Where cases come from besides the sweep: "I still need help", Contact support, and a
moderator escalating a post."""

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from community.models import Post, PostStatus, Thread
from moderation.cases.models import SUBJECT_MAX, Case, CaseStatus, Channel, EventKind
from moderation.cases.service import _set_status, add_event, clean_body, open_case
from moderation.cases.timeline import line
from portal import events
from portal.database import utcnow
from portal.errors import TooManyAttempts, ValidationFailed
from portal.models import Tag, User
from portal.permissions import can_moderate, can_post, is_staff, require

CONTACT_RATE_WINDOW = timedelta(hours=1)


def need_help(session: Session, customer: User, thread: Thread) -> tuple[Case, bool]:
    """The asker's "I still need help": the thread's case, opened once however often clicked."""
    require(
        can_post(customer) and thread.author_id == customer.id,
        _("Only the person who asked can send this question to support."),
    )
    if thread.question is None or thread.question.status != PostStatus.VISIBLE:
        raise ValidationFailed(_("This question was removed, so it cannot go to support."))
    case, created = open_case(
        session,
        customer=customer,
        subject=thread.title,
        channel=Channel.COMMUNITY,
        actor=customer,
        thread=thread,
        reason=line("need_help"),
    )
    if not created and not case.is_active:
        _set_status(session, case, CaseStatus.OPEN, customer, utcnow())
        session.flush()
    return case, created


def require_contact_rate(session: Session, customer: User, now: datetime) -> None:
    """At most CASES_CONTACT_RATE_LIMIT requests an hour per customer (staff and 0: no limit).

    The same mechanism as moderation's posting limit: a TooManyAttempts the form shows
    as 429, the customer's text kept.
    """
    limit = current_app.config["CASES_CONTACT_RATE_LIMIT"]
    if not limit or is_staff(customer):
        return
    sent = session.scalar(
        select(func.count(Case.id)).where(
            Case.customer_id == customer.id,
            Case.channel == Channel.CONTACT_FORM.value,
            Case.opened_at >= now - CONTACT_RATE_WINDOW,
        )
    )
    if sent >= limit:
        raise TooManyAttempts(
            ngettext(
                "Slow down: you sent %(num)s request in the last hour, the most we take at "
                "once. Your message is still below: send it a little later, or add it to "
                "one of your open requests.",
                "Slow down: you sent %(num)s requests in the last hour, the most we take at "
                "once. Your message is still below: send it a little later, or add it to "
                "one of your open requests.",
                sent,
            )
        )


def clean_subject(subject: str) -> str:
    """The subject on one line; refused when too short to say anything, or too long."""
    subject = " ".join((subject or "").split())
    if len(subject) < 5:
        raise ValidationFailed(_("Say in a few words what it is about."), field="subject")
    if len(subject) > SUBJECT_MAX:
        raise ValidationFailed(
            _("Keep the subject under %(max)s characters.", max=format_decimal(SUBJECT_MAX)),
            field="subject",
        )
    return subject


def tags_of(session: Session, tag_slugs: list[str]) -> list[Tag]:
    """The topics chosen on the form (unknown slugs are ignored: the list offers them all)."""
    return list(session.scalars(select(Tag).where(Tag.slug.in_(tag_slugs)))) if tag_slugs else []


def contact_support(
    session: Session, customer: User, *, subject: str, body: str, tag_slugs: list[str]
) -> Case:
    """A request from the Contact support form."""
    require(can_post(customer), _("Sign in to contact support."))
    now = utcnow()
    require_contact_rate(session, customer, now)
    subject = clean_subject(subject)
    tags = tags_of(session, tag_slugs)
    case, _created = open_case(
        session,
        customer=customer,
        subject=subject,
        channel=Channel.CONTACT_FORM,
        actor=customer,
        body=clean_body(body, "message"),
        tags=tags,
        reason=line("contact_form"),
        now=now,
    )
    # In the transaction: search counts it against the browser's self-service flow.
    events.publish("cases.contact_submitted", session=session, case=case)
    return case


def escalate_post(session: Session, moderator: User, post: Post, reason: str) -> Case:
    """A moderator sends a post (a complaint, say) to the agents."""
    require(can_moderate(moderator), _("Only moderators escalate posts."))
    thread = post.thread
    if post.status in (PostStatus.DELETED, PostStatus.HIDDEN) or (
        thread.question is None or thread.question.status == PostStatus.DELETED
    ):
        raise ValidationFailed(_("This post was removed; it cannot be escalated."))
    case, created = open_case(
        session,
        customer=post.author,
        subject=thread.title,
        channel=Channel.MODERATOR,
        actor=moderator,
        thread=thread,
        post=post,
        body=post.body if not post.is_question else "",
        reason=line("escalated", moderator=moderator.id),
        note=reason.strip(),
    )
    if not created:
        again = line("escalated_again", moderator=moderator.id, post=post.id)
        add_event(session, case, EventKind.NOTE, moderator, reason.strip(), lines=[again])
        session.flush()
    return case
