"""The seeded objects one role's walk reaches: every path argument a real id, every form
field a value the service would accept (so one hostile value at a time reaches it).

Each role gets its own world, so one role's successful actions (a deletion, a lock, a
suspension) never hide another role's targets.
"""

from dataclasses import dataclass, field

from api import tokens, webhooks
from api.models import WebhookDelivery, WebhookEndpoint
from kb import suggestions
from moderation import actions, flags, queue, terms
from moderation.cases import guest_mail, guests, macros, routing, surveys
from moderation.cases.models import Macro
from portal import account_tokens, attachments, notifications
from portal.jobs.models import Job, JobStatus
from portal.permissions import Role
from portal.uploads import CleanFile
from proactive import issues
from proactive.models import SurgeAlert
from tests.factories import PASSWORD, make_article, make_reply, make_tag, make_thread, make_user
from tests.moderation.cases.helpers import make_agent, make_case

ROLES = ("visitor", "customer", "superuser", "moderator", "agent", "admin")
# Routes whose first successful request removes their target: walked last (tests order them).
DESTRUCTIVE_WORDS = ("delete", "archive", "remove", "purge", "suspend", "logout")


@dataclass
class World:
    role: str
    username: str | None  # None for the visitor
    ids: dict[str, int | str] = field(default_factory=dict)


