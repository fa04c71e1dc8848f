"""Reading the knowledge base: home, topics, articles, feedback, writers' lists, sitemap."""

import secrets
from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from kb import feedback, queries, suggestions, translation_links
from kb.forms import FeedbackForm
from kb.models import LANGUAGES, Article, ArticleStatus
from kb.rendering import article_html
from portal import batches, events, ratelimits
from portal.errors import DomainError, NotFound
from portal.extensions import db
from portal.forms import EmptyForm
from portal.i18n import current_language
from portal.models import Tag
from portal.permissions import can_write_articles, permission_required
from portal.public_pages import public_page
from portal.urls import external_url

bp = Blueprint("kb", __name__, template_folder="templates")

VOTER_KEY = "kb_voter"  # the anonymous reader's id in the signed session cookie


def load_article(slug: str) -> tuple[Article, bool]:
    """The article a reader may see under this slug (or an old one), else 404."""
    try:
        return queries.readable_article(db.session, current_user, slug)
    except NotFound:
        abort(404)


def signed_in_user():
    return current_user if current_user.is_authenticated else None


def language_filter() -> str | None:
    """The language the reader chose to list (``?lang=fr``), None for every language."""
    chosen = request.args.get("lang")
    return chosen if chosen in LANGUAGES else None


def as_reader_prefers(articles: list[Article], language: str | None) -> list[Article]:
    """Unfiltered lists show each article in the reader's language when it has that version."""
    if language is not None:
        return articles
    return translation_links.in_reader_language(db.session, articles, current_language())


@bp.route("/kb/")
@public_page
def index():
    language = language_filter()
    # More than shown: an article and its translation are listed once.
    popular = queries.popular_articles(db.session, 12, language)
    recent = queries.recently_updated(db.session, 12, language)
    tags = queries.tags_with_counts(db.session, language)
    return render_template(
        "kb/index.html",
        language=language,
        languages=LANGUAGES,
        popular=as_reader_prefers(popular, language)[:6],
        recent=as_reader_prefers(recent, language)[:6],
        tags=[(tag, count) for tag, count in tags if count],
    )


@bp.route("/kb/topics/<slug>")
@public_page
def topic(slug: str):
    tag = db.session.scalar(select(Tag).where(Tag.slug == slug))
    if tag is None:
        abort(404)
    language = language_filter()
    articles = queries.articles_tagged(db.session, tag, language)
    return render_template(
        "kb/topic.html",
        tag=tag,
        language=language,
        languages=LANGUAGES,
        articles=as_reader_prefers(articles, language),
    )


def structured_data(article: Article, translations: list[Article]) -> dict:
    """The article for search engines (schema.org): its text is the article's content, in
    its language, with the published versions in other languages."""
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title[:110],
        "description": article.description,
        "inLanguage": article.language,
        "mainEntityOfPage": external_url("kb.article", slug=article.slug),
        "url": external_url("kb.article", slug=article.slug),
        "datePublished": (article.published_at or article.created_at).isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "author": {"@type": "Person", "name": article.author.name},
        "publisher": {"@type": "Organization", "name": current_app.config["SITE_NAME"]},
        "keywords": ", ".join(tag.name for tag in article.tags),
    }
    published = {
        version.id: {
            "@type": "Article",
            "url": external_url("kb.article", slug=version.slug),
            "inLanguage": version.language,
        }
        for version in translations
        if version.is_published
    }
    if article.translation_of_id in published:
        data["translationOfWork"] = published[article.translation_of_id]
    elif article.translation_of_id is None and published:
        data["workTranslation"] = list(published.values())
    return data


