"""The audit log: every moderator and admin action, append-only, searchable by admins.

Entries are only ever added. The ORM refuses to flush a changed or deleted entry (below);
migration 0005 adds database triggers that refuse UPDATE and DELETE on the table as well.
One change is allowed, by the triggers of migration 0013 too: when an account is deleted,
``erase_names`` replaces its name in the entries it made or is the subject of with
DELETED_NAME, so they keep only its id.

**Languages.** An action's name is a code (``post.hidden``), shown under its label from
ACTION_LABELS in the reader's language. What an entry says in words — its target
("reply #12 in “…”"), its reason, a watched term's description — is kept as written, like
the moderators' own reasons: the log is append-only, and an entry must read tomorrow as
it read when it was made. The words the portal writes itself are therefore written once,
in the site's default language (``site_text``), the language the staff who read the log
share; entries already stored keep their text.
"""

from datetime import datetime

from flask_babel import force_locale, gettext
from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session

from moderation.models import AuditEntry
from portal.errors import PermissionDenied
from portal.i18n import N_, site_default
from portal.models import DELETED_NAME, User

_MUTED_KEY = "moderation.audit_muted"
SYSTEM = "system"  # actor_name of what the portal did by itself

# Each action as the audit page names it. Packages above moderation that write the log
# add theirs with ``register_actions``; an unknown action shows as its code.
ACTION_LABELS = {
    "post.approved": N_("Post approved"),
    "post.edited": N_("Post edited"),
    "post.hidden": N_("Post hidden"),
    "post.deleted": N_("Post deleted"),
    "post.hidden_by_reports": N_("Post hidden by reports"),
    "appeal.granted": N_("Appeal granted"),
    "appeal.denied": N_("Appeal declined"),
    "thread.locked": N_("Thread locked"),
    "thread.unlocked": N_("Thread unlocked"),
    "thread.closed_duplicate": N_("Thread closed as a duplicate"),
    "thread.reopened": N_("Thread reopened"),
    "rule.term_added": N_("Watched term added"),
    "rule.term_changed": N_("Watched term changed"),
    "rule.term_deleted": N_("Watched term deleted"),
    "user.role_changed": N_("Role changed"),
    "user.suspended": N_("Member suspended"),
    "user.unsuspended": N_("Suspension lifted"),
    "user.deleted": N_("Account deleted"),
    "site.setting_changed": N_("Site setting changed"),
}


def register_actions(labels: dict[str, str]) -> None:
    """Name more actions for the audit page (``{"case.closed": N_("Case closed")}``)."""
    ACTION_LABELS.update(labels)


def action_label(action: str) -> str | None:
    """The action's name in the current language; None for an action nobody named."""
    label = ACTION_LABELS.get(action)
    return gettext(label) if label else None


def site_text(session: Session, message: str, **params) -> str:
    """A text the portal writes into the log itself, in the site's default language."""
    with force_locale(site_default(session)):
        return gettext(message, **params) if params else gettext(message)


def record(
    session: Session,
    actor: User | None,
    action: str,
    *,
    target_type: str,
    target_id: int | None,
    target_label: str = "",
    reason: str = "",
    before: str | None = None,
    after: str | None = None,
) -> AuditEntry:
    """Append one entry; before/after only when a text changed."""
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        actor_name=actor_name(actor),
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label[:300],
        reason=(reason or "")[:500],
        before_text=before,
        after_text=after,
    )
    session.add(entry)
    return entry


def actor_name(actor: User | None) -> str:
    if actor is None:
        return SYSTEM
    return DELETED_NAME if actor.is_deleted else actor.username


def erase_names(session: Session, user: User) -> None:
    """Replace a deleted account's name with DELETED_NAME in the entries it made and those
    about it: the one change the database's triggers let through (migration 0013)."""
    session.execute(
        update(AuditEntry)
        .where(AuditEntry.actor_id == user.id, AuditEntry.actor_name != DELETED_NAME)
        .values(actor_name=DELETED_NAME)
    )
    session.execute(
        update(AuditEntry)
        .where(
            AuditEntry.target_type == "user",
            AuditEntry.target_id == user.id,
            AuditEntry.target_label != DELETED_NAME,
        )
        .values(target_label=DELETED_NAME)
    )


class muted:
    """While open, the event subscribers below log nothing: the caller records the action."""

    def __init__(self, session: Session):
        self.session = session

    def __enter__(self):
        self.session.info[_MUTED_KEY] = self.session.info.get(_MUTED_KEY, 0) + 1
        return self

    def __exit__(self, *exc):
        self.session.info[_MUTED_KEY] -= 1


def is_muted(session: Session) -> bool:
    return session.info.get(_MUTED_KEY, 0) > 0


