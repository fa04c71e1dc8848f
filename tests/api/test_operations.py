"""Each operation does what its web page does, through the same services and rules."""

from sqlalchemy import select

from community.models import AcceptedSolution, Post, Thread
from kb.models import Article
from moderation.cases.models import Case
from portal.extensions import db
from portal.models import User


def test_me_tells_who_calls_with_which_scopes(api):
    me = api("get", "/api/v1/me", "agent").get_json()
    assert me["username"] == "apiagent" and me["role"] == "agent"
    assert me["scopes"] == ["cases", "read", "write"] and me["token"] == "personal"
    visitor = api("get", "/api/v1/me").get_json()
    assert visitor["role"] is None and visitor["scopes"] == ["read"]


def test_ask_reply_vote_and_accept(api, world):
    asked = api(
        "post",
        "/api/v1/threads",
        "customer",
        json={
            "title": "Router blinks red all night",
            "body": "What does it mean?",
            "tags": ["internet"],
        },
    )
    assert asked.status_code == 201, asked.get_json()
    thread_id = asked.get_json()["id"]
    replied = api(
        "post", f"/api/v1/threads/{thread_id}/posts", "superuser", json={"body": "Reset it."}
    )
    assert replied.status_code == 201
    post_id = replied.get_json()["id"]
    voted = api("put", f"/api/v1/posts/{post_id}/vote", "customer", json={"value": 1})
    assert voted.get_json() == {"post_id": post_id, "score": 1, "value": 1}
    # The author's own post: the same rule as the page (can_vote) answers 403.
    own = api("put", f"/api/v1/posts/{post_id}/vote", "superuser", json={"value": 1})
    assert own.status_code == 403 and own.mimetype == "application/problem+json"
    # Only the asker (or staff) accepts: a super-user who did not ask is refused.
    refused = api(
        "put", f"/api/v1/threads/{thread_id}/solution", "superuser", json={"post_id": post_id}
    )
    assert refused.status_code == 403
    accepted = api(
        "put", f"/api/v1/threads/{thread_id}/solution", "customer", json={"post_id": post_id}
    )
    assert (
        accepted.status_code == 200
        and accepted.get_json()["accepted_by"]["username"] == "apicustomer"
    )
    assert (
        db.session.scalar(
            select(AcceptedSolution.post_id).where(AcceptedSolution.thread_id == thread_id)
        )
        == post_id
    )
    detail = api("get", f"/api/v1/threads/{thread_id}").get_json()
    assert detail["solved"] and detail["solution_post_id"] == post_id
    assert [reply["id"] for reply in detail["replies"]] == [post_id]


def test_a_refused_question_keeps_nothing(api):
    refused = api(
        "post",
        "/api/v1/threads",
        "customer",
        json={"title": "Hi", "body": "x", "tags": ["internet"]},
    )
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["title"]
    assert db.session.scalar(select(Thread).where(Thread.title == "Hi")) is None


def test_articles_per_role(api, world):
    body = {
        "title": "Reset the router",
        "body": "Hold the button ten seconds.",
        "tags": ["internet"],
    }
    assert api("post", "/api/v1/articles", "customer", json=body).status_code == 403
    assert api("post", "/api/v1/articles", json=body).status_code == 401
    made = api("post", "/api/v1/articles", "agent", json=body)
    assert made.status_code == 201 and made.get_json()["status"] == "draft"
    slug = made.get_json()["slug"]
    # A draft does not exist for readers, as on the site.
    assert api("get", f"/api/v1/articles/{slug}", "customer").status_code == 404
    edited = api(
        "put", f"/api/v1/articles/{slug}", "agent",
        json={**body, "body": "Hold it fifteen seconds.", "base_version": 1},
    )  # fmt: skip
    assert edited.status_code == 200 and edited.get_json()["version"] == 2
    stale = api("put", f"/api/v1/articles/{slug}", "agent", json={**body, "base_version": 1})
    assert stale.status_code == 409 and stale.mimetype == "application/problem+json"
    published = api("post", f"/api/v1/articles/{slug}/publish", "agent")
    assert published.get_json()["status"] == "published"
    assert api("post", f"/api/v1/articles/{slug}/publish", "agent").status_code == 409
    assert (
        api("get", f"/api/v1/articles/{slug}").get_json()["body"].strip()
        == "Hold it fifteen seconds."
    )
    drafts = api("get", "/api/v1/articles?status=draft", "customer")
    assert drafts.status_code == 403
    assert db.session.scalar(select(Article.status).where(Article.slug == slug)) == "published"


