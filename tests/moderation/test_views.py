"""Moderation pages over HTTP: kept text on refusals, held posts, reports, queue, admin pages."""

import pytest
from sqlalchemy import select

from moderation import audit, queue, terms
from moderation.models import AuditEntry, Flag, QueueItem
from portal.permissions import Role
from tests.factories import make_reply, make_thread, make_user
from tests.moderation.conftest import rules_relaxed


@pytest.mark.parametrize(
    "language, body, refusal",
    [
        ("en", "A scam, sure.", "We cannot publish this: contains the watched term “scam”."),
        (
            "fr",
            "Encore un scam.",
            "Nous ne pouvons pas publier ce message\u00a0: contient le terme surveillé "
            "«\u00a0scam\u00a0».",
        ),
    ],
)
def test_blocked_reply_comes_back_with_the_text(client, auth, db, thread, language, body, refusal):
    terms.add_term(
        db.session, make_user(db.session, role=Role.ADMIN), term="scam", is_regex=False,
        whole_word=True, action="block",
    )  # fmt: skip
    make_user(db.session, "jordan")
    db.session.commit()
    auth.login("jordan")
    response = client.post(
        f"/community/threads/{thread.id}/reply",
        data={"body": body},
        headers={"Accept-Language": language},  # the refusal speaks the page's language
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert refusal in page and body in page


def test_posting_too_fast_answers_429_with_the_text(client, auth, db, thread, rules_on):
    rules_on["MODERATION_RATE_LIMIT_POSTS"] = 1
    rules_on["MODERATION_NEW_ACCOUNT_HELD_POSTS"] = 0
    make_user(db.session, "jordan")
    db.session.commit()
    auth.login("jordan")
    url = f"/community/threads/{thread.id}/reply"
    assert client.post(url, data={"body": "First answer."}).status_code == 302
    response = client.post(url, data={"body": "Second answer, typed with care."})
    assert response.status_code == 429
    assert b"Wait a few minutes" in response.data and b"typed with care" in response.data


def test_held_post_shows_awaiting_review_to_its_author_only(client, auth, db, thread):
    make_user(db.session, "newbie")
    make_user(db.session, "reader")
    db.session.commit()
    auth.login("newbie")
    response = client.post(
        "/community/ask",
        data={
            "title": "Hub keeps restarting",
            "body": "Reach me: newbie@example.com",
            "tags": thread.tags[0].slug,
        },
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"], follow_redirects=True)
    text = page.get_data(as_text=True)
    # One notice says it all once: why, how long, who sees it; nothing contradicts it.
    assert text.count("waiting for a moderator") == 1
    assert "Why: " in text and "personal data (e-mail address)" in text
    assert "Reviews usually take less than 24 hours" in text
    assert "Replies open once a moderator has approved the question." in text
    assert "No replies yet" not in text and "takes no new replies" not in text
    assert "Know the answer?" not in text
    auth.logout()
    auth.login("reader")
    assert client.get(response.headers["Location"]).status_code == 404
    assert b"Hub keeps restarting" not in client.get("/community/").data


def test_report_page_and_bad_reports(client, auth, db, thread):
    post = thread.question
    make_user(db.session, "reader")
    db.session.commit()
    auth.login("reader")
    assert client.get("/moderation/posts/999999/flag").status_code == 404
    assert client.get(f"/moderation/posts/{post.id}/flag").status_code == 200
    missing = client.post(f"/moderation/posts/{post.id}/flag", data={"category": "other"})
    assert missing.status_code == 422 and b"what is wrong" in missing.data
    done = client.post(f"/moderation/posts/{post.id}/flag", data={"category": "spam"})
    assert done.status_code == 302
    again = client.post(
        f"/moderation/posts/{post.id}/flag", data={"category": "spam"}, follow_redirects=True
    )
    assert b"already reported" in again.data
    assert db.session.scalar(select(Flag.category)) == "spam"
    auth.logout()
    auth.login(thread.author.username)
    own = client.post(f"/moderation/posts/{post.id}/flag", data={"category": "spam"})
    assert own.status_code == 403


def test_queue_lists_reasons_and_the_badge_counts(client, auth, db, thread, rules_on):
    post = make_reply(
        db.session, thread, make_user(db.session, "newbie"), body="Call 06 12 34 56 78"
    )
    make_user(db.session, "mod", role=Role.MODERATOR)
    db.session.commit()
    auth.login("mod")
    page = client.get("/moderation/")
    assert page.status_code == 200
    assert b"personal data" in page.data and b"new account" in page.data
    assert b"Moderation, 1 waiting" in page.data
    item = db.session.scalar(select(QueueItem))
    detail = client.get(f"/moderation/items/{item.id}")
    assert b"Router lights blink orange" in detail.data and post.body.encode() in detail.data


def test_approve_twice_gives_a_clear_message(client, auth, db, thread):
    make_reply(db.session, thread, make_user(db.session), body="Call 06 12 34 56 78")
    make_user(db.session, "mod", role=Role.MODERATOR)
    db.session.commit()
    item = db.session.scalar(select(QueueItem))
    revision = item.revision
    auth.login("mod")
    url = f"/moderation/items/{item.id}/approve"
    assert client.post(url, data={"revision": revision}).status_code == 302
    again = client.post(url, data={"revision": revision}, follow_redirects=True)
    assert b"Already handled: approved by mod" in again.data
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions == ["post.approved"]


def test_hide_without_reason_keeps_the_form(client, auth, db, thread):
    make_reply(db.session, thread, make_user(db.session), body="Call 06 12 34 56 78")
    make_user(db.session, "mod", role=Role.MODERATOR)
    db.session.commit()
    item = db.session.scalar(select(QueueItem))
    auth.login("mod")
    response = client.post(
        f"/moderation/items/{item.id}/remove", data={"revision": item.revision, "how": "hide"}
    )
    assert response.status_code == 422 and b"Give the author a reason" in response.data


def test_bulk_approve(client, auth, db, thread):
    for number in range(2):
        make_reply(db.session, thread, make_user(db.session), body=f"Call 06 12 34 56 7{number}")
    make_user(db.session, "mod", role=Role.MODERATOR)
    db.session.commit()
    items = db.session.scalars(select(QueueItem)).all()
    auth.login("mod")
    response = client.post(
        "/moderation/bulk",
        data={"how": "approve", "items": [f"{i.id}:{i.revision}" for i in items]},
        follow_redirects=True,
    )
    assert b"Approved: 2 items." in response.data
    assert queue.open_count(db.session) == 0


def test_watched_term_form_shows_pattern_errors(client, auth, db):
    make_user(db.session, "ada", role=Role.ADMIN)
    db.session.commit()
    auth.login("ada")
    bad = client.post(
        "/moderation/rules", data={"term": "(a+)+$", "is_regex": "y", "action": "block"}
    )
    assert bad.status_code == 422 and b"could take too long" in bad.data and b"(a+)+$" in bad.data
    # No probe text is a run of q's: the nesting itself is refused, and named.
    nested = client.post(
        "/moderation/rules", data={"term": "(q+)+$", "is_regex": "y", "action": "block"}
    )
    assert nested.status_code == 422 and b'value="(q+)+$"' in nested.data
    assert b"a repeated group contains a repetition" in nested.data
    good = client.post(
        "/moderation/rules", data={"term": "scam", "whole_word": "y", "action": "block"}
    )
    assert good.status_code == 302
    page = client.get("/moderation/rules")
    assert b"scam" in page.data
    # Settings read as sentences; the variable names only under "Where these are set".
    assert b"Reports weighing 3 hide a post until a moderator looks" in page.data
    listed = page.get_data(as_text=True).split("settings-list")[1].split("</ul>")[0]
    assert "MODERATION_" not in listed
    audit_page = client.get("/moderation/audit?action=rule.term_added")
    assert b"rule.term_added" in audit_page.data


def test_audit_log_has_no_edit_or_delete_routes(app):
    rules = [rule for rule in app.url_map.iter_rules() if "audit" in rule.rule]
    assert [(rule.rule, sorted(rule.methods - {"HEAD", "OPTIONS"})) for rule in rules] == [
        ("/moderation/audit", ["GET"])
    ]


def test_held_posts_cannot_be_reported_by_others(client, auth, db, thread):
    held = make_reply(db.session, thread, make_user(db.session), body="Call 06 12 34 56 78")
    make_user(db.session, "reader")
    db.session.commit()
    auth.login("reader")
    assert client.get(f"/moderation/posts/{held.id}/flag").status_code == 404


def test_a_moderator_reads_only_their_own_audit_entries(client, auth, db):
    morgan = make_user(db.session, "morgan", role=Role.MODERATOR)
    other = make_user(db.session, "kim", role=Role.MODERATOR)
    audit.record(db.session, morgan, "thread.locked", target_type="thread", target_id=1,
                 target_label="Morgan locked this", reason="heated")  # fmt: skip
    audit.record(db.session, other, "thread.locked", target_type="thread", target_id=2,
                 target_label="Kim locked that", reason="spam")  # fmt: skip
    db.session.commit()
    auth.login("morgan")
    assert "My actions" in client.get("/moderation/").get_data(as_text=True)
    page = client.get("/moderation/audit?actor=kim").get_data(as_text=True)
    assert "My actions in the audit log" in page
    assert "Morgan locked this" in page and "Kim locked that" not in page
    assert 'id="actor"' not in page


def test_per_item_buttons_in_the_list_and_the_next_item_after_an_action(client, auth, db, rules_on):
    with rules_relaxed(rules_on):
        thread = make_thread(db.session)
    first = make_reply(db.session, thread, make_user(db.session), body="Write me: a@example.com")
    second = make_reply(db.session, thread, make_user(db.session), body="Write me: b@example.com")
    third = make_reply(db.session, thread, make_user(db.session), body="Write me: c@example.com")
    items = [queue.item_for(db.session, post) for post in (first, second, third)]
    make_user(db.session, "morgan", role=Role.MODERATOR)
    db.session.commit()
    auth.login("morgan")
    listing = client.get("/moderation/").get_data(as_text=True)
    assert f'aria-label="Approve item {items[0].id}"' in listing
    assert f'aria-label="Hide item {items[0].id}"' in listing

    # From the list: approve one item, back to the list with its filter.
    response = client.post(
        f"/moderation/items/{items[0].id}/approve",
        data={"revision": items[0].revision, "back": "list", "filter": "held"},
    )
    assert response.headers["Location"].endswith("/moderation/?filter=held")
    # From the item page: hide, then on to the next open item.
    db.session.refresh(items[1])
    response = client.post(
        f"/moderation/items/{items[1].id}/remove",
        data={"revision": items[1].revision, "how": "hide", "reason": "Spam"},
    )
    assert response.headers["Location"].endswith(f"/moderation/items/{items[2].id}")
    db.session.refresh(items[2])
    last = client.post(
        f"/moderation/items/{items[2].id}/approve", data={"revision": items[2].revision}
    )
    assert last.headers["Location"].endswith("/moderation/")
    statuses = db.session.scalars(select(QueueItem.status).order_by(QueueItem.id)).all()
    assert statuses == ["resolved"] * 3
