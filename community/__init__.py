"""Peer community: threads, replies, votes, accepted solutions, reputation (issue #4).

Events published (names and keyword data; ORM objects unless said otherwise):

In the transaction (``portal.events.publish``), for notifications, reputation, moderation:

* ``community.post_submitted`` — post, thread, actor: a new question or reply before it is
  shown. A subscriber may set ``post.status = "held"``; the post then stays invisible until
  ``community.service.go_live(session, post)`` is called (moderation releases it).
* ``community.thread_created`` — thread, post (the question), actor
* ``community.reply_created`` — thread, post, actor
* ``community.post_edited`` — post, thread, actor
* ``community.post_deleted`` — post, thread, actor (soft delete by author or moderator)
* ``community.post_hidden`` — post, thread, actor, reason (moderator)
* ``community.post_voted`` — post, actor, value (-1/0/1), previous
* ``community.thread_solved`` — thread, post (the solution), actor, previous_post (or None)
* ``community.thread_unsolved`` — thread, post (the withdrawn solution), actor
* ``community.thread_locked`` / ``community.thread_unlocked`` — thread, actor
* ``community.thread_retagged`` — thread, actor, old_tags
* ``community.thread_closed`` — thread, original, actor (closed as a duplicate)
* ``community.thread_reopened`` — thread, actor
* ``user.role_changed`` — actor=None, user, old_role, new_role (reputation promotion)

For derived data (the search index), also in the transaction, with plain ids:

* ``community.thread_changed`` — session, thread_id, post_id (or None), change: one of
  thread_created, reply_created, post_edited, post_deleted, post_hidden, thread_solved,
  thread_unsolved, thread_locked, thread_unlocked, thread_retagged, thread_closed,
  thread_reopened.

Subscribed: ``sitemap.collecting`` (the KB's sitemap) — the community home and every
public, non-duplicate thread with its last activity. ``user.deleting`` and
``user.data_collecting`` (privacy.py): a deleted member's follows and reputation go, their
posts stay; a member's posts, votes, follows and reputation for "Download my data".

Content language: every post stores the language it is written in (``Post.language``,
"en" or "fr": chosen by its author, else detected with ``portal.text_language``); a
thread's is its question's (``Thread.language``). Pages put it in ``lang`` attributes and
the lists filter by it (``?language=fr``).

Lists at any size (issue #22): each thread carries what the lists filter and sort on
(``is_listed``, ``question_language``, ``question_score``, ``is_solved``) and
``community_list_counts`` the filter tabs' numbers per topic and language; both are kept by
``community.listing`` alone, called from ``announce.changed`` (every change above) and from
a vote on a question. Code that writes threads as rows calls ``listing.refresh`` (one
thread) or ``listing.refresh_everything``.

Promote to KB: the thread page shows a "Promote to KB" button for ``can_promote_to_kb``
users when the KB registers the ``kb.promote_thread`` endpoint (``thread_id`` argument);
the KB reads the question and ``thread.solution.post``, and the thread page includes
``kb/_thread_article.html`` (ignored when missing) to link to the article it became.

For KB topic pages: ``community/_topic_threads.html`` lists a tag's recently solved
threads through the ``community_solved_threads(tag)`` template global.

Replies by e-mail: the community subscribes to ``mail.reply_received`` (portal/inbound) and
posts the words of an answer to a thread's notification through ``service.reply``
(email_replies.py).
"""

from pathlib import Path

from flask import Flask

from portal import attachments, events
from portal.i18n import add_catalog


def init_app(app: Flask) -> None:
    """Register the blueprint, the template helpers and the event subscribers."""
    from community import (  # noqa: F401 (feeds and action_views add routes to views.bp)
        action_views,
        demo,
        email_replies,
        feeds,
        notify,
        personal_views,
        privacy,
        queries,
        rendering,
        sitemap,
        views,
    )

    add_catalog(app, Path(__file__).parent / "translations")
    app.register_blueprint(views.bp)
    views.register_template_helpers(app)
    rendering.init_app(app)
    attachments.register_owner(app, "post", queries.post_files_visible)
    events.subscribe("community.thread_created", notify.on_thread_created)
    events.subscribe("community.reply_created", notify.on_reply_created)
    events.subscribe("community.thread_solved", notify.on_thread_solved)
    events.subscribe("mail.reply_received", email_replies.on_reply_received)
    events.subscribe("sitemap.collecting", sitemap.add_threads)
    events.subscribe("demo.seeding", demo.seed_community)
    events.subscribe("user.deleting", privacy.on_user_deleting)
    events.subscribe("user.data_collecting", privacy.on_data_collecting)
