"""Search: full-text and semantic indexes, hybrid ranking, suggestions, deflection (issue #5).

Nothing is opened or loaded when the app starts: the index on the first search, the
embedding model on the first semantic query, each once per process. The index lives in
SEARCH_INDEX_DIR (default instance/search) and is derived data, kept by the jobs worker
(indexing.py): it follows the change feed (feed.py) written in the same transactions as
the content, and rebuilds a missing or damaged index into a new generation while searches
answer from the old one, or from the database (fallback.py).

Other packages include ``search/_suggest_box.html`` (suggestions while typing; set
``search_suggest_fields`` to the field ids), ``search/_solved_box.html`` ("this solved my
problem") and ``search/_similar_box.html`` (similar questions), the last two with
``search_doc_key`` set, each with ``ignore missing``. A question
asked anyway is seen through ``community.post_submitted``, a support request through
``cases.contact_submitted`` (both in the request's transaction). An article's related
articles get their semantic neighbours through ``kb.related_collecting``. On
``user.deleting`` a member's searches are untied from the account, and on
``user.data_collecting`` listed for download (privacy.py). On ``database.restored`` (after
`flask restore`) this machine's index is marked for a rebuild: it may be ahead of the data.
"""

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: "Flask") -> None:
    """Register the search blueprint, its event subscriptions, CLI and template helpers."""
    # Imported here, not above: the encoder service imports search.encoder without the app.
    from portal import events, jobs
    from portal.i18n import add_catalog
    from search import (  # noqa: F401 (similar registers its job)
        cli,
        deflection,
        encoder_service,
        feed,
        indexing,
        privacy,
        querylog,
        service,
        similar,
        views,
    )

    add_catalog(app, Path(__file__).parent / "translations")
    app.register_blueprint(views.bp)
    querylog.init_app(app)
    for name in ("kb.article_published", "kb.article_updated", "kb.article_archived"):
        events.subscribe(name, feed.on_article_changed)
    events.subscribe("community.thread_changed", feed.on_thread_changed)
    jobs.worker_service(app, "search-keeper", indexing.keep_index)
    jobs.worker_service(app, "search-encoder", encoder_service.keep_service)
    jobs.every(app, feed.PRUNE_JOB, 24 * 60)
    events.subscribe("community.post_submitted", deflection.on_post_submitted)
    events.subscribe("cases.contact_submitted", deflection.on_contact_submitted)
    events.subscribe("kb.related_collecting", service.add_related_articles)
    events.subscribe("user.deleting", privacy.on_user_deleting)
    events.subscribe("user.data_collecting", privacy.on_data_collecting)
    events.subscribe("database.restored", indexing.on_database_restored)
    app.cli.add_command(cli.search_cli)
    app.jinja_env.globals["search_opened_from_suggestion"] = deflection.opened_from_suggestion
    app.jinja_env.globals["search_similar"] = views.similar_for_template
