"""The permission matrix: every role against every protected page.

Later issues add their pages to PROTECTED_PAGES; one row per page, one column per role.
Expected codes: 200 allowed, 302 sent to sign in, 403 refused.
"""

import pytest

from community.service import accept_solution
from moderation import queue as moderation_queue
from moderation.cases import sources
from portal import permissions
from portal.permissions import Role
from tests.factories import make_article, make_reply, make_thread, make_user

VISITOR = None
ROLES = [VISITOR, *Role]

# path → expected status for: visitor, customer, superuser, moderator, agent, admin
PROTECTED_PAGES = {
    "/settings": (302, 200, 200, 200, 200, 200),
    "/admin/users": (302, 403, 403, 403, 403, 200),
    "/admin/users/target": (302, 403, 403, 403, 403, 200),
    "/kb/target-article": (200, 200, 200, 200, 200, 200),
    "/kb/draft-article": (404, 404, 404, 404, 200, 200),
    "/kb/new": (302, 403, 403, 403, 200, 200),
    "/kb/manage": (302, 403, 403, 403, 200, 200),
    "/kb/least-helpful": (302, 403, 403, 403, 200, 200),
    "/kb/target-article/edit": (302, 403, 403, 403, 200, 200),
    "/kb/target-article/history": (302, 403, 403, 403, 200, 200),
    "/kb/target-article/suggest": (302, 403, 200, 403, 403, 403),
    "/notifications/": (302, 200, 200, 200, 200, 200),
    "/community/": (200, 200, 200, 200, 200, 200),
    "/community/leaderboard": (200, 200, 200, 200, 200, 200),
    "/community/ask": (302, 200, 200, 200, 200, 200),
    "/community/threads/{thread}": (200, 200, 200, 200, 200, 200),
    "/community/threads/{thread}/retag": (302, 403, 200, 200, 200, 200),
    "/community/threads/{thread}/duplicate": (302, 403, 200, 200, 200, 200),
    "/community/posts/{question}/edit": (302, 403, 403, 200, 403, 200),
    "/community/posts/{question}/history": (200, 200, 200, 200, 200, 200),
    "/desk/": (302, 403, 403, 403, 200, 200),
    "/desk/cases/{case}": (302, 403, 403, 403, 200, 200),
    "/desk/profile": (302, 403, 403, 403, 200, 200),
    "/desk/supervisor": (302, 403, 403, 403, 403, 200),
    "/desk/macros": (302, 403, 403, 403, 403, 200),
    "/desk/macros/new": (302, 403, 403, 403, 403, 200),
    "/desk/rules": (302, 403, 403, 403, 403, 200),
    "/desk/rules/new": (302, 403, 403, 403, 403, 200),
    "/support/contact": (200, 200, 200, 200, 200, 200),  # visitors: the form without an account
    "/support/cases": (302, 200, 200, 200, 200, 200),
    # Somebody else's case (the asker's): 404 for every other account, staff included.
    "/support/cases/{case}": (302, 404, 404, 404, 404, 404),
    "/moderation/": (302, 403, 403, 200, 403, 200),
    "/moderation/?filter=resolved": (302, 403, 403, 200, 403, 200),
    "/moderation/items/{item}": (302, 403, 403, 200, 403, 200),
    "/moderation/rules": (302, 403, 403, 403, 403, 200),
    "/moderation/audit": (302, 403, 403, 200, 403, 200),  # a moderator: their own entries
    "/moderation/posts/{question}/flag": (302, 200, 200, 200, 200, 200),
    "/moderation/posts/{question}/appeal": (302, 404, 404, 404, 404, 404),
    "/search/gaps": (302, 403, 403, 403, 200, 200),
    "/dashboard/": (302, 403, 403, 403, 200, 200),
    "/dashboard/?days=7": (302, 403, 403, 403, 200, 200),
    "/dashboard/definitions": (302, 403, 403, 403, 200, 200),
    "/dashboard/export/questions_by_tag.csv": (302, 403, 403, 403, 200, 200),
    "/dashboard/export/weekly_cases.csv?days=90": (302, 403, 403, 403, 200, 200),
}


