"""Proactive care (issue #20): known issues, automatic topics, surge alerts.

**Known issues** (issues.py, banners.py, matching.py): an agent declares one by hand or
from a surge alert; while open its banner shows on the home page and its topics' pages
(``proactive/_banner.html``), on the search page (``proactive/_search_banner.html``), on
the ask and contact forms (``proactive/_form_banner.html``), each included by the page
with ``ignore missing``, and among the suggestions while typing (``search.notices_collecting``).
Resolving it answers every linked thread, case and follower at once.

**Automatic topics** (tagging.py): proposed while a question, a request or an article is
written (``proactive/_topic_proposals.html``, ``/proactive/topics``), applied to a new case
without topics, which is routed again (``cases.case_opened``); the model is retrained by a
periodic job.

Events subscribed: ``search.notices_collecting`` (known issues matching the typed text),
``cases.case_opened`` (topics for a case without any),
``user.deleting`` and ``user.data_collecting`` (a member's follows, privacy.py).
Published: none.
"""

from pathlib import Path

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint, catalog, subscriptions, template helpers and audit labels."""
    from moderation import audit
    from portal import events, jobs
    from portal.i18n import add_catalog
    from proactive import banners, cli, issues, privacy, tagging, views, watch

    add_catalog(app, Path(__file__).parent / "translations")
    app.register_blueprint(views.bp)
    audit.register_actions(issues.AUDIT_ACTIONS)
    events.subscribe("search.notices_collecting", banners.collect_notices)
    events.subscribe("cases.case_opened", tagging.on_case_opened)
    jobs.every(app, tagging.RETRAIN_JOB, int(app.config["PROACTIVE_TAGGER_RETRAIN_MINUTES"]))
    jobs.every(app, watch.WATCH_JOB, int(app.config["PROACTIVE_SURGE_INTERVAL_MINUTES"]))
    app.cli.add_command(cli.proactive_cli)
    events.subscribe("user.deleting", privacy.on_user_deleting)
    events.subscribe("user.data_collecting", privacy.on_data_collecting)
    app.jinja_env.globals.update(
        proactive_banner_issues=banners.banner_issues,
        proactive_issues_matching=banners.issues_matching,
        proactive_form_issues=banners.form_issues,
        proactive_status_url=banners.status_url,
        proactive_desk_alerts=banners.desk_alerts,
        proactive_topic_form=banners.topic_form,
    )
    app.jinja_env.filters["issue_status"] = banners.status_label
