"""Moderation queues (issue #6): rules, flags, the queue, appeals and the audit log.

The agent case desk lives in its own package, ``moderation.cases``, which builds on this
one (it writes the audit log); nothing here imports it.

* Subscribes to ``community.post_submitted`` (screening.py): the automatic rules run on
  every new post before it is visible; block and slow-down raise domain errors, hold sets
  the post "held", flag publishes it and queues it.
* Subscribes to ``community.post_edited``: an author's edit passes the content rules
  (watched terms, links, personal data); block refuses it, hold and flag queue the post.
* Subscribes to ``user.email_verified`` (verification.py): posts held only because their
  author had not confirmed their address go live.
* Subscribes to ``user.role_changed``, ``user.suspended``, ``user.unsuspended`` and the
  community's moderator actions (post edited/hidden/deleted, thread locked/unlocked/
  closed/reopened) to write the audit log (audit.py); a moderator's removal from the
  thread page also tells the author, who may appeal (actions.py).
* Publishes ``moderation.post_held`` (post, thread, actor) when the rules hold a new post
  for review (webhooks, api/).
* Subscribes to ``user.suspended`` (suspension.py): the member's held posts waiting in the
  queue are hidden with the suspension's reason, each through the audited Hide action.
* Publishes ``community.thread_changed`` (session, thread_id, post_id, change)
  through community.announce for the status changes it makes itself: change
  ``post_hidden`` (hidden by reports) and ``post_restored`` (approved after removal).
  Approving a held post goes through ``community.service.go_live``.
* Seeds flagged and held demo posts on ``demo.seeding`` (demo.py).
* Subscribes to ``user.deleting`` (privacy.py): appeals go, reports stay under the emptied
  account, the audit log's entries keep only its id and record the deletion; and to
  ``user.data_collecting``: reports filed, appeals, staff decisions about the account.
"""

from pathlib import Path

from flask import Flask

from portal import events
from portal.i18n import add_catalog


def init_app(app: Flask) -> None:
    """Register the moderation blueprint, its template helpers and its event subscribers."""
    from moderation import (  # noqa: F401
        actions,
        audit,
        demo,
        member_views,
        privacy,
        screening,
        suspension,
        verification,
        views,
    )

    add_catalog(app, Path(__file__).parent / "translations")
    app.register_blueprint(views.bp)
    views.register_template_helpers(app)
    events.subscribe("community.post_submitted", screening.on_post_submitted)
    events.subscribe("community.post_edited", screening.on_post_edited)
    events.subscribe("user.email_verified", verification.on_email_verified)
    for name, handler in audit.SUBSCRIPTIONS.items():
        events.subscribe(name, handler)
    for name in ("community.post_hidden", "community.post_deleted"):
        events.subscribe(name, actions.on_removed_from_thread_page)
    events.subscribe("user.suspended", suspension.on_suspended)
    events.subscribe("demo.seeding", demo.seed_moderation)
    events.subscribe("user.deleting", privacy.on_user_deleting)
    events.subscribe("user.data_collecting", privacy.on_data_collecting)
