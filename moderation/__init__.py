"""Staff work queues: moderation (issue #6) and agent cases with SLA (issue #7).

Moderation (blueprint "moderation", /moderation/):

* Subscribes to ``community.post_submitted`` (screening.py): the automatic rules run on
  every new post before it is visible; block and slow-down raise domain errors, hold sets
  the post "held", flag publishes it and queues it.
* Subscribes to ``community.post_edited``: an author's edit passes the content rules
  (watched terms, links, personal data); block refuses it, hold and flag queue the post.
* Subscribes to ``user.role_changed``, ``user.suspended``, ``user.unsuspended`` and the
  community's moderator actions (post edited/hidden/deleted, thread locked/unlocked/
  closed/reopened) to write the audit log (audit.py); a moderator's removal from the
  thread page also tells the author, who may appeal (actions.py).
* Publishes after the commit ``community.thread_changed`` (thread_id, post_id, change)
  through community.announce for the status changes it makes itself: change
  ``post_hidden`` (hidden by reports) and ``post_restored`` (approved after removal).
  Approving a held post goes through ``community.service.go_live``.
* Seeds flagged and held demo posts on ``demo.seeding`` (demo.py).

Cases (blueprint "cases") — events published in the transaction (``portal.events.publish``):

* ``cases.case_opened`` — case, actor (None for the sweep): a new case, already routed.

Cases subscribe to ``demo.seeding`` (moderation/case_demo.py). The escalation sweep is the
``flask cases sweep`` command and, in the demo server, a timer started by gunicorn.conf.py
when CASES_SWEEP_INTERVAL_SECONDS > 0 (never in create_app, so never in tests or CLI).
The admin's user page includes ``cases/_admin_user_vip.html`` (the VIP flag, posted to
``cases.vip`` and audited), with the ``customer_is_vip`` template global.
"""

from flask import Flask

from portal import events


def init_moderation(app: Flask) -> None:
    """Register the moderation blueprint, its template helpers and its event subscribers."""
    from moderation import actions, audit, demo, member_views, screening, views  # noqa: F401

    app.register_blueprint(views.bp)
    views.register_template_helpers(app)
    events.subscribe("community.post_submitted", screening.on_post_submitted)
    events.subscribe("community.post_edited", screening.on_post_edited)
    for name, handler in audit.SUBSCRIPTIONS.items():
        events.subscribe(name, handler)
    for name in ("community.post_hidden", "community.post_deleted"):
        events.subscribe(name, actions.on_removed_from_thread_page)
    events.subscribe("demo.seeding", demo.seed_moderation)


def init_cases(app: Flask) -> None:
    """Agent cases: the "cases" blueprint, the `flask cases` commands, the demo seeder."""
    from moderation import (  # noqa: F401
        case_admin_views,
        case_demo,
        case_support_views,
        case_views,
        routing,
    )
    from moderation.case_cli import cases_cli
    from portal.extensions import db

    app.register_blueprint(case_views.bp)
    app.cli.add_command(cases_cli)
    # For cases/_admin_user_vip.html, which the admin's user page includes if present.
    app.jinja_env.globals["customer_is_vip"] = lambda user: routing.is_vip(db.session, user)
    events.subscribe("demo.seeding", case_demo.seed_cases)


def init_app(app: Flask) -> None:
    """Moderation queues (issue #6), then agent cases (issue #7)."""
    init_moderation(app)
    init_cases(app)
