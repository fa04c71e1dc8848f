"""What the API reads and writes, as marshmallow schemas (the OpenAPI document is made
from them). Text read from a body is cleaned like form fields (portal/inputs.py): no
control characters, no lone surrogates."""

import marshmallow as ma
from marshmallow import fields, validate

from portal.inputs import ID_MAX, clean_text

Id = lambda **kw: fields.Integer(strict=True, validate=validate.Range(1, ID_MAX), **kw)  # noqa: E731


class Text(fields.String):
    """A string without the characters no person types (NUL, escapes, lone surrogates)."""

    def _deserialize(self, value, attr, data, **kwargs):
        return clean_text(super()._deserialize(value, attr, data, **kwargs))


def short(maximum: int, **kwargs) -> Text:
    return Text(validate=validate.Length(max=maximum), **kwargs)


class Problem(ma.Schema):
    """RFC 9457 problem details."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class PageArgs(ma.Schema):
    cursor = short(2000, metadata={"description": "The `next` link's cursor"})
    limit = fields.Integer(validate=validate.Range(1, 100))


def page_of(item: type[ma.Schema]) -> type[ma.Schema]:
    """``{"items": [item…], "next": url|null}`` for one kind of item."""
    return ma.Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item), required=True),
            "next": fields.String(allow_none=True, required=True),
        },
        name=f"{item.__name__.removesuffix('Schema')}Page",
    )


class UserRef(ma.Schema):
    username = fields.String()
    name = fields.String()


class TagSchema(ma.Schema):
    slug = fields.String()
    name = fields.String()
    description = fields.String()


class TagCreate(ma.Schema):
    name = Text(required=True, validate=validate.Length(1, 64))
    description = short(300, load_default="")


# ---------------------------------------------------------------- search
class SearchArgs(ma.Schema):
    q = short(500, load_default="")
    kind = short(20)
    tag = short(64)
    solved = fields.Boolean()
    language = short(8)
    cursor = short(2000)


class SearchResultSchema(ma.Schema):
    key = fields.String()
    kind = fields.String()
    title = fields.String()
    url = fields.String()
    snippet = fields.String()
    tags = fields.List(fields.String())
    solved = fields.Boolean()
    updated = fields.DateTime(allow_none=True)
    language = fields.String()


class SearchPageSchema(ma.Schema):
    query = fields.String()
    total = fields.Integer()
    keyword_only = fields.Boolean()
    notes = fields.List(fields.String())
    items = fields.List(fields.Nested(SearchResultSchema))
    next = fields.String(allow_none=True)


class SuggestArgs(ma.Schema):
    q = short(500, load_default="")


# ---------------------------------------------------------------- articles
class ArticleSchema(ma.Schema):
    slug = fields.String()
    title = fields.String()
    summary = fields.String()
    body = fields.String()
    language = fields.String()
    status = fields.String()
    version = fields.Integer()
    tags = fields.List(fields.String())
    author = fields.Nested(UserRef)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    published_at = fields.DateTime(allow_none=True)
    url = fields.String()


class ArticleListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(["published", "draft", "archived"]))


class ArticleWrite(ma.Schema):
    title = Text(required=True, validate=validate.Length(max=200))
    summary = short(300, load_default="")
    body = Text(required=True, validate=validate.Length(max=200_000))
    tags = fields.List(short(64), required=True, validate=validate.Length(max=10))
    language = short(8, load_default=None, allow_none=True)
    note = short(200, load_default="")


class ArticleCreate(ArticleWrite):
    publish = fields.Boolean(load_default=False)


class ArticleUpdate(ArticleWrite):
    base_version = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(0, ID_MAX),
        metadata={"description": "The version you edited; another one since is a 409"},
    )


# ---------------------------------------------------------------- community
class PostSchema(ma.Schema):
    id = fields.Integer()
    author = fields.Nested(UserRef)
    body = fields.String()
    status = fields.String()
    score = fields.Integer()
    language = fields.String()
    is_question = fields.Boolean()
    created_at = fields.DateTime()
    edited_at = fields.DateTime(allow_none=True)


class ThreadSchema(ma.Schema):
    id = fields.Integer()
    title = fields.String()
    author = fields.Nested(UserRef)
    tags = fields.List(fields.String())
    language = fields.String(allow_none=True)
    reply_count = fields.Integer()
    solved = fields.Boolean()
    solution_post_id = fields.Integer(allow_none=True)
    locked = fields.Boolean()
    created_at = fields.DateTime()
    last_activity_at = fields.DateTime()
    url = fields.String()


class ThreadDetailSchema(ThreadSchema):
    question = fields.Nested(PostSchema, allow_none=True)
    replies = fields.List(fields.Nested(PostSchema))


class ThreadListArgs(PageArgs):
    tag = short(64)
    filter = fields.String(validate=validate.OneOf(["all", "unanswered", "unsolved", "solved"]))


class ThreadCreate(ma.Schema):
    title = Text(required=True, validate=validate.Length(max=300))
    body = Text(required=True, validate=validate.Length(max=200_000))
    tags = fields.List(short(64), required=True, validate=validate.Length(max=10))
    language = short(8, load_default=None, allow_none=True)


class ReplyCreate(ma.Schema):
    body = Text(required=True, validate=validate.Length(max=200_000))
    language = short(8, load_default=None, allow_none=True)


class VoteWrite(ma.Schema):
    value = fields.Integer(required=True, strict=True, validate=validate.OneOf([-1, 0, 1]))


class VoteResult(ma.Schema):
    post_id = fields.Integer()
    score = fields.Integer()
    value = fields.Integer()


class SolutionWrite(ma.Schema):
    post_id = Id(required=True)


class SolutionSchema(ma.Schema):
    thread_id = fields.Integer()
    post_id = fields.Integer()
    accepted_by = fields.Nested(UserRef)
    accepted_at = fields.DateTime()