def seed_world(session, role: str) -> World:
    """Users, content, cases and settings objects for one role's walk (flushed)."""
    staff = make_user(session, f"{role}-boss", role=Role.ADMIN)
    agent = make_agent(session, f"{role}-agent")
    curator = make_user(session, f"{role}-curator", role=Role.SUPERUSER)
    victim = make_user(session, f"{role}-victim")
    other = make_user(session, f"{role}-other")
    me = None if role == "visitor" else make_user(session, f"{role}-me", role=Role(role))
    owner = me or victim

    tag = make_tag(session)
    article = make_article(session, agent, tags=[tag])
    spare_article = make_article(session, agent, tags=[tag])
    suggestion = suggestions.suggest_edit(
        session, curator, article, base_version=article.version, title=article.title,
        summary="Shorter.", body=article.body + "\nOne more step.\n", note="A step was missing",
    )  # fmt: skip

    my_thread = make_thread(session, owner, tags=[tag])
    victim_reply = make_reply(session, my_thread, victim)
    attachment = attachments.attach(
        session, owner, "post", my_thread.question.id, [CleanFile("log.txt", "text/plain", b"ok")]
    )[0]
    victim_thread = make_thread(session, victim, tags=[tag])
    spare_post = make_reply(session, victim_thread, owner)
    removed_post = make_reply(session, victim_thread, owner)
    removal = queue.item_for(session, removed_post)
    actions.remove(session, staff, removal, removal.revision, how="hide", reason="Off topic")
    flagged = make_reply(session, victim_thread, victim)
    flags.flag_post(session, other, flagged, category="spam")
    item = queue.item_for(session, flagged)

    case = make_case(session, victim, subject="My line drops every evening")
    guest_case = guests.contact_as_guest(
        session, email=f"{role}-guest@example.com", name="Guest", subject="No account, help",
        body="My router blinks red.", tag_slugs=[], locale="en",
    )  # fmt: skip
    my_case = make_case(session, owner, subject="My router reboots at night")
    solved = make_case(session, victim, subject="Billing twice this month")
    survey = surveys.solve_case(session, agent, solved, disposition="known gap")
    macro = macros.save_macro(
        session, staff, None, title=f"Greeting {role}", body="Hello {customer_name},"
    )
    spare_macro = macros.save_macro(session, staff, None, title=f"Spare {role}", body="Bye.")
    # Saved before save_macro checked placeholders: the case page must still render.
    legacy_macro = Macro(title=f"Legacy {role}", body="Dear {customer_name!z}, {case_id:%} {")
    session.add(legacy_macro)
    rules = routing.seed_default_rules(session)
    spare_rule = routing.save_rule(
        session, staff, None, name=f"Spare {role}", keywords="spare", priority="low"
    )
    term = terms.add_term(
        session, staff, term=f"{role}word", is_regex=False, whole_word=True, action="flag"
    )
    spare_term = terms.add_term(
        session, staff, term=f"{role}spare", is_regex=False, whole_word=True, action="flag"
    )
    note = notifications.notify(session, owner, kind="test", message="Hello", link="/")
    dead_job = Job(
        name="mail.send",
        status=JobStatus.DEAD.value,
        payload={
            "to": victim.email, "subject": "Hello", "body": "Hello again.",
            "message_id": f"<{role}@example.com>", "queued_at": "20250101T000000000000",
        },
    )  # fmt: skip
    session.add(dead_job)
    token, _secret = tokens.create_token(session, owner, name=f"{role} script", scopes=["read"])
    service_token, _secret = tokens.create_token(
        session, staff, name=f"{role} bridge", scopes=["read"], service_for=agent
    )
    # A private address: refused at once (no network in tests), logged like any failure.
    endpoint = WebhookEndpoint(
        url="http://127.0.0.1:9/hook", secret="whsec_test", events=" ".join(webhooks.EVENTS)
    )
    session.add(endpoint)
    session.flush()
    delivery = WebhookDelivery(
        endpoint_id=endpoint.id,
        event="thread.created",
        event_id=f"{role}-event",
        payload={"id": f"{role}-event", "type": "thread.created", "data": {}},
        status="failed",
    )
    session.add(delivery)
    issue = issues.declare_issue(
        session, agent, title=f"Outage {role}", explanation="A cable was cut.", tag_slugs=[tag.slug]
    )
    issue_link = issues.link(session, agent, issue, thread=victim_thread)
    alert = SurgeAlert(
        title="No internet this morning", first_item_at=case.opened_at,
        last_item_at=case.opened_at, window_count=12, baseline_per_window=0.5, growth=24.0,
        samples=[{"kind": "case", "id": case.id, "text": "Zqsample"}], topics=[tag.slug],
    )  # fmt: skip
    session.add(alert)
    session.flush()

    return World(
        role,
        me.username if me else None,
        {
            "tag": tag.slug,
            "article": article.slug,
            "spare_article": spare_article.slug,
            "article_version": article.version,
            "suggestion": suggestion.id,
            "my_thread": my_thread.id,
            "my_post": my_thread.question.id,
            "victim_reply": victim_reply.id,
            "victim_thread": victim_thread.id,
            "spare_post": spare_post.id,
            "removed_post": removed_post.id,
            "item": item.id,
            "item_revision": item.revision,
            "case": case.id,
            "my_case": my_case.id,
            "survey": survey.token,
            "macro": macro.id,
            "spare_macro": spare_macro.id,
            "legacy_macro": legacy_macro.id,
            "rule": rules[0].id,
            "spare_rule": spare_rule.id,
            "term": term.id,
            "spare_term": spare_term.id,
            "notification": note.id,
            "dead_job": dead_job.id,
            "victim": victim.username,
            "agent": agent.id,
            # Signed links: a reset and a verification for the victim, a visitor's request.
            "reset_token": account_tokens.reset_token(victim),
            "verify_token": account_tokens.verification_token(victim),
            "guest_token": guest_mail.guest_token(guest_case),
            "api_token": token.id,
            "service_token": service_token.id,
            "endpoint": endpoint.id,
            "delivery": delivery.id,
            "attachment": attachment.id,
            "issue": issue.id,
            "issue_link": issue_link.id,
            "alert": alert.id,
        },
    )


def path_values(endpoint: str, world: World) -> dict[str, object]:
    """A real value for every path argument the endpoint's rules may name."""
    ids = world.ids
    values = {
        "post_id": ids["victim_reply"],  # a reply in my thread: I may accept it, vote, report
        "thread_id": ids["my_thread"],
        "case_id": ids["case"],
        "username": ids["victim"],
        "slug": ids["article"],
        "number": 1,
        "suggestion_id": ids["suggestion"],
        "decision": "decline",
        "macro_id": ids["macro"],
        "rule_id": ids["rule"],
        "term_id": ids["term"],
        "item_id": ids["item"],
        "notification_id": ids["notification"],
        "token": ids["survey"],
        "key": f"thread:{ids['victim_thread']}",
        "filename": "portal.css",
        "token_id": ids["api_token"],
        "endpoint_id": ids["endpoint"],
        "delivery_id": ids["delivery"],
        "attachment_id": ids["attachment"],
        "name": "log.txt",
        "issue_id": ids["issue"],
        "link_id": ids["issue_link"],
        "alert_id": ids["alert"],
    }
    overrides = {
        "community.edit": {"post_id": ids["my_post"]},
        "community.delete": {"post_id": ids["spare_post"]},
        "moderation.appeal": {"post_id": ids["removed_post"]},
        "community.tag": {"slug": ids["tag"]},
        "community.follow_tag": {"slug": ids["tag"]},
        "kb.topic": {"slug": ids["tag"]},
        "kb.archive_article": {"slug": ids["spare_article"]},
        "cases.my_case": {"case_id": ids["my_case"]},
        "cases.macro_delete": {"macro_id": ids["spare_macro"]},
        "cases.rule_delete": {"rule_id": ids["spare_rule"]},
        "moderation.delete_term": {"term_id": ids["spare_term"]},
        "dashboard.export": {"key": "weekly_community"},
        "search.static": {"filename": "suggest.js"},
        "auth.reset_password": {"token": ids["reset_token"]},
        "auth.verify_email": {"token": ids["verify_token"]},
        "cases.guest_case": {"token": ids["guest_token"]},
        "api.revoke_service_token": {"token_id": ids["service_token"]},
        "proactive.static": {"filename": "topics.js"},
    }
    return values | overrides.get(endpoint, {})


