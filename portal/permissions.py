"""Every role and permission rule of the portal, in one place.

Views decorate with role_required / permission_required, services call require(),
templates call the same predicates (registered as Jinja globals in create_app).
"""

from collections.abc import Callable
from enum import StrEnum
from functools import wraps

from flask import abort, current_app
from flask_babel import gettext, pgettext
from flask_login import current_user

from portal.errors import PermissionDenied


class Role(StrEnum):
    CUSTOMER = "customer"
    SUPERUSER = "superuser"
    MODERATOR = "moderator"
    AGENT = "agent"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        """The role's name in the reader's language ("Super-user", "Super-utilisateur")."""
        # In the "role" context: "Admin" the person, apart from "Admin" the menu.
        labels = {
            Role.CUSTOMER: pgettext("role", "Customer"),
            Role.SUPERUSER: pgettext("role", "Super-user"),
            Role.MODERATOR: pgettext("role", "Moderator"),
            Role.AGENT: pgettext("role", "Agent"),
            Role.ADMIN: pgettext("role", "Admin"),
        }
        return labels[self]


STAFF_ROLES = frozenset({Role.MODERATOR, Role.AGENT, Role.ADMIN})
# Trusted with the community's housekeeping: retagging, duplicates, new tags while asking.
CURATOR_ROLES = frozenset({Role.SUPERUSER, *STAFF_ROLES})


def role_of(user) -> Role | None:
    """The role of a signed-in user, None for visitors."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Role(user.role)


def is_signed_in(user) -> bool:
    return role_of(user) is not None


def is_staff(user) -> bool:
    return role_of(user) in STAFF_ROLES


def can_post(user) -> bool:
    """Ask, reply, vote, flag: any signed-in user who is not suspended."""
    return is_signed_in(user) and not user.is_suspended


def can_manage_users(user) -> bool:
    return role_of(user) is Role.ADMIN


def can_manage_tags(user) -> bool:
    return role_of(user) in {Role.AGENT, Role.ADMIN}


def can_moderate(user) -> bool:
    return role_of(user) in {Role.MODERATOR, Role.ADMIN}


def can_work_cases(user) -> bool:
    return role_of(user) in {Role.AGENT, Role.ADMIN}


def can_view_search_gaps(user) -> bool:
    """Search analytics (content gaps, deflection) are for the people who write answers."""
    return role_of(user) in {Role.AGENT, Role.ADMIN}


def can_view_dashboard(user) -> bool:
    """The support leader's numbers: for the agents who move them and the admins who run
    support. Moderators keep the community clean; cases, costs and CSAT are not theirs."""
    return role_of(user) in {Role.AGENT, Role.ADMIN}


def can_suspend(user, target) -> bool:
    """Moderators suspend community members; only admins suspend staff; nobody themselves
    or a deleted account."""
    if not can_moderate(user) or user.id == target.id or target.deleted_at is not None:
        return False
    return can_manage_users(user) or role_of(target) not in STAFF_ROLES


def can_delete_account(user, target) -> bool:
    """Members delete their own account (staff too); admins delete anyone's, audited."""
    if not is_signed_in(user) or target.deleted_at is not None:
        return False
    return user.id == target.id or can_manage_users(user)


def can_edit_profile(user, profile_owner) -> bool:
    return is_signed_in(user) and (user.id == profile_owner.id or can_manage_users(user))


def can_write_articles(user) -> bool:
    """Create, edit, publish and archive KB articles; review suggested edits; see feedback."""
    return role_of(user) in {Role.AGENT, Role.ADMIN}


def can_suggest_edits(user) -> bool:
    """Super-users propose changes to published articles; an agent accepts or declines."""
    return role_of(user) is Role.SUPERUSER and not user.is_suspended


def can_read_article(user, article) -> bool:
    """Published articles are public; drafts and archived ones only for their writers."""
    return article.status == "published" or can_write_articles(user)


def can_edit_post(user, post) -> bool:
    """The author edits their own post; moderators edit any."""
    return can_post(user) and (user.id == post.author_id or can_moderate(user))


def can_delete_post(user, post) -> bool:
    """The author or a moderator removes a post (a soft delete)."""
    return can_edit_post(user, post)


def can_vote(user, post) -> bool:
    """Anyone who may post votes, but never on their own post."""
    return can_post(user) and user.id != post.author_id


def can_accept_solution(user, thread) -> bool:
    """The asker, a moderator or an agent marks (or changes) the solution of a thread."""
    if not can_post(user):
        return False
    return user.id == thread.author_id or role_of(user) in STAFF_ROLES


def can_retag(user) -> bool:
    return can_post(user) and role_of(user) in CURATOR_ROLES


def can_close_as_duplicate(user) -> bool:
    return can_post(user) and role_of(user) in CURATOR_ROLES


def can_create_tags_while_posting(user) -> bool:
    """Super-users and staff may introduce a new tag when they ask or retag."""
    return can_post(user) and role_of(user) in CURATOR_ROLES


def can_lock_thread(user) -> bool:
    return can_moderate(user)


def can_hide_post(user) -> bool:
    return can_moderate(user)


def can_flag(user, post) -> bool:
    """Any member who may post reports someone else's post."""
    return can_post(user) and user.id != post.author_id