def search(
    *,
    text: str = "",
    action: str = "",
    actor: str = "",
    actor_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
):
    """The statement for the audit page, newest first (paginate it); ``actor_id`` keeps
    one person's own entries (a moderator reading their actions)."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    if text:
        pattern = f"%{text.lower()}%"
        query = query.where(
            or_(
                AuditEntry.target_label.ilike(pattern),
                AuditEntry.reason.ilike(pattern),
                AuditEntry.before_text.ilike(pattern),
                AuditEntry.after_text.ilike(pattern),
            )
        )
    if action:
        query = query.where(AuditEntry.action == action)
    if actor:
        query = query.where(AuditEntry.actor_name == actor.strip().lower())
    if since:
        query = query.where(AuditEntry.at >= since)
    if until:
        query = query.where(AuditEntry.at < until)
    return query


def actions(session: Session) -> list[str]:
    """The action names that occur in the log, for the filter."""
    return list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, flush_context, instances) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEntry) and (obj in session.deleted or session.is_modified(obj)):
            raise PermissionDenied(gettext("The audit log is append-only."))


# Subscribers: actions made elsewhere (admin pages, community buttons) are logged here.
def _user_label(user: User) -> str:
    return f"@{user.username}"


def on_role_changed(sender, *, actor, user, old_role, new_role, sso=False, **data) -> None:
    session = Session.object_session(user)
    if actor is not None:
        why = ""
    elif sso:
        why = site_text(session, N_("given by the single sign-on provider"))
    else:
        why = site_text(session, N_("reputation threshold reached"))
    record(
        session,
        actor,
        "user.role_changed",
        target_type="user",
        target_id=user.id,
        target_label=_user_label(user),
        reason=why,
        before=old_role,
        after=new_role,
    )


def on_suspended(sender, *, actor, user, reason, days, **data) -> None:
    session = Session.object_session(user)
    if days:
        label = N_("%(user)s (%(days)s days)") if days != 1 else N_("%(user)s (1 day)")
    else:
        label = N_("%(user)s (until lifted)")
    record(
        session,
        actor,
        "user.suspended",
        target_type="user",
        target_id=user.id,
        target_label=site_text(session, label, user=_user_label(user), days=days),
        reason=reason,
    )


def on_unsuspended(sender, *, actor, user, **data) -> None:
    record(
        Session.object_session(user),
        actor,
        "user.unsuspended",
        target_type="user",
        target_id=user.id,
        target_label=_user_label(user),
    )


def post_label(post) -> str:
    """The post an entry is about, in the site's language: "reply #12 in “…”"."""
    if post.is_question:
        label = N_("question #%(id)s in “%(title)s”")
    else:
        label = N_("reply #%(id)s in “%(title)s”")
    session = Session.object_session(post)
    return site_text(session, label, id=post.id, title=post.thread.title)[:300]


def thread_label(thread) -> str:
    """The thread an entry is about, quoted the site's language's way."""
    session = Session.object_session(thread)
    return site_text(session, N_("“%(title)s”"), title=thread.title)[:300]


def _is_moderator_action(session: Session, actor) -> bool:
    from portal.permissions import can_moderate

    return actor is not None and can_moderate(actor) and not is_muted(session)


def on_post_edited(sender, *, post, thread, actor, **data) -> None:
    session = Session.object_session(post)
    if not _is_moderator_action(session, actor) or actor.id == post.author_id:
        return
    previous = post.revisions[-1].previous_body if post.revisions else None
    record(
        session,
        actor,
        "post.edited",
        target_type="post",
        target_id=post.id,
        target_label=post_label(post),
        before=previous,
        after=post.body,
    )


def on_post_removed(sender, *, post, thread, actor, reason="", **data) -> None:
    session = Session.object_session(post)
    if not _is_moderator_action(session, actor) or actor.id == post.author_id:
        return
    action = "post.hidden" if post.status == "hidden" else "post.deleted"
    record(
        session,
        actor,
        action,
        target_type="post",
        target_id=post.id,
        target_label=post_label(post),
        reason=reason,
    )


def on_thread_locked(sender, *, thread, actor, **data) -> None:
    _thread_entry(thread, actor, "thread.locked")


def on_thread_unlocked(sender, *, thread, actor, **data) -> None:
    _thread_entry(thread, actor, "thread.unlocked")


def on_thread_closed(sender, *, thread, original, actor, **data) -> None:
    reason = site_text(Session.object_session(thread), N_("duplicate of #%(id)s"), id=original.id)
    _thread_entry(thread, actor, "thread.closed_duplicate", reason)


def on_thread_reopened(sender, *, thread, actor, **data) -> None:
    _thread_entry(thread, actor, "thread.reopened")


def _thread_entry(thread, actor, action: str, reason: str = "") -> None:
    session = Session.object_session(thread)
    if not _is_moderator_action(session, actor):
        return
    record(
        session,
        actor,
        action,
        target_type="thread",
        target_id=thread.id,
        target_label=thread_label(thread),
        reason=reason,
    )


def on_site_setting_changed(sender, *, actor, key, before, after, **data) -> None:
    record(
        Session.object_session(actor),
        actor,
        "site.setting_changed",
        target_type="site",
        target_id=None,
        target_label=key,
        before=before,
        after=after,
    )


SUBSCRIPTIONS = {
    "site.setting_changed": on_site_setting_changed,
    "user.role_changed": on_role_changed,
    "user.suspended": on_suspended,
    "user.unsuspended": on_unsuspended,
    "community.post_edited": on_post_edited,
    "community.post_hidden": on_post_removed,
    "community.post_deleted": on_post_removed,
    "community.thread_locked": on_thread_locked,
    "community.thread_unlocked": on_thread_unlocked,
    "community.thread_closed": on_thread_closed,
    "community.thread_reopened": on_thread_reopened,
}
