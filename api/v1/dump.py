"""Models → the plain values the schemas describe (links from SITE_URL)."""

from portal.urls import external_url


def user_ref(user) -> dict | None:
    if user is None:
        return None
    return {"username": user.username if not user.is_deleted else "", "name": user.name}


def article(item) -> dict:
    return {
        "slug": item.slug,
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        "language": item.language,
        "status": item.status,
        "version": item.version,
        "tags": [tag.slug for tag in item.tags],
        "author": user_ref(item.author),
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "published_at": item.published_at,
        "url": external_url("kb.article", slug=item.slug),
    }


def post(item) -> dict:
    return {
        "id": item.id,
        "author": user_ref(item.author),
        "body": item.body if item.status != "deleted" else "",
        "status": item.status,
        "score": item.score,
        "language": item.language,
        "is_question": item.is_question,
        "created_at": item.created_at,
        "edited_at": item.edited_at,
    }


def thread(item) -> dict:
    solution = item.solution
    return {
        "id": item.id,
        "title": item.title,
        "author": user_ref(item.author),
        "tags": [tag.slug for tag in item.tags],
        "language": item.language,
        "reply_count": item.reply_count,
        "solved": solution is not None,
        "solution_post_id": solution.post_id if solution else None,
        "locked": item.is_locked,
        "created_at": item.created_at,
        "last_activity_at": item.last_activity_at,
        "url": external_url("community.thread", thread_id=item.id),
    }


def case(item) -> dict:
    return {
        "id": item.id,
        "subject": item.subject,
        "status": item.status,
        "priority": item.priority,
        "channel": item.channel,
        "customer": user_ref(item.customer),
        "requester_email": item.requester_email,
        "assignee": user_ref(item.assignee),
        "thread_id": item.thread_id,
        "tags": [tag.slug for tag in item.tags],
        "opened_at": item.opened_at,
        "first_response_due": item.first_response_due,
        "resolution_due": item.resolution_due,
        "solved_at": item.solved_at,
        "disposition": item.disposition,
    }


def case_event(item) -> dict:
    return {
        "id": item.id,
        "kind": item.kind,
        "actor": user_ref(item.actor),
        "body": item.body,
        "post_id": item.post_id,
        "created_at": item.created_at,
    }


def user(item) -> dict:
    return {
        "username": item.username,
        "name": item.name,
        "email": item.email if not item.is_deleted else "",
        "role": item.role,
        "created_at": item.created_at,
        "last_login_at": item.last_login_at,
        "suspended": item.is_suspended,
        "deleted": item.is_deleted,
    }
