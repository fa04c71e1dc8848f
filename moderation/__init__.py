"""Staff work queues: moderation (issue #6) and agent cases with SLA (issue #7).

Cases (issue #7) — events published in the transaction (``portal.events.publish``):

* ``cases.case_opened`` — case, actor (None for the sweep): a new case, already routed.

Cases subscribe to ``demo.seeding`` (moderation/case_demo.py). The escalation sweep is the
``flask cases sweep`` command and, in the demo server, a timer started by gunicorn.conf.py
when CASES_SWEEP_INTERVAL_SECONDS > 0 (never in create_app, so never in tests or CLI).
"""

from flask import Flask


def init_cases(app: Flask) -> None:
    """Agent cases: the "cases" blueprint, the `flask cases` commands, the demo seeder."""
    from moderation import case_admin_views, case_demo, case_support_views, case_views  # noqa: F401
    from moderation.case_cli import cases_cli
    from portal import events

    app.register_blueprint(case_views.bp)
    app.cli.add_command(cases_cli)
    events.subscribe("demo.seeding", case_demo.seed_cases)
