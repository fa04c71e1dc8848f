"""Suggested edits: a super-user proposes a change, an agent accepts or declines it."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kb import suggestions
from kb.diff import diff_items
from kb.forms import ReviewForm, SuggestionForm, base_version_of
from kb.models import Article, ArticleRevision
from kb.views import bp, load_article
from portal.errors import NotFound
from portal.extensions import db
from portal.forms import commit_or_show, form_status
from portal.permissions import can_suggest_edits, can_write_articles, permission_required


@bp.route("/kb/<slug>/suggest", methods=["GET", "POST"])
@permission_required(can_suggest_edits)
def suggest_edit(slug: str):
    article = load_article(slug)[0]
    if request.method == "GET":
        form = SuggestionForm(obj=article, base_version=str(article.version))
        form.note.data = ""
    else:
        form = SuggestionForm()
    if form.validate_on_submit() and commit_or_show(
        form,
        lambda: suggestions.suggest_edit(
            db.session,
            current_user,
            article,
            base_version=base_version_of(form),
            title=form.title.data,
            summary=form.summary.data or "",
            body=form.body.data,
            note=form.note.data,
        ),
    ):
        flash(_("Thank you! An agent will review your suggestion."), "success")
        return redirect(url_for("kb.article", slug=article.slug))
    return render_template("kb/suggest.html", form=form, article=article), form_status(form)


def load_suggestion(slug: str, suggestion_id: int) -> tuple[Article, ArticleRevision]:
    article = load_article(slug)[0]
    try:
        suggestion = suggestions.get_suggestion(db.session, article, suggestion_id)
    except NotFound:
        abort(404)
    return article, suggestion


@bp.route("/kb/<slug>/suggestions/<int:suggestion_id>")
@permission_required(can_write_articles)
def suggestion(slug: str, suggestion_id: int):
    article, suggestion = load_suggestion(slug, suggestion_id)
    return render_template(
        "kb/suggestion.html",
        article=article,
        suggestion=suggestion,
        diff=diff_items(article, suggestion),
        form=ReviewForm(formdata=None),
    )


@bp.route(
    "/kb/<slug>/suggestions/<int:suggestion_id>/<any(accept, decline):decision>", methods=["POST"]
)
@permission_required(can_write_articles)
def review_suggestion(slug: str, suggestion_id: int, decision: str):
    article, suggestion = load_suggestion(slug, suggestion_id)
    form = ReviewForm()
    review = (
        suggestions.accept_suggestion if decision == "accept" else suggestions.decline_suggestion
    )
    if form.validate_on_submit() and commit_or_show(
        form, lambda: review(db.session, current_user, suggestion, form.note.data or "")
    ):
        accepted = decision == "accept"
        flash(_("Suggestion accepted.") if accepted else _("Suggestion declined."), "success")
        return redirect(url_for("kb.article", slug=article.slug))
    page = render_template(
        "kb/suggestion.html",
        article=article,
        suggestion=suggestion,
        diff=diff_items(article, suggestion),
        form=form,
    )
    return page, 422
