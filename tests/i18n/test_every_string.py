"""Every string a person reads comes from the catalogs: every page as every role, in a
pseudo-language (tests/i18n/pseudo.py), shows interface text only as ⟦catalog text⟧.

One seeded database (the route walker's worlds, tests/hostile/world.py) with the people's
content rewritten in a made-up language ("zq…" words), then for each role every GET
route of the URL map with real ids, and every POST route with an empty form (the form
comes back with its error messages). A failure names the page, the role and each piece
of text that was not translated.

Packages whose strings are still being moved into catalogs are listed in NOT_YET: their
pages are skipped until the package's catalog is complete (then its name goes).
"""

import pytest
from sqlalchemy import String, cast, literal, select, update

from api.models import ApiToken, WebhookEndpoint
from community.models import Post, Thread
from kb.models import Article, ArticleRevision
from moderation.cases.models import Case, CaseEvent, Macro, PriorityRuleRecord
from moderation.models import WatchedTermRecord
from portal import create_app
from portal.extensions import db
from portal.models import Tag, User
from portal.notifications import Notification
from proactive.models import KnownIssue, SurgeAlert
from tests.conftest import AuthActions, empty_tables
from tests.hostile.walker import build_url
from tests.hostile.world import ROLES, path_values, seed_world, valid_args
from tests.i18n.pseudo import pseudo_translations, untranslated_in_page

pytestmark = pytest.mark.i18n

# Blueprints whose strings are not all in a catalog yet: skipped, and shrinking.
NOT_YET: set[str] = set()
# Pages that show a part of another package (an include): checked once it is out of NOT_YET.
SHOWS_PART_OF: dict[str, str] = {}
# Pages that answer with a file or redirect only, never text to read.
# Not pages: files (the favicon, attachments, pictures) and data for machines.
NOT_PAGES = {
    *("portal.download_data", "portal.healthz", "portal.favicon", "static", "kb.sitemap"),
    *("files.attachment", "files.avatar"),
    # Atom feeds: addresses and ids for feed readers (their titles come from the catalogs).
    *("kb.feed", "kb.topic_feed", "community.feed", "community.tag_feed"),
}
# The API's answers are data for programs (its problems' details come from the catalogs,
# tests/api); its reference page (api.reference) is walked like any page.
NOT_PAGES |= {"api_content", "api_community", "api_cases", "api_people", "api-docs"}


def zq_content(session) -> None:
    """The people's words in a made-up language: what is left in English is interface."""
    for user in session.scalars(select(User)):
        user.display_name, user.bio = f"Zqname{user.id}", f"Zqbio {user.id}"
    for model, columns in (
        (Tag, ("name", "description")),
        (Thread, ("title",)),
        (Post, ("body",)),
        (Article, ("title", "summary", "body")),
        (ArticleRevision, ("title", "summary", "body", "note", "review_note")),
        (Case, ("subject", "body")),
        (CaseEvent, ("body",)),
        (Macro, ("title", "body")),
        (PriorityRuleRecord, ("name", "keywords")),
        (WatchedTermRecord, ("term",)),
        (Notification, ("message",)),
        (ApiToken, ("name",)),
        (WebhookEndpoint, ("description",)),
        (KnownIssue, ("title", "explanation", "resolution")),
        (SurgeAlert, ("title",)),
    ):
        for column in columns:
            # Unique per row: some columns are unique (tag names, macro titles).
            text = literal(f"zq{model.__name__.lower()}{column}") + cast(model.id, String)
            session.execute(update(model).values({getattr(model, column): text}))


@pytest.fixture(scope="module")
def pages(database_url, tmp_path_factory):
    """An app whose every catalog lookup is pseudo, over the seeded worlds, and its routes."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "i18n",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
            "MODERATION_NEW_ACCOUNT_HELD_POSTS": 0,
            "MODERATION_RATE_LIMIT_POSTS": 0,
            "MODERATION_DUPLICATE_THRESHOLD": 0,
            "SEARCH_SEMANTIC_ENABLED": False,
            "JOBS_INLINE": True,
            "REGISTER_RATE_LIMIT": "",
            "SEARCH_INDEX_DIR": str(tmp_path_factory.mktemp("i18n-index")),
        }
    )
    with pseudo_translations():
        with app.app_context():
            db.create_all()
            worlds = {role: seed_world(db.session, role) for role in ROLES}
            zq_content(db.session)
            db.session.commit()
        yield app, worlds
        empty_tables(app)


def routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        blueprint = rule.endpoint.partition(".")[0]
        if blueprint in NOT_YET or rule.endpoint in NOT_PAGES or blueprint in NOT_PAGES:
            continue
        if SHOWS_PART_OF.get(rule.endpoint) in NOT_YET:
            continue
        if rule.endpoint.endswith(".static"):
            continue  # a blueprint's own static files (search/static/suggest.js): no page
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


@pytest.mark.parametrize("role", ROLES)
def test_every_page_speaks_from_the_catalogs(pages, role):
    app, worlds = pages
    world = worlds[role]
    problems = []
    with pseudo_translations():
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.1.{ROLES.index(role)}.1"
        if world.username:
            signed_in = AuthActions(client).login(world.username)
            # The sign-in's welcome is flashed on the page it leads to, which is the sign-in's
            # text (auth), not that of the first page walked: read it there.
            landing = client.get(signed_in.headers["Location"])
            if not {"auth", "portal"} & NOT_YET:
                for problem in untranslated_in_page(landing.get_data(as_text=True), "text/html"):
                    problems.append(f"signing in, then GET {signed_in.location} {problem}")
        for rule, method in routes(app):
            if method != "GET" and any(word in rule.rule for word in ("logout", "delete")):
                continue  # would end the walk's session or its targets
            url = build_url(rule.rule, path_values(rule.endpoint, world))
            if method == "GET":
                # A query is the reader's words, shown back to them: content, so made-up too.
                args = valid_args(rule.endpoint, world) | {"q": "zqrouter zqlights"}
                response = client.get(url, query_string=args)
            else:
                response = client.open(url, method=method, data={})
            if response.status_code in (301, 302, 303, 304) or not response.data:
                continue
            body = response.get_data(as_text=True)
            for problem in untranslated_in_page(body, response.mimetype):
                if not shows_a_username(problem, app):
                    problems.append(f"{method} {url} ({response.status_code}) {problem}")
    assert problems == [], "\n".join(problems[:80])


def shows_a_username(problem: str, app) -> bool:
    """A member's name is content: with their display name emptied by one of the walk's
    empty forms, pages show their username (``agent-me``), not a forgotten string."""
    text = problem.partition(": ")[2].rpartition(" (")[0].strip("'\"")
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == text)) is not None
