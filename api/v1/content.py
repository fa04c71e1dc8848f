"""Search and suggestions, knowledge-base articles, tags."""

from flask_login import current_user
from sqlalchemy import select

from api import pagination, schemas
from api.auth import needs, permit
from api.v1 import blueprint, dump
from kb import queries as kb_queries
from kb import service as kb_service
from kb.models import Article
from portal import service as portal_service
from portal.extensions import db
from portal.permissions import can_write_articles
from search import service as search_service

blp = blueprint("api_content", "Search, articles, tags")


@blp.get("/search")
@needs("read")
@blp.arguments(schemas.SearchArgs, location="query")
@blp.response(200, schemas.SearchPageSchema)
def search(args):
    """Search articles and threads (what the caller may see, best first)."""
    solved = {True: "1", False: "0"}.get(args.get("solved"))
    filters, notes = search_service.clean_filters(
        db.session, args.get("kind"), args.get("tag"), solved, args.get("language")
    )
    position = pagination.decode(args.get("cursor"), "search") or {"page": 1}
    page_number = int(position.get("page", 1))
    found = search_service.search(db.session, current_user, args["q"], filters, page_number)
    more = found.page < found.pages and found.page == page_number
    cursor = pagination.encode({"kind": "search", "page": page_number + 1}) if more else None
    page = pagination.page([_result(result) for result in found.results], cursor)
    return {
        "query": found.query,
        "total": found.total,
        "keyword_only": found.keyword_only,
        "notes": notes,
        **page,
    }


def _result(result) -> dict:
    return {
        "key": result.key,
        "kind": result.kind,
        "title": result.title,
        "url": result.url,
        "snippet": str(result.snippet.striptags()),
        "tags": [slug for slug, _name in result.tags],
        "solved": result.solved,
        "updated": result.updated,
        "language": result.language,
    }


@blp.get("/search/suggestions")
@needs("read")
@blp.arguments(schemas.SuggestArgs, location="query")
@blp.response(200, schemas.SearchResultSchema(many=True))
def suggestions(args):
    """The few best answers for a question being typed (no deflection is recorded)."""
    return [
        _result(result) for result in search_service.suggest(db.session, current_user, args["q"])
    ]


@blp.get("/articles")
@needs("read")
@blp.arguments(schemas.ArticleListArgs, location="query")
@blp.response(200, schemas.page_of(schemas.ArticleSchema))
def list_articles(args):
    """Articles, newest first: published ones; drafts and archived for their writers."""
    status = args.get("status", "published")
    if status != "published":
        permit(can_write_articles(current_user))
    statement = select(Article).where(Article.status == status)
    page = pagination.keyset_page(statement, Article.id, args, f"articles:{status}")
    return {**page, "items": [dump.article(item) for item in page["items"]]}


@blp.get("/articles/<slug>")
@needs("read")
@blp.response(200, schemas.ArticleSchema)
def read_article(slug: str):
    """One article by its slug (or a slug it had)."""
    article, _moved = kb_queries.readable_article(db.session, current_user, slug)
    return dump.article(article)


@blp.post("/articles")
@needs("write")
@blp.arguments(schemas.ArticleCreate)
@blp.response(201, schemas.ArticleSchema)
def create_article(body):
    """Write an article (agents and admins), a draft unless ``publish`` is true."""
    article = kb_service.create_article(
        db.session,
        current_user,
        title=body["title"],
        summary=body["summary"],
        body=body["body"],
        tag_slugs=body["tags"],
        language=body["language"],
        note=body["note"],
        publish=body["publish"],
    )
    db.session.commit()
    return dump.article(article)


def _writable(slug: str) -> Article:
    permit(can_write_articles(current_user))
    article, _moved = kb_queries.find_article(db.session, slug)
    return article


@blp.put("/articles/<slug>")
@needs("write")
@blp.arguments(schemas.ArticleUpdate)
@blp.response(200, schemas.ArticleSchema)
def update_article(body, slug: str):
    """Save a new revision; ``base_version`` older than the article's is a 409."""
    article = _writable(slug)
    kb_service.update_article(
        db.session,
        current_user,
        article,
        base_version=body["base_version"],
        title=body["title"],
        summary=body["summary"],
        body=body["body"],
        tag_slugs=body["tags"],
        language=body["language"],
        note=body["note"],
    )
    db.session.commit()
    return dump.article(article)


@blp.post("/articles/<slug>/publish")
@needs("write")
@blp.response(200, schemas.ArticleSchema)
def publish_article(slug: str):
    """Make a draft or archived article public (409 if it is already)."""
    article = _writable(slug)
    kb_service.publish_article(db.session, current_user, article)
    db.session.commit()
    return dump.article(article)


@blp.get("/tags")
@needs("read")
@blp.response(200, schemas.TagSchema(many=True))
def list_tags():
    """Every tag, by name."""
    return search_service.all_tags(db.session)


@blp.post("/tags")
@needs("write")
@blp.arguments(schemas.TagCreate)
@blp.response(201, schemas.TagSchema)
def create_tag(body):
    """A new tag (agents and admins); 409 when its slug exists."""
    tag = portal_service.create_tag(
        db.session, current_user, name=body["name"], description=body["description"]
    )
    db.session.commit()
    return tag
