"""What moderators do with a queue item: approve, hide, delete, edit, lock, close, suspend.

Resolving actions (approve, hide, delete, and their bulk forms) claim the item atomically
with the revision the moderator saw, so a second click on a handled item changes nothing.
Status changes go through community.service (which announces them to search) or announce
themselves with community.announce.changed. Each action writes one audit entry.

Authors and reporters are told in their own language (``notify`` with the catalog's
message and its values); a question and a reply each have their own sentences, so that
no language has to glue a noun into someone else's grammar.
"""

from flask import has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from community import curation
from community import service as community_service
from community.announce import changed
from community.models import Post, PostStatus
from community.notify import thread_link
from moderation import audit, queue
from moderation.models import QueueItem
from portal import notifications
from portal import service as portal_service
from portal.database import utcnow
from portal.errors import Conflict, ValidationFailed
from portal.i18n import N_
from portal.models import User
from portal.permissions import can_moderate, require

REMOVALS = {"hide": PostStatus.HIDDEN, "delete": PostStatus.DELETED}

# What the author of a question / of a reply is told, with and without the moderator's note.
APPROVED = {
    (True, False): N_("Your question “%(title)s” was approved and is now visible."),
    (False, False): N_("Your reply in “%(title)s” was approved and is now visible."),
    (True, True): N_(
        "Your question “%(title)s” was approved and is now visible. Moderator’s note: %(note)s"
    ),
    (False, True): N_(
        "Your reply in “%(title)s” was approved and is now visible. Moderator’s note: %(note)s"
    ),
}
RESTORED = {
    (True, False): N_("Your question “%(title)s” was reviewed and restored."),
    (False, False): N_("Your reply in “%(title)s” was reviewed and restored."),
    (True, True): N_(
        "Your question “%(title)s” was reviewed and restored. Moderator’s note: %(note)s"
    ),
    (False, True): N_(
        "Your reply in “%(title)s” was reviewed and restored. Moderator’s note: %(note)s"
    ),
}
REMOVED = {
    (True, True): N_(
        "A moderator removed your question “%(title)s”: %(reason)s You can appeal once."
    ),
    (False, True): N_(
        "A moderator removed your reply in “%(title)s”: %(reason)s You can appeal once."
    ),
    (True, False): N_("A moderator removed your question “%(title)s”. You can appeal once."),
    (False, False): N_("A moderator removed your reply in “%(title)s”. You can appeal once."),
}
# An approval without a note says in the audit log what the post was before.
WAS = {
    "held": N_("was held"),
    "hidden": N_("was hidden"),
    "deleted": N_("was deleted"),
    "visible": N_("was visible"),
}
APPEAL_DECLINED = {
    True: N_("Your appeal for your question “%(title)s” was declined: %(reason)s"),
    False: N_("Your appeal for your reply in “%(title)s” was declined: %(reason)s"),
}


def appeal_link(post: Post) -> str:
    if has_request_context():
        return url_for("moderation.appeal", post_id=post.id)
    return f"/moderation/posts/{post.id}/appeal"


def restore(session: Session, post: Post) -> None:
    """Put a removed post back on the page (an approval after reports or an appeal)."""
    post.status, post.removed_at, post.removed_by_id = PostStatus.VISIBLE.value, None, None
    community_service.refresh_reply_count(session, post.thread)
    session.flush()
    changed(session, post.thread, post, "post_restored")


def _notify_reporters(session: Session, actor: User, post: Post, flags, removed: bool) -> None:
    if removed:
        message = N_("Your report on a post in “%(title)s”: a moderator removed it.")
    else:
        message = N_(
            "Your report on a post in “%(title)s”: a moderator reviewed it and left it up."
        )
    for flag in flags:
        notifications.notify(
            session,
            flag.reporter,
            kind="flag_handled",
            message=message,
            params={"title": post.thread.title},
            link=thread_link(post.thread),
            actor=actor,
        )


def approve(
    session: Session, actor: User, item: QueueItem, revision: int, *, reason: str = ""
) -> None:
    """Clear the reasons and publish: held posts go live, removed ones come back."""
    require(can_moderate(actor), _("Only moderators approve posts."))
    post = item.post
    queue.claim(session, actor, item, revision, "approved", reason)
    flags = queue.clear_reasons(session, item, "kept")
    appeal = queue.open_appeal(session, post.id)
    was = post.status
    if was == PostStatus.HELD:
        community_service.go_live(session, post)
        message = APPROVED[post.is_question, bool(reason)]
    elif was == PostStatus.DELETED and post.removed_by_id == post.author_id:
        message = None  # the author deleted it themselves: approving does not bring it back
    elif was in {PostStatus.HIDDEN, PostStatus.DELETED}:
        restore(session, post)
        message = RESTORED[post.is_question, bool(reason)]
    else:
        message = None
    if appeal is not None:
        appeal.status, appeal.decided_by_id, appeal.decided_at = "granted", actor.id, utcnow()
        appeal.decision_reason = reason
    if message:
        notifications.notify(
            session,
            post.author,
            kind="post_approved",
            message=message,
            params={"title": post.thread.title, "note": reason},
            link=thread_link(post.thread, post),
            actor=actor,
        )
    _notify_reporters(session, actor, post, flags, removed=False)
    audit.record(
        session,
        actor,
        "appeal.granted" if appeal else "post.approved",
        target_type="post",
        target_id=post.id,
        target_label=audit.post_label(post),
        reason=reason or audit.site_text(session, WAS.get(was, N_("was %(status)s")), status=was),
    )
    session.flush()