def flag_hides_at_once(user) -> bool:
    """A report from a super-user or staff hides the post pending review on its own."""
    return role_of(user) in CURATOR_ROLES


def can_appeal(user, post) -> bool:
    """The author of a post removed by someone else may appeal (once per removal)."""
    return (
        is_signed_in(user)
        and user.id == post.author_id
        and post.status in {"hidden", "deleted"}
        and post.removed_by_id != user.id
    )


def can_manage_moderation_rules(user) -> bool:
    """Watched words and patterns are the admins' to edit."""
    return role_of(user) is Role.ADMIN


def can_read_audit_log(user) -> bool:
    """Everyone's entries in the audit log."""
    return role_of(user) is Role.ADMIN


def can_read_own_audit_entries(user) -> bool:
    """Moderators read the audit log of their own actions (what they did, when, why);
    admins read everyone's (can_read_audit_log)."""
    return role_of(user) in {Role.MODERATOR, Role.ADMIN}


def can_manage_jobs(user) -> bool:
    """See background jobs that failed for good, retry or purge them (/admin/jobs)."""
    return role_of(user) is Role.ADMIN


def can_promote_to_kb(user) -> bool:
    """Agents turn a solved thread into a draft article (the KB package provides the page)."""
    return role_of(user) in {Role.AGENT, Role.ADMIN}


def can_supervise_cases(user) -> bool:
    """Admins see the supervisor view and manage macros, priority rules and VIP flags."""
    return role_of(user) is Role.ADMIN


def can_request_help(user, thread) -> bool:
    """The asker sends their own thread to support ("I still need help")."""
    return can_post(user) and user.id == thread.author_id


def can_escalate_post(user) -> bool:
    """Moderators send a post (a complaint, say) to the agents as a case."""
    return can_moderate(user)


def can_have_api_tokens(user) -> bool:
    """Any signed-in member makes personal access tokens for the API (they act as them)."""
    return is_signed_in(user)


def can_manage_service_tokens(user) -> bool:
    """Service tokens act for an integration (as an account the admin chooses)."""
    return role_of(user) is Role.ADMIN


def can_manage_webhooks(user) -> bool:
    """Register webhook endpoints, see their deliveries, replay them."""
    return role_of(user) is Role.ADMIN


def can_manage_known_issues(user) -> bool:
    """Agents and admins declare known issues, link threads and cases, resolve them, and
    receive and handle surge alerts (proactive/)."""
    return role_of(user) in {Role.AGENT, Role.ADMIN}


def can_follow_known_issue(user) -> bool:
    """Any signed-in account may ask to be told when a known issue is resolved (a deleted
    account cannot sign in)."""
    return is_signed_in(user)


# Exposed to templates as globals under these names.
TEMPLATE_PREDICATES: dict[str, Callable] = {
    "is_staff": is_staff,
    "can_post": can_post,
    "can_manage_users": can_manage_users,
    "can_manage_tags": can_manage_tags,
    "can_moderate": can_moderate,
    "can_read_own_audit_entries": can_read_own_audit_entries,
    "can_work_cases": can_work_cases,
    "can_view_search_gaps": can_view_search_gaps,
    "can_view_dashboard": can_view_dashboard,
    "can_suspend": can_suspend,
    "can_edit_profile": can_edit_profile,
    "can_delete_account": can_delete_account,
    "can_write_articles": can_write_articles,
    "can_suggest_edits": can_suggest_edits,
    "can_read_article": can_read_article,
    "can_edit_post": can_edit_post,
    "can_delete_post": can_delete_post,
    "can_vote": can_vote,
    "can_accept_solution": can_accept_solution,
    "can_retag": can_retag,
    "can_close_as_duplicate": can_close_as_duplicate,
    "can_create_tags_while_posting": can_create_tags_while_posting,
    "can_lock_thread": can_lock_thread,
    "can_hide_post": can_hide_post,
    "can_promote_to_kb": can_promote_to_kb,
    "can_supervise_cases": can_supervise_cases,
    "can_request_help": can_request_help,
    "can_escalate_post": can_escalate_post,
    "can_flag": can_flag,
    "can_appeal": can_appeal,
    "can_manage_moderation_rules": can_manage_moderation_rules,
    "can_read_audit_log": can_read_audit_log,
    "can_manage_jobs": can_manage_jobs,
    "can_have_api_tokens": can_have_api_tokens,
    "can_manage_service_tokens": can_manage_service_tokens,
    "can_manage_webhooks": can_manage_webhooks,
    "can_manage_known_issues": can_manage_known_issues,
    "can_follow_known_issue": can_follow_known_issue,
}


def require(allowed: bool, message: str | None = None) -> None:
    """Raise PermissionDenied in a service when a rule says no (``message`` translated by
    the caller)."""
    if not allowed:
        raise PermissionDenied(message or gettext("You are not allowed to do that."))


def permission_required(predicate: Callable[[object], bool]):
    """View decorator: visitors are sent to sign in, others without the right get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not is_signed_in(current_user):
                return current_app.login_manager.unauthorized()
            if not predicate(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def role_required(*roles: Role):
    """View decorator allowing only the given roles."""
    allowed = frozenset(Role(role) for role in roles)
    return permission_required(lambda user: role_of(user) in allowed)