def valid_form(endpoint: str, world: World) -> dict[str, str]:
    """Field name → a value the endpoint's service accepts (unknown names get "ok")."""
    ids = world.ids
    values = {
        "title": "Router lights blink orange at night",
        "body": "My connection drops every evening. What can I check?",
        "tags": ids["tag"],
        "topics": ids["tag"],
        "skills": ids["tag"],
        "subject": "My line drops every evening",
        "note": "A short note for the team",
        "reason": "Links to a scam site",
        "message": "Please look at my post again.",
        "category": "spam",
        "revision": str(ids["item_revision"]),
        "original": str(ids["victim_thread"]),
        "days": "3",
        "how": "hide",
        "items": f"{ids['item']}:{ids['item_revision']}",
        "term": "fakeword",
        "whole_word": "y",
        "action": "save",
        "keywords": "outage\nfire",
        "name": "Outage rule",
        "priority": "high",
        "assignee": str(ids["agent"]),
        "status": "pending customer",
        "visibility": "private",
        "then": "open",
        "disposition": "known gap",
        "article": ids["article"],
        "csat": "4",
        "nps": "9",
        "comment": "Thank you",
        "identifier": ids["victim"],
        "username": f"new-{world.role}",
        "email": f"new-{world.role}@example.com",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "current_password": PASSWORD,
        "new_password": PASSWORD,
        "display_name": "Jo",
        "bio": "Fibre customer since 2020.",
        "email_notifications": "y",
        "time_zone": "Europe/Paris",
        "role": "customer",
        "summary": "A short summary.",
        "language": "en",
        "base_version": str(ids["article_version"]),
        "helpful": "yes",
        "value": "up",
        "locked": "1",
        "follow": "1",
        "vip": "1",
        "back": "admin",
        "key": f"thread:{ids['victim_thread']}",
        "job_id": str(ids["dead_job"]),
        "available": "y",
        "explanation": "A cable was cut; technicians are on site.",
        "solve_cases": "y",
        "thread_id": str(ids["my_thread"]),
        "case_id": str(ids["case"]),
    }
    overrides = {
        "proactive.declare": {"status": "identified"},
        "proactive.manage": {"status": "identified"},
        "moderation.rules": {"action": "flag"},
        "moderation.edit_term": {"action": "flag"},
    }
    return values | overrides.get(endpoint, {})


def valid_args(endpoint: str, world: World) -> dict[str, str]:
    """Query argument name → a meaningful value (unknown names get "1")."""
    ids = world.ids
    values = {
        "macro": str(ids["legacy_macro"]),
        "article": ids["article"],
        "page": "2",
        "q": "router lights",
        "next": "/settings",
        "tag": ids["tag"],
        "kind": "thread",
        "solved": "yes",
        "filter": "unanswered",
        "sort": "newest",
        "queue": "all",
        "days": "30",
        "from": "2025-01-01",
        "to": "2025-01-31",
        "since": "2025-01-01",
        "until": "2025-01-31",
        "via": "suggestion",
        "role": "agent",
        "alert": str(ids["alert"]),
        "text": "my internet is down since this morning",
    }
    overrides = {"kb.history": {"from": "1", "to": "1"}}
    return values | overrides.get(endpoint, {})
