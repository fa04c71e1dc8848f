"""Writing the knowledge base: editor (with the article's language and the one it translates),
publish/archive, history, restore. Suggested edits: suggestion_views.py."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from kb import service
from kb.diff import diff_items
from kb.forms import ArticleForm, base_version_of
from kb.models import LANGUAGES, Article
from kb.views import bp, load_article
from portal.attachments import accepts_uploads, attach
from portal.confirm import confirmation_page
from portal.errors import DomainError, NotFound
from portal.extensions import db
from portal.forms import EmptyForm, show_domain_error
from portal.i18n import sort_key
from portal.inputs import id_arg
from portal.markdown import render_markdown
from portal.models import Tag
from portal.permissions import can_write_articles, permission_required


def tag_choices() -> list[SelectChoice]:
    tags = sorted(db.session.scalars(select(Tag)), key=lambda tag: sort_key(tag.name))
    return [SelectChoice(tag.slug, tag.name) for tag in tags]


def original_choices(article: Article | None) -> list[SelectChoice]:
    """The articles this one may translate: originals other than itself, by language."""
    originals = db.session.scalars(select(Article).where(Article.translation_of_id.is_(None)))
    choices = [SelectChoice("", _("None: this article is an original"))]
    by_language = {code: [] for code in LANGUAGES}
    for candidate in originals:
        if article is None or candidate.id != article.id:
            by_language[candidate.language].append(candidate)
    for code, candidates in by_language.items():
        for candidate in sorted(candidates, key=lambda a: sort_key(a.title)):
            label = candidate.title
            if not candidate.is_published:
                label = _("%(title)s (%(status)s)", title=label, status=candidate.status_label)
            choices.append(SelectChoice(str(candidate.id), label, optgroup=LANGUAGES[code]))
    return choices


def chosen_original(form: ArticleForm) -> Article | None:
    """The article the editor's "Translation of" names (the choices were checked)."""
    value = form.translation_of.data
    return db.session.get(Article, int(value)) if value else None


def render_editor(form: ArticleForm, article: Article | None, status: int = 200, **extra):
    form.tags.choices = tag_choices()
    form.translation_of.choices = original_choices(article)
    if form.errors and status == 200:
        status = 422
    page = render_template(
        "kb/editor.html", form=form, article=article, languages=LANGUAGES, **extra
    )
    return page, status


def preview_of(form) -> str:
    """The text as readers would see it, for the editor's Preview button."""
    return render_markdown(form.body.data or "", user_content=False)


def prefill_translation(form: ArticleForm) -> None:
    """A new article opened from "Translate this article" (``?translation_of=<id>``):
    linked to that article's original, with its tags, in a language it lacks."""
    chosen = db.session.get(Article, id_arg("translation_of") or 0)
    if chosen is None:
        return
    original = chosen.translation_of or chosen
    taken = {original.language} | {t.language for t in original.translations}
    form.translation_of.data = str(original.id)
    form.tags.data = [tag.slug for tag in original.tags]
    form.language.data = next((code for code in LANGUAGES if code not in taken), "")


@bp.route("/kb/new", methods=["GET", "POST"])
@permission_required(can_write_articles)
@accepts_uploads
def new_article():
    form = ArticleForm()
    form.tags.choices = tag_choices()
    form.translation_of.choices = original_choices(None)
    if request.method == "GET":
        prefill_translation(form)
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
                translation_of=chosen_original(form),
                note=form.note.data or "",
                publish=action == "publish",
            )
            attach(db.session, current_user, "article", article.id, form.attachments.cleaned)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Article published.") if article.is_published else _("Draft saved."), "success")
            return redirect(url_for("kb.article", slug=article.slug))
    return render_editor(form, None)


@bp.route("/kb/<slug>/edit", methods=["GET", "POST"])
@permission_required(can_write_articles)
@accepts_uploads
def edit_article(slug: str):
    article = load_article(slug)[0]
    if request.method == "GET":
        form = ArticleForm(obj=article, base_version=str(article.version))
        form.tags.data = [tag.slug for tag in article.tags]
        form.translation_of.data = str(article.translation_of_id or "")
        form.note.data = ""
        return render_editor(form, article)
    form = ArticleForm()
    form.translation_of.choices = original_choices(article)
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
                translation_of=chosen_original(form),
                note=form.note.data or "",
            )
            if action == "publish" and not article.is_published:
                service.publish_article(db.session, current_user, article)
            added = attach(
                db.session, current_user, "article", article.id, form.attachments.cleaned
            )
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
            saved = revision or action == "publish" or added
            flash(_("Saved.") if saved else _("Nothing changed."), "success")
            return redirect(url_for("kb.article", slug=article.slug))
    return render_editor(form, article)


class _Unsaved:
    """The editor's text shaped like a revision, to diff it against the saved one."""

    def __init__(self, form):
        self.title, self.summary = form.title.data or "", form.summary.data or ""
        self.body = (form.body.data or "").replace("\r\n", "\n")
        self.tag_slugs = " ".join(form.tags.data or [])


def _state_change(slug: str, change, message: str):
    article = load_article(slug)[0]
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
    return _state_change(slug, service.publish_article, _("Article published."))


@bp.route("/kb/<slug>/archive", methods=["POST"])
@permission_required(can_write_articles)
def archive_article(slug: str):
    article = load_article(slug)[0]
    page = confirmation_page(
        title=_("Archive “%(title)s”?", title=article.title),
        question=_("Readers no longer see it; you can publish it again later."),
        button=_("Archive"),
        cancel_url=url_for("kb.edit_article", slug=article.slug),
    )
    if page is not None:
        return page
    return _state_change(
        slug, service.archive_article, _("Article archived: readers no longer see it.")
    )


@bp.route("/kb/<slug>/history")
@permission_required(can_write_articles)
def history(slug: str):
    article = load_article(slug)[0]
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
    article = load_article(slug)[0]
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
    flash(
        _(
            "Revision %(number)s restored as revision %(new)s.",
            number=number,
            new=article.version,
        ),
        "success",
    )
    return redirect(url_for("kb.history", slug=article.slug))