# POST actions: path → expected status for the same six columns (302 after success too).
PROTECTED_ACTIONS = {
    "/kb/from-thread/{thread}": (302, 403, 403, 403, 302, 302),
    "/desk/customers/target/vip": (302, 403, 403, 403, 403, 302),
    "/settings/preferences": (302, 302, 302, 302, 302, 302),
}


def seed_matrix(session):
    """The users, articles, a solved thread, its case and queue item the matrix pages use."""
    make_user(session, "target")
    writer = make_user(session, "writer", role=Role.AGENT)
    make_article(session, writer, "Target article")
    make_article(session, writer, "Draft article", publish=False)
    for role in Role:
        make_user(session, f"as-{role.value}", role=role)
    thread = make_thread(session, author=make_user(session, "asker"))
    accept_solution(session, thread.author, thread, make_reply(session, thread))
    case, _ = sources.need_help(session, thread.author, thread)
    item = moderation_queue.item_for(session, thread.question)
    session.commit()
    return thread, case, item


@pytest.mark.parametrize("path, expected", PROTECTED_ACTIONS.items(), ids=list(PROTECTED_ACTIONS))
def test_action_permission_matrix(client, db, auth, path, expected):
    thread, _case, _item = seed_matrix(db.session)
    path = path.format(thread=thread.id)
    seen = []
    for role in ROLES:
        if role is not VISITOR:
            auth.login(f"as-{role.value}")
        seen.append(client.post(path).status_code)
        if role is not VISITOR:
            auth.logout()
    assert tuple(seen) == expected


@pytest.mark.parametrize("path, expected", PROTECTED_PAGES.items(), ids=list(PROTECTED_PAGES))
def test_permission_matrix(client, db, auth, path, expected):
    thread, case, item = seed_matrix(db.session)
    path = path.format(thread=thread.id, question=thread.question.id, case=case.id, item=item.id)
    seen = []
    for role in ROLES:
        if role is not VISITOR:
            auth.login(f"as-{role.value}")
        seen.append(client.get(path).status_code)
        if role is not VISITOR:
            auth.logout()
    assert tuple(seen) == expected


class FakeUser:
    is_authenticated = True
    deleted_at = None

    def __init__(self, role, user_id=1, suspended=False):
        self.role, self.id, self.is_suspended = role.value, user_id, suspended


@pytest.mark.parametrize(
    "predicate, allowed",
    [
        (permissions.can_manage_users, {Role.ADMIN}),
        (permissions.can_manage_jobs, {Role.ADMIN}),
        (permissions.can_manage_tags, {Role.AGENT, Role.ADMIN}),
        (permissions.can_moderate, {Role.MODERATOR, Role.ADMIN}),
        (permissions.can_work_cases, {Role.AGENT, Role.ADMIN}),
        (permissions.can_view_search_gaps, {Role.AGENT, Role.ADMIN}),
        (permissions.can_view_dashboard, {Role.AGENT, Role.ADMIN}),
        (permissions.can_manage_known_issues, {Role.AGENT, Role.ADMIN}),
        (permissions.can_follow_known_issue, set(Role)),
        (permissions.is_staff, {Role.MODERATOR, Role.AGENT, Role.ADMIN}),
        (permissions.can_post, set(Role)),
        (permissions.can_write_articles, {Role.AGENT, Role.ADMIN}),
        (permissions.can_suggest_edits, {Role.SUPERUSER}),
        (permissions.can_retag, {Role.SUPERUSER, Role.MODERATOR, Role.AGENT, Role.ADMIN}),
        (
            permissions.can_close_as_duplicate,
            {Role.SUPERUSER, Role.MODERATOR, Role.AGENT, Role.ADMIN},
        ),
        (permissions.can_lock_thread, {Role.MODERATOR, Role.ADMIN}),
        (permissions.can_hide_post, {Role.MODERATOR, Role.ADMIN}),
        (permissions.can_promote_to_kb, {Role.AGENT, Role.ADMIN}),
        (permissions.can_supervise_cases, {Role.ADMIN}),
        (permissions.can_escalate_post, {Role.MODERATOR, Role.ADMIN}),
        (permissions.can_manage_moderation_rules, {Role.ADMIN}),
        (permissions.can_read_audit_log, {Role.ADMIN}),
        (permissions.can_read_own_audit_entries, {Role.MODERATOR, Role.ADMIN}),
        (
            permissions.flag_hides_at_once,
            {Role.SUPERUSER, Role.MODERATOR, Role.AGENT, Role.ADMIN},
        ),
    ],
)
def test_predicates_by_role(predicate, allowed):
    assert {role for role in Role if predicate(FakeUser(role))} == allowed
    assert not predicate(None)


