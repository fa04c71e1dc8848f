"""Bringing content in and taking the whole site out (issue #18, items 4 and 5).

``flask transfer import-stackexchange`` (a Stack Exchange data dump into the community),
``import-markdown`` / ``import-csv`` / ``import-zendesk`` (articles into the knowledge
base), ``export`` / ``import-archive`` (the whole site as JSON Lines, docs/export.md) and
``claim`` (an imported account gets its owner's address and password).

Every import is idempotent and resumable: ``transfer_mappings`` remembers what each source
item became (models.py, mapping.py). Imported content reaches search through the change
feed, written by the community's and the KB's own announcements in each batch's
transaction (``community.thread_changed``, ``kb.article_*``); the command then waits for
the index to read it (searchable.py). The package publishes and subscribes to no event:
it stands above every other package and calls their services and models.
"""

from pathlib import Path

from flask import Flask

from portal.i18n import add_catalog


def init_app(app: Flask) -> None:
    """Register the transfer commands and their catalog."""
    from transfer import cli, models  # noqa: F401  (the mapping table joins the metadata)

    add_catalog(app, Path(__file__).parent / "translations")
    app.cli.add_command(cli.transfer_cli)
