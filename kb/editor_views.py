"""Writing the knowledge base: editor, publish/archive, history, restore, suggested edits."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from kb import service, suggestions
from kb.diff import diff_items
from kb.forms import ArticleForm, ReviewForm, SuggestionForm, base_version_of
from kb.models import Article, ArticleRevision
from kb.views import bp, load_article
from portal.errors import DomainError, NotFound
from portal.extensions import db
from portal.forms import EmptyForm, commit_or_show, form_status, show_domain_error
from portal.inputs import id_arg
from portal.markdown import render_markdown
from portal.models import Tag
from portal.permissions import can_suggest_edits, can_write_articles, permission_required


def tag_choices() -> list[SelectChoice]:
    tags = db.session.scalars(select(Tag).order_by(Tag.name))
    return [SelectChoice(tag.slug, tag.name) for tag in tags]


def render_editor(form: ArticleForm, article: Article | None, status: int = 200, **extra):
    form.tags.choices = tag_choices()
    if form.errors and status == 200:
        status = 422
    page = render_template("kb/editor.html", form=form, article=article, **extra)
    return page, status


def preview_of(form) -> str:
    """The text as readers would see it, for the editor's Preview button."""
    return render_markdown(form.body.data or "", user_content=False)


@bp.route("/kb/new", methods=["GET", "POST"])
@permission_required(can_write_articles)
def new_article():
    form = ArticleForm()
    form.tags.choices = tag_choices()
    action = request.form.get("action", "save")
    if action == "preview" and form.is_submitted():
        return render_editor(form, None, preview=preview_of(form))
    if form.validate_on_submit():
        try:
            article = service.create_article(
                db.session,
                current_user,
                title=form.title.data,
                summary=form.summary.data or "",
                body=form.body.data,
                tag_slugs=form.tags.data or [],
                language=form.language.data,
                note=form.note.data or "",
                publish=action == "publish",
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash("Article published." if article.is_published else "Draft saved.", "success")
            return redirect(url_for("kb.article", slug=article.slug))
    return render_editor(form, None)


@bp.route("/kb/<slug>/edit", methods=["GET", "POST"])
@permission_required(can_write_articles)
def edit_article(slug: str):
    article, _ = load_article(slug)
    if request.method == "GET":
        form = ArticleForm(obj=article, base_version=str(article.version))
        form.tags.data = [tag.slug for tag in article.tags]
        form.note.data = ""
        return render_editor(form, article)
    form = ArticleForm()
    action = request.form.get("action", "save")
    if action == "preview" and form.is_submitted():
        return render_editor(form, article, preview=preview_of(form))
    if form.validate_on_submit():
        try:
            revision = service.update_article(
                db.session,
                current_user,
                article,
                base_version=base_version_of(form),
                title=form.title.data,
                summary=form.summary.data or "",
                body=form.body.data,
                tag_slugs=form.tags.data or [],
                language=form.language.data,
                note=form.note.data or "",
            )
            if action == "publish" and not article.is_published:
                service.publish_article(db.session, current_user, article)
        except service.StaleEdit as conflict:
            db.session.rollback()
            show_domain_error(form, conflict)
            # The next save is based on what is there now: the writer has seen it.
            form.base_version.data = str(conflict.current.number)
            mine = _Unsaved(form)
            return render_editor(
                form,
                article,
                409,
                conflict=conflict.current,
                diff=diff_items(conflict.current, mine),
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash("Saved." if revision or action == "publish" else "Nothing changed.", "success")
            return redirect(url_for("kb.article", slug=article.slug))
    return render_editor(form, article)


class _Unsaved:
    """The editor's text shaped like a revision, to diff it against the saved one."""

    def __init__(self, form):
        self.title, self.summary = form.title.data or "", form.summary.data or ""
        self.body = (form.body.data or "").replace("\r\n", "\n")
        self.tag_slugs = " ".join(form.tags.data or [])


def _state_change(slug: str, change, message: str):
    article, _ = load_article(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        change(db.session, current_user, article)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("kb.article", slug=article.slug))


@bp.route("/kb/<slug>/publish", methods=["POST"])
@permission_required(can_write_articles)
def publish_article(slug: str):
    return _state_change(slug, service.publish_article, "Article published.")


@bp.route("/kb/<slug>/archive", methods=["POST"])
@permission_required(can_write_articles)
def archive_article(slug: str):
    return _state_change(
        slug, service.archive_article, "Article archived: readers no longer see it."
    )


@bp.route("/kb/<slug>/history")
@permission_required(can_write_articles)
def history(slug: str):
    article, _ = load_article(slug)
    revisions = service.history(db.session, article)
    newest = revisions[0].number
    new_number = id_arg("to") or newest
    old_number = id_arg("from") or max(new_number - 1, 1)
    try:
        old = service.get_revision(db.session, article, old_number)
        new = service.get_revision(db.session, article, new_number)
    except NotFound:
        abort(404)
    return render_template(
        "kb/history.html",
        article=article,
        revisions=revisions,
        old=old,
        new=new,
        diff=diff_items(old, new),
        action_form=EmptyForm(),
    )


@bp.route("/kb/<slug>/history/<int:number>/restore", methods=["POST"])
@permission_required(can_write_articles)
def restore_revision(slug: str, number: int):
    article, _ = load_article(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        service.restore_revision(db.session, current_user, article, number)
    except NotFound:
        abort(404)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("kb.history", slug=article.slug))
    db.session.commit()
    flash(f"Revision {number} restored as revision {article.version}.", "success")
    return redirect(url_for("kb.history", slug=article.slug))


@bp.route("/kb/<slug>/suggest", methods=["GET", "POST"])
@permission_required(can_suggest_edits)
def suggest_edit(slug: str):
    article, _ = load_article(slug)
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
        flash("Thank you! An agent will review your suggestion.", "success")
        return redirect(url_for("kb.article", slug=article.slug))
    return render_template("kb/suggest.html", form=form, article=article), form_status(form)


def load_suggestion(slug: str, suggestion_id: int) -> tuple[Article, ArticleRevision]:
    article, _ = load_article(slug)
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
        flash(f"Suggestion {decision}ed.", "success")
        return redirect(url_for("kb.article", slug=article.slug))
    page = render_template(
        "kb/suggestion.html",
        article=article,
        suggestion=suggestion,
        diff=diff_items(article, suggestion),
        form=form,
    )
    return page, 422