@bp.route("/kb/<slug>")
@public_page
def article(slug: str):
    article, moved = load_article(slug)
    if moved:
        return redirect(url_for("kb.article", slug=article.slug), 301)
    writer = can_write_articles(current_user)
    if article.is_published and not writer:
        batches.add(queries.ARTICLE_VIEWS, article.id)  # written in batches
    html, toc = article_html(article)
    vote = feedback.vote_of(db.session, article, signed_in_user(), session.get(VOTER_KEY))
    translations = translation_links.other_versions(db.session, current_user, article)
    reader_language = current_language()
    versions = {article.id, article.translation_of_id or article.id}
    versions |= {version.id for version in translations}
    related = [a for a in queries.related_articles(db.session, article) if a.id not in versions]
    context = {}
    if writer:
        context = {
            "helpfulness": feedback.helpfulness(db.session, [article.id])[article.id],
            "comments": feedback.recent_comments(db.session, article),
            "suggestions": suggestions.pending_suggestions(db.session, article),
        }
    return render_template(
        "kb/article.html",
        article=article,
        body_html=html,
        toc_html=toc,
        related=as_reader_prefers(related, None),
        translations=translations,
        languages=LANGUAGES,
        structured_data=structured_data(article, translations),
        # Offered at the top when the article is not in the reader's language.
        in_your_language=(
            translation_links.version_in(translations, reader_language)
            if article.language != reader_language
            else None
        ),
        vote=vote,
        feedback_form=FeedbackForm(formdata=None),
        action_form=EmptyForm(),
        **context,
    )


@bp.route("/kb/<slug>/feedback", methods=["POST"])
def vote(slug: str):
    article = load_article(slug)[0]
    form = FeedbackForm()
    if not form.validate_on_submit() or form.helpful.data not in {"yes", "no"}:
        flash(_("We could not record that vote: please try again."), "error")
        return redirect(url_for("kb.article", slug=article.slug, _anchor="feedback"))
    user = signed_in_user()
    counted = None
    if user is None:
        session.setdefault(VOTER_KEY, secrets.token_urlsafe(24))
        if feedback.vote_of(db.session, article, None, session[VOTER_KEY]) is None:
            # A visitor's vote is one per browser session; a script that drops its cookie
            # gets a new session each time, so new votes are limited per address too.
            counted = ratelimits.Bucket("KB_ANONYMOUS_VOTE_RATE_LIMIT", ratelimits.client_address())
            wait = ratelimits.wait_seconds(counted)
            if wait:
                message = _(
                    "Many votes came from your network just now. Please try again in "
                    "%(wait)s, or sign in to vote.",
                    wait=format_timedelta(timedelta(seconds=wait), threshold=1.1),
                )
                abort(429, description=message)
    try:
        feedback.record_vote(
            db.session,
            article,
            user=user,
            voter_key=session.get(VOTER_KEY),
            helpful=form.helpful.data == "yes",
            comment=form.comment.data or "",
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        if counted is not None:
            ratelimits.count(counted)
        flash(_("Thank you for your feedback."), "success")
    return redirect(url_for("kb.article", slug=article.slug, _anchor="feedback"))


@bp.route("/kb/manage")
@permission_required(can_write_articles)
def manage():
    return render_template(
        "kb/manage.html",
        drafts=queries.articles_with_status(db.session, ArticleStatus.DRAFT),
        archived=queries.articles_with_status(db.session, ArticleStatus.ARCHIVED),
        suggestions=suggestions.pending_suggestions(db.session),
    )


@bp.route("/kb/least-helpful")
@permission_required(can_write_articles)
def least_helpful():
    min_votes = current_app.config["KB_LEAST_HELPFUL_MIN_VOTES"]
    rows = feedback.least_helpful(db.session, min_votes=min_votes)
    return render_template("kb/least_helpful.html", rows=rows, min_votes=min_votes)


@bp.route("/sitemap.xml")
def sitemap():
    """KB home, topics and published articles; other packages add theirs via an event."""
    entries = [(external_url("kb.index"), None)]
    entries += [
        (external_url("kb.topic", slug=tag.slug), None)
        for tag, count in queries.tags_with_counts(db.session)
        if count
    ]
    entries += [
        (external_url("kb.article", slug=slug), updated)
        for slug, updated in queries.sitemap_entries(db.session)
    ]
    events.publish("sitemap.collecting", session=db.session, entries=entries)
    response = make_response(render_template("kb/sitemap.xml", entries=entries))
    response.mimetype = "application/xml"
    return response