def test_cases_reply_assign_status_and_solve(api, world):
    case_id = world.ids["case"]
    assert api("get", f"/api/v1/cases/{case_id}", "customer").status_code == 403
    assert api("get", "/api/v1/cases").status_code == 401
    listed = api("get", "/api/v1/cases", "agent").get_json()
    assert [item["id"] for item in listed["items"]] == [case_id]
    private = api(
        "post", f"/api/v1/cases/{case_id}/replies", "agent",
        json={"body": "Could you send a photo of the lights?", "visibility": "private"},
    )  # fmt: skip
    assert private.status_code == 201 and private.get_json()["status"] == "pending customer"
    answer = {"body": "Thanks: resetting the hub fixes it.", "visibility": "public"}
    public = api(
        "post", f"/api/v1/cases/{case_id}/replies", "agent", json={**answer, "then": "open"}
    )
    assert public.status_code == 201
    assert db.session.scalar(select(Post).where(Post.body == "Thanks: resetting the hub fixes it."))
    assigned = api(
        "put", f"/api/v1/cases/{case_id}/assignee", "agent", json={"assignee": "apiadmin"}
    )
    assert assigned.get_json()["assignee"]["username"] == "apiadmin"
    not_agent = api(
        "put", f"/api/v1/cases/{case_id}/assignee", "agent", json={"assignee": "apicustomer"}
    )
    assert not_agent.status_code == 422
    status = api("put", f"/api/v1/cases/{case_id}/status", "agent", json={"status": "solved"})
    assert status.status_code == 422  # solving asks for a disposition, as on the desk
    solved = api(
        "post", f"/api/v1/cases/{case_id}/solve", "agent",
        json={"disposition": "known gap", "accept_answer": True},
    )  # fmt: skip
    assert solved.status_code == 200, solved.get_json()
    assert db.session.get(Case, case_id).status == "solved"
    events = api("get", f"/api/v1/cases/{case_id}", "agent").get_json()["events"]
    assert {"private reply", "public reply", "solved"} <= {event["kind"] for event in events}


def test_users_and_roles_for_admins(api, world):
    assert api("get", "/api/v1/users", "agent").status_code == 403  # no admin scope
    listed = api("get", "/api/v1/users?role=agent", "admin").get_json()
    assert [user["username"] for user in listed["items"]] == ["apiagent"]
    changed = api("put", "/api/v1/users/apicustomer/role", "admin", json={"role": "superuser"})
    assert changed.get_json()["role"] == "superuser"
    assert db.session.scalar(select(User.role).where(User.username == "apicustomer")) == "superuser"
    own = api("put", "/api/v1/users/apiadmin/role", "admin", json={"role": "customer"})
    assert own.status_code == 422


def test_tags_search_and_dashboard(api, world):
    made = api("post", "/api/v1/tags", "agent", json={"name": "Billing"})
    assert made.status_code == 201 and made.get_json()["slug"] == "billing"
    assert api("post", "/api/v1/tags", "agent", json={"name": "Billing"}).status_code == 409
    assert api("post", "/api/v1/tags", "customer", json={"name": "Other"}).status_code == 403
    assert {tag["slug"] for tag in api("get", "/api/v1/tags").get_json()} == {"internet", "billing"}
    found = api("get", "/api/v1/search?q=restart hub").get_json()
    assert found["total"] >= 1 and any(item["kind"] == "article" for item in found["items"])
    suggestions = api("get", "/api/v1/search/suggestions?q=restart the hub").get_json()
    assert suggestions and suggestions[0]["title"]
    assert api("get", "/api/v1/dashboard", "customer").status_code == 403
    kpis = api("get", "/api/v1/dashboard?days=7", "agent").get_json()["kpis"]
    assert "questions_asked" in {kpi["key"] for kpi in kpis}
    bad = api("get", "/api/v1/dashboard?from=2020-01-02&to=2020-01-01", "agent")
    assert bad.status_code == 422 and bad.get_json()["errors"]
