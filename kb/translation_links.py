"""Articles that translate each other, and the version a reader should be offered.

The link is ``Article.translation_of_id``: a translation points to its original, and an
original points nowhere. The versions of an article are its original and the original's
translations: a star, one level deep, at most one translation per language (a unique
constraint on ``(translation_of_id, language)``), never in the original's own language.

Why a pointer to the original rather than a translation group id shared by every version:
it is what a writer does ("this article translates that one"), chosen in the editor from
the existing articles; the database keeps it valid (a foreign key, where a group id would
be a number nothing owns, to be cleaned up when its last article leaves); and the group
needs no table of its own, since the original's id is the group. The price is that the
star must stay one level deep: linking to a translation links to its original instead,
and an original that has translations cannot itself become a translation (its
translations would have to move first); both are checked here, in ``check_link``.
"""

from babel import Locale
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kb.models import LANGUAGES, Article, ArticleStatus
from portal.errors import ValidationFailed
from portal.permissions import can_read_article

FIELD = "translation_of"


def language_name(code: str) -> str:
    """A content language's name in the page's language, for a sentence ("anglais")."""
    return Locale.parse(code).get_display_name(get_locale()) or LANGUAGES[code]


def check_link(
    session: Session, article: Article | None, language: str, original: Article | None
) -> Article | None:
    """The original ``article`` (None: not yet saved) may translate, written in
    ``language``: ``original`` itself, or its own original when it is a translation.

    A ValidationFailed names what is wrong. Also checks that an original keeps its
    translations in other languages when its language changes.
    """
    saved_id = article.id if article is not None else None
    own_translations = _translations_of(session, saved_id) if saved_id else []
    clash = next((t for t in own_translations if t.language == language), None)
    if clash is not None:
        raise ValidationFailed(
            _(
                "“%(title)s” is this article’s %(language)s translation: write this one in "
                "another language.",
                title=clash.title,
                language=language_name(language),
            ),
            field="language",
        )
    if original is None:
        return None
    if original.translation_of_id is not None:
        original = original.translation_of  # the star stays one level deep
    if original.id == saved_id:
        raise ValidationFailed(_("An article cannot be a translation of itself."), field=FIELD)
    if own_translations:
        raise ValidationFailed(
            _(
                "Other articles translate this one, so it is an original: open the article "
                "you chose and link it to this one instead."
            ),
            field=FIELD,
        )
    if original.language == language:
        raise ValidationFailed(
            _(
                "“%(title)s” is in %(language)s too: a translation is in another language.",
                title=original.title,
                language=language_name(language),
            ),
            field=FIELD,
        )
    siblings = select(Article).where(
        Article.translation_of_id == original.id, Article.language == language
    )
    taken = session.scalar(siblings.where(Article.id != saved_id) if saved_id else siblings)
    if taken is not None:
        raise ValidationFailed(
            _(
                "“%(title)s” already has a %(language)s translation: “%(translation)s”.",
                title=original.title,
                language=language_name(language),
                translation=taken.title,
            ),
            field=FIELD,
        )
    return original


def _translations_of(session: Session, article_id: int) -> list[Article]:
    return list(session.scalars(select(Article).where(Article.translation_of_id == article_id)))


def versions(session: Session, article: Article) -> list[Article]:
    """Every version of the article (itself included): its original and their
    translations, by language."""
    original_id = article.translation_of_id or article.id
    return list(
        session.scalars(
            select(Article)
            .where(or_(Article.id == original_id, Article.translation_of_id == original_id))
            .order_by(Article.language)
        )
    )


def other_versions(session: Session, viewer, article: Article) -> list[Article]:
    """The article's versions in other languages that this viewer may open."""
    return [
        version
        for version in versions(session, article)
        if version.id != article.id and can_read_article(viewer, version)
    ]


def version_in(versions_: list[Article], language: str) -> Article | None:
    """The published version in this language, from a list of other versions."""
    return next((v for v in versions_ if v.language == language and v.is_published), None)


def in_reader_language(session: Session, articles: list[Article], language: str) -> list[Article]:
    """The list with each article replaced by its published version in the reader's
    language when there is one, each group of versions once (at its first place)."""
    group_ids = {a.translation_of_id or a.id for a in articles if a.language != language}
    if not group_ids:
        return articles
    preferred = {
        version.translation_of_id or version.id: version
        for version in session.scalars(
            select(Article).where(
                Article.language == language,
                Article.status == ArticleStatus.PUBLISHED.value,
                or_(Article.id.in_(group_ids), Article.translation_of_id.in_(group_ids)),
            )
        )
    }
    shown, seen = [], set()
    for article in articles:
        group = article.translation_of_id or article.id
        if group in seen:
            continue
        seen.add(group)
        shown.append(preferred.get(group, article))
    return shown
