"""Knowledge base: tagged Markdown articles, revisions, feedback, topic pages (issue #3).

Events published in the transaction (``session`` and plain ids; work for after the commit
is recorded as a job or a feed row in that session):

* ``kb.article_published`` — ``article_id``: a draft or archived article became public.
* ``kb.article_updated`` — ``article_id``: a published article's text, title, summary or
  tags changed (an edit, a restored revision or an accepted suggestion).
* ``kb.article_archived`` — ``article_id``: the article left the public site.
* ``kb.edit_suggested`` — ``article_id``, ``revision_id``: a super-user suggested an edit.

* ``sitemap.collecting`` — ``session``, ``entries``: append ``(absolute URL, last change)``
  tuples to ``entries`` to list more pages in ``/sitemap.xml`` (community threads).
* ``kb.related_collecting`` — ``session``, ``article_id``, ``limit``, ``ids``: append the ids
  of the articles closest in meaning, best first (search does); the article page's
  related articles list them before those sharing its tags.

Subscribed: ``user.deleting`` and ``user.data_collecting`` (privacy.py): a deleted reader's
feedback comments are erased; a member's feedback, articles and suggestions for download.
Hook for later packages: the template ``community/_topic_threads.html``, included on topic pages
when it exists (solved threads of the tag, which is in the context as ``tag``).

Promote to KB: ``kb.promote_thread`` (POST, ``thread_id``) turns a solved community thread
into a draft article (kb/promotion.py); the thread page includes ``kb/_thread_article.html``
to link to it, through the ``promoted_article(thread)`` template global.

Languages: the KB's strings are in its own catalog (``kb/translations``); an article
knows the language it is written in and the article it translates
(kb/translation_links.py); readers are offered the version in their language.
"""

from pathlib import Path

from flask import Flask
from flask_login import current_user

from portal import attachments, batches, events, i18n


def init_app(app: Flask) -> None:
    """Register the KB blueprint, its settings and its demo content."""
    from kb import (  # noqa: F401 (the *_views modules add routes to views.bp)
        demo,
        editor_views,
        feeds,
        privacy,
        promotion,
        promotion_views,
        queries,
        rendering,
        suggestion_views,
        views,
    )
    from portal.extensions import db

    # Articles need this many votes before they can rank among the least helpful.
    app.config.setdefault("KB_LEAST_HELPFUL_MIN_VOTES", 3)
    app.register_blueprint(views.bp)
    rendering.init_app(app)
    i18n.add_catalog(app, Path(__file__).parent / "translations")
    app.jinja_env.globals["promoted_article"] = lambda thread: (
        promotion.visible_article_from_thread(db.session, current_user, thread)
    )
    attachments.register_owner(app, "article", queries.article_files_visible)
    batches.register(
        app,
        queries.ARTICLE_VIEWS,
        queries.add_views,
        size_setting="ARTICLE_VIEWS_BATCH",
        seconds_setting="ARTICLE_VIEWS_FLUSH_SECONDS",
    )
    events.subscribe("demo.seeding", demo.seed_articles)
    events.subscribe("user.deleting", privacy.on_user_deleting)
    events.subscribe("user.data_collecting", privacy.on_data_collecting)
