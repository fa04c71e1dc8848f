"""Reading the knowledge base: home, topics, articles, feedback, writers' lists, sitemap."""

import secrets

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from kb import feedback, queries, suggestions
from kb.forms import FeedbackForm
from kb.models import Article, ArticleStatus
from portal import events, ratelimits
from portal.errors import DomainError, NotFound
from portal.extensions import db
from portal.forms import EmptyForm
from portal.markdown import render_markdown_with_toc
from portal.models import Tag
from portal.permissions import can_write_articles, permission_required
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


@bp.route("/kb/")
def index():
    return render_template(
        "kb/index.html",
        popular=queries.popular_articles(db.session),
        recent=queries.recently_updated(db.session),
        tags=[(tag, count) for tag, count in queries.tags_with_counts(db.session) if count],
    )


@bp.route("/kb/topics/<slug>")
def topic(slug: str):
    tag = db.session.scalar(select(Tag).where(Tag.slug == slug))
    if tag is None:
        abort(404)
    return render_template(
        "kb/topic.html", tag=tag, articles=queries.articles_tagged(db.session, tag)
    )


@bp.route("/kb/<slug>")
def article(slug: str):
    article, moved = load_article(slug)
    if moved:
        return redirect(url_for("kb.article", slug=article.slug), 301)
    writer = can_write_articles(current_user)
    if article.is_published and not writer:
        queries.count_view(db.session, article)
        db.session.commit()
    html, toc = render_markdown_with_toc(article.body, user_content=False)
    vote = feedback.vote_of(db.session, article, signed_in_user(), session.get(VOTER_KEY))
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
        related=queries.related_articles(db.session, article),
        vote=vote,
        feedback_form=FeedbackForm(formdata=None),
        action_form=EmptyForm(),
        **context,
    )


@bp.route("/kb/<slug>/feedback", methods=["POST"])
def vote(slug: str):
    article, _ = load_article(slug)
    form = FeedbackForm()
    if not form.validate_on_submit() or form.helpful.data not in {"yes", "no"}:
        flash("We could not record that vote; please try again.", "error")
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
                message = (
                    "Many votes came from your network just now. Please try again in "
                    f"{ratelimits.describe_wait(wait)}, or sign in to vote."
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
        flash("Thank you for your feedback.", "success")
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