def test_suspended_users_cannot_post():
    assert not permissions.can_post(FakeUser(Role.CUSTOMER, suspended=True))
    assert not permissions.can_suggest_edits(FakeUser(Role.SUPERUSER, suspended=True))


def test_suspend_rule():
    moderator, admin = FakeUser(Role.MODERATOR, 1), FakeUser(Role.ADMIN, 2)
    customer, agent = FakeUser(Role.CUSTOMER, 3), FakeUser(Role.AGENT, 4)
    assert permissions.can_suspend(moderator, customer)
    assert not permissions.can_suspend(moderator, agent)
    assert permissions.can_suspend(admin, agent)
    assert not permissions.can_suspend(admin, admin)
    assert not permissions.can_suspend(agent, customer)
    customer.deleted_at = "yesterday"
    assert not permissions.can_suspend(moderator, customer)


def test_delete_account_rule():
    """Anyone their own account, admins anyone's, nobody an account deleted already."""
    admin, customer = FakeUser(Role.ADMIN, 1), FakeUser(Role.CUSTOMER, 2)
    agent = FakeUser(Role.AGENT, 3)
    assert permissions.can_delete_account(customer, customer)
    assert permissions.can_delete_account(agent, agent)
    assert permissions.can_delete_account(admin, customer)
    assert not permissions.can_delete_account(agent, customer)
    assert not permissions.can_delete_account(None, customer)
    customer.deleted_at = "yesterday"
    assert not permissions.can_delete_account(admin, customer)


class FakePost:
    def __init__(self, author_id):
        self.author_id = author_id


@pytest.mark.parametrize(
    "predicate, allowed",
    [
        (permissions.can_edit_post, {Role.MODERATOR, Role.ADMIN}),
        (permissions.can_delete_post, {Role.MODERATOR, Role.ADMIN}),
        (permissions.can_vote, set(Role)),
        (permissions.can_accept_solution, {Role.MODERATOR, Role.AGENT, Role.ADMIN}),
        (permissions.can_flag, set(Role)),
    ],
)
def test_post_predicates_for_someone_elses_post(predicate, allowed):
    """On another user's post or thread (author 99); authors have their own rules below."""
    assert {role for role in Role if predicate(FakeUser(role), FakePost(99))} == allowed


def test_post_predicates_for_the_author():
    author, own = FakeUser(Role.CUSTOMER, user_id=7), FakePost(7)
    assert permissions.can_edit_post(author, own) and permissions.can_delete_post(author, own)
    assert permissions.can_accept_solution(author, own)
    assert not permissions.can_vote(author, own)
    assert not permissions.can_flag(author, own)
    suspended = FakeUser(Role.CUSTOMER, user_id=7, suspended=True)
    assert not permissions.can_edit_post(suspended, own)
    assert not permissions.can_accept_solution(suspended, own)