def remove(
    session: Session, actor: User, item: QueueItem, revision: int, *, how: str, reason: str
) -> None:
    """Hide or (soft) delete the post with a reason the author reads; reporters are told."""
    require(can_moderate(actor), _("Only moderators remove posts."))
    if how not in REMOVALS:
        raise ValidationFailed(_("Choose hide or delete."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give the author a reason."), field="reason")
    post = item.post
    appeal = queue.open_appeal(session, post.id)
    queue.claim(session, actor, item, revision, "hidden" if how == "hide" else "deleted", reason)
    flags = queue.clear_reasons(session, item, "removed")
    with audit.muted(session):
        if how == "hide":
            community_service.hide_post(session, actor, post, reason=reason)
        else:
            community_service.delete_post(session, actor, post)
    # Hidden by reports before: now a moderator stands behind the removal.
    post.removed_by_id = actor.id
    if appeal is not None:
        appeal.status, appeal.decided_by_id, appeal.decided_at = "denied", actor.id, utcnow()
        appeal.decision_reason = reason
        message = APPEAL_DECLINED[post.is_question]
    else:
        message = REMOVED[post.is_question, True]
    notifications.notify(
        session,
        post.author,
        kind="post_removed",
        message=message,
        params={"title": post.thread.title, "reason": reason},
        link=appeal_link(post),
        actor=actor,
    )
    _notify_reporters(session, actor, post, flags, removed=True)
    audit.record(
        session,
        actor,
        "appeal.denied" if appeal else f"post.{'hidden' if how == 'hide' else 'deleted'}",
        target_type="post",
        target_id=post.id,
        target_label=audit.post_label(post),
        reason=reason,
    )
    session.flush()


def edit(
    session: Session,
    actor: User,
    item: QueueItem,
    revision: int,
    *,
    body: str,
    title: str | None = None,
    reason: str = "",
) -> bool:
    """Edit the post (kept in its history); False when nothing changed."""
    require(can_moderate(actor), _("Only moderators edit from the queue."))
    queue.require_current(item, revision, actor)
    post = item.post
    before = audit_text(post)
    with audit.muted(session):
        edited = community_service.edit_post(session, actor, post, body=body, title=title)
    if edited:
        item.revision += 1
        audit.record(
            session,
            actor,
            "post.edited",
            target_type="post",
            target_id=post.id,
            target_label=audit.post_label(post),
            reason=reason,
            before=before,
            after=audit_text(post),
        )
    session.flush()
    return edited


def audit_text(post: Post) -> str:
    return f"{post.thread.title}\n\n{post.body}" if post.is_question else post.body


def lock_thread(session: Session, actor: User, item: QueueItem, *, reason: str = "") -> None:
    thread = item.post.thread
    if thread.is_locked:
        raise Conflict(_("This thread is already locked."))
    with audit.muted(session):
        community_service.lock_thread(session, actor, thread, locked=True)
    audit.record(
        session, actor, "thread.locked", target_type="thread", target_id=thread.id,
        target_label=audit.thread_label(thread), reason=reason,
    )  # fmt: skip


def close_duplicate(session: Session, actor: User, item: QueueItem, *, original: str) -> None:
    thread = item.post.thread
    if thread.is_duplicate:
        raise Conflict(_("This thread is already closed as a duplicate."))
    with audit.muted(session):
        found = curation.close_as_duplicate(session, actor, thread, original)
    reason = audit.site_text(
        session, N_("duplicate of #%(id)s “%(title)s”"), id=found.id, title=found.title
    )
    audit.record(
        session, actor, "thread.closed_duplicate", target_type="thread", target_id=thread.id,
        target_label=audit.thread_label(thread), reason=reason,
    )  # fmt: skip


def suspend_author(
    session: Session, actor: User, item: QueueItem, *, reason: str, days: int | None
) -> None:
    """Suspend the post's author; the "user.suspended" subscriber writes the audit entry."""
    author = item.post.author
    if author.is_suspended:
        raise Conflict(_("%(name)s is already suspended.", name=author.username))
    portal_service.suspend_user(session, actor, author, reason=reason, days=days)


def bulk(
    session: Session, actor: User, choices: list[tuple[int, int]], *, how: str, reason: str
) -> tuple[int, list[str]]:
    """Approve or hide several items ({id: revision}); returns (done, messages for the others)."""
    done, skipped = 0, []
    for item_id, revision in choices:
        item = session.get(QueueItem, item_id)
        if item is None:
            skipped.append(_("Item %(id)s does not exist.", id=item_id))
            continue
        try:
            with session.begin_nested():
                if how == "approve":
                    approve(session, actor, item, revision, reason=reason)
                else:
                    remove(session, actor, item, revision, how="hide", reason=reason)
        except Conflict as error:
            skipped.append(_("Item %(id)s: %(problem)s", id=item_id, problem=error.message))
        else:
            done += 1
    return done, skipped


def on_removed_from_thread_page(sender, *, post, thread, actor, reason="", **data) -> None:
    """A moderator's Delete button on the thread page: the author hears of it and may appeal."""
    session = Session.object_session(post)
    if audit.is_muted(session) or actor is None or actor.id == post.author_id:
        return
    if not can_moderate(actor):
        return
    notifications.notify(
        session,
        post.author,
        kind="post_removed",
        message=REMOVED[post.is_question, bool(reason)],
        params={"title": thread.title, "reason": reason},
        link=appeal_link(post),
        actor=actor,
    )
