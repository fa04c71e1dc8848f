"""Agent cases (issue #7): escalation, SLA, routing by skill, macros, surveys.

Cases come from the escalation sweep (sweep.py), the asker's "I still need help", the
Contact support form and a moderator's "Escalate to agents" (sources.py), and e-mail to the
support address (email_channel.py); service.py holds
the rules of a case's life, queries.py what the desk reads. Blueprint "cases": the desk
(/desk/, views.py and admin_views.py) and the customers' side (/support/,
support_views.py).

Events published in the transaction (``portal.events.publish``):

* ``cases.case_opened`` — case, actor (None for the sweep): a new case, already routed.
* ``cases.case_assigned`` — case, agent, actor (None when routed by skill): an agent has
  the case now.
* ``cases.case_solved`` — case, actor: solved with a disposition (the survey is sent).
* ``cases.contact_submitted`` — session, case: a support request was sent (search counts
  it as a contact).

Cases subscribe to ``user.email_verified`` (guests.py: a visitor's requests from that
address join the account), to ``mail.support_received`` and ``mail.reply_received``
(email_channel.py: mail to the support address opens a case or adds to one, answers to a
case's e-mails come back into it) and to ``demo.seeding`` (demo.py). The escalation sweep
is the periodic job ``cases.sweep``, run by the jobs worker every
CASES_SWEEP_INTERVAL_MINUTES, and the ``flask cases sweep`` command. SLA breaches of cases
where nothing happens are recorded by
the periodic job ``cases.sla_breaches`` (clock.py), every SLA_BREACH_CHECK_MINUTES.

On ``user.deleting`` a customer's requests lose their texts (open ones close) and a deleted
agent's cases go back to the queue; ``user.data_collecting`` adds a customer's requests,
surveys and flags for download (privacy.py).

The admin's user page includes ``cases/_admin_user_vip.html`` (the VIP flag, posted to
``cases.vip`` and audited), with the ``customer_is_vip`` template global.

Languages: the package's catalog is ``moderation/cases/translations/``. Stored values
(statuses, priorities…) are shown through the label filters of labels.py, the system's
timeline lines are rendered per reader (timeline.py), notifications are written in the
recipient's language, and macros are offered in the customer's language first.
"""

from pathlib import Path

from flask import Flask

from portal import events, i18n, jobs


def init_app(app: Flask) -> None:
    """Agent cases: the "cases" blueprint, the `flask cases` commands, the demo seeder."""
    from moderation.cases import (  # noqa: F401
        admin_views,
        clock,
        demo,
        draft_views,
        email_channel,
        files,
        guest_views,
        guests,
        labels,
        privacy,
        routing,
        support_views,
        sweep,
        views,
    )
    from moderation.cases.cli import cases_cli
    from portal.extensions import db

    i18n.add_catalog(app, Path(__file__).parent / "translations")
    labels.init_app(app)
    files.init_app(app)
    app.register_blueprint(views.bp)
    app.cli.add_command(cases_cli)
    # For cases/_admin_user_vip.html, which the admin's user page includes if present.
    app.jinja_env.globals["customer_is_vip"] = lambda user: routing.is_vip(db.session, user)
    events.subscribe("demo.seeding", demo.seed_cases)
    events.subscribe("user.email_verified", guests.on_email_verified)
    events.subscribe("mail.reply_received", email_channel.on_reply_received)
    events.subscribe("mail.support_received", email_channel.on_support_received)
    events.subscribe("user.deleting", privacy.on_user_deleting)
    events.subscribe("user.data_collecting", privacy.on_data_collecting)
    jobs.every(app, sweep.SWEEP_JOB, app.config["CASES_SWEEP_INTERVAL_MINUTES"])
    jobs.every(app, clock.BREACHES_JOB, app.config["SLA_BREACH_CHECK_MINUTES"])
