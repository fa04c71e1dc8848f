"""The support leader's dashboard (issue #8): KPIs with the previous period beside them,
weekly and per-tag/per-agent charts, CSV export and a definitions page.

``metrics.build_dashboard`` computes the numbers from stored records; ``results`` holds
the plain values it returns; ``display``, ``charts`` and ``export`` only read them.
Agents and admins see it (``permissions.can_view_dashboard``).
"""

from pathlib import Path

from flask import Flask

from portal.i18n import add_catalog


def init_app(app: Flask) -> None:
    """Register the dashboard blueprint and its catalog (dashboard/translations)."""
    from dashboard import views

    add_catalog(app, Path(__file__).parent / "translations")
    app.register_blueprint(views.bp)
