"""Community pages: lists, a thread, asking, replying, editing, history, leaderboard."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from community import history, queries, reputation, service, subscriptions
from community.forms import LANGUAGE_NAMES, AskForm, EditForm, ReplyForm
from community.models import Post, Thread
from portal.attachments import accepts_uploads, attach, attachments_by_owner
from portal.errors import DomainError, DuplicateSubmission, TooManyAttempts
from portal.extensions import db
from portal.forms import EmptyForm, commit_or_show, form_status, refused_status, show_domain_error
from portal.i18n import sort_key
from portal.inputs import paginate
from portal.models import Tag
from portal.permissions import can_edit_post, can_post, permission_required
from portal.public_pages import public_page
from portal.text_language import CONTENT_LANGUAGES

bp = Blueprint("community", __name__, url_prefix="/community", template_folder="templates")


def register_template_helpers(app) -> None:
    """Profile statistics for portal/profile.html; solved threads for KB topic pages."""
    app.jinja_env.globals["community_stats"] = lambda user: reputation.profile_stats(
        db.session, user
    )
    # For kb/topic.html, which includes community/_topic_threads.html.
    app.jinja_env.globals["community_solved_threads"] = lambda tag: queries.solved_threads_tagged(
        db.session, tag
    )


def load_thread(thread_id: int, for_page: bool = False) -> Thread:
    """The thread, or 404 when it does not exist or this viewer may not see it; for_page:
    with its posts and what the page shows of them (queries.thread_for_page)."""
    if for_page:
        thread = queries.thread_for_page(db.session, thread_id)
    else:
        thread = db.session.get(Thread, thread_id)
    if thread is None:
        abort(404)
    if not queries.can_see_thread(current_user, thread):
        abort(404, description=_("This question was removed by its author or a moderator."))
    return thread


def load_post(post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None or not queries.can_see_thread(current_user, post.thread):
        abort(404)
    return post


def thread_url(thread_id: int, post_id: int | None = None) -> str:
    anchor = f"#post-{post_id}" if post_id else ""
    return url_for("community.thread", thread_id=thread_id) + anchor


def error_status(error: DomainError) -> int:
    """422 for a refused form; 429 when moderation says the member posts too fast."""
    return 429 if isinstance(error, TooManyAttempts) else 422


def all_tags() -> list[Tag]:
    """Every topic, in the order a reader of any language expects (accents ignored)."""
    return sorted(db.session.scalars(select(Tag)), key=lambda tag: sort_key(tag.name))


def list_args() -> tuple[str, str, str | None]:
    """The list's filter, sort and language (None: every language) from the query string."""
    filter_ = request.args.get("filter", "all")
    sort = request.args.get("sort", "active")
    language = request.args.get("language") or None
    return (
        filter_ if filter_ in queries.FILTERS else "all",
        sort if sort in queries.SORTS else "active",
        language if language in CONTENT_LANGUAGES else None,
    )


def render_list(tag: Tag | None):
    filter_, sort, language = list_args()
    counts = queries.thread_counts(db.session, tag, language)
    page = paginate(
        queries.thread_list(tag=tag, filter=filter_, sort=sort, language=language),
        per_page=current_app.config["THREADS_PER_PAGE"],
        total=counts[filter_],
    )
    return render_template(
        "community/index.html",
        tag=tag,
        page=page,
        filter=filter_,
        sort=sort,
        language=language,
        counts=counts,
        filters=queries.FILTERS,
        sorts=queries.SORTS,
        languages=LANGUAGE_NAMES,
        tags=all_tags(),
        following=tag is not None and subscriptions.is_following_tag(db.session, current_user, tag),
        action_form=EmptyForm(),
    )


@bp.route("/")
@public_page
def index():
    return render_list(None)


@bp.route("/tags/<slug>")
@public_page
def tag(slug: str):
    found = db.session.scalar(select(Tag).where(Tag.slug == slug))
    if found is None:
        abort(404)
    return render_list(found)


def render_thread(thread: Thread, form: ReplyForm | None = None, status: int = 200):
    replies = queries.replies_for(current_user, thread)
    posts = [thread.question, *replies]
    page = render_template(
        "community/thread.html",
        thread=thread,
        question=thread.question,
        replies=replies,
        solution=thread.solution,
        reputation=reputation.totals(db.session, {p.author_id for p in posts}),
        files=attachments_by_owner(db.session, "post", [p.id for p in posts]),
        my_votes=queries.votes_by(db.session, current_user, posts),
        following=subscriptions.is_following_thread(db.session, current_user, thread),
        form=form or ReplyForm(formdata=None),
        action_form=EmptyForm(),
    )
    return page, status


@bp.route("/threads/<int:thread_id>")
@public_page
def thread(thread_id: int):
    return render_thread(load_thread(thread_id, for_page=True))


@bp.route("/ask", methods=["GET", "POST"])
@permission_required(can_post)
@accepts_uploads
def ask():
    form, status = AskForm(), 422
    if not form.is_submitted() and request.args.get("tag"):
        form.tags.data = request.args["tag"]
    if form.validate_on_submit():
        try:
            thread = service.ask_question(
                db.session,
                current_user,
                title=form.title.data,
                body=form.body.data,
                tags=form.tags.data,
                language=form.language.data or None,
            )
            attach(db.session, current_user, "post", thread.question.id, form.attachments.cleaned)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            status = error_status(error)
        else:
            db.session.commit()
            if thread.question.status == "held":
                # The thread's notice says why and how long; the flash only confirms.
                flash(_("Thank you: your question is saved."), "info")
            else:
                flash(_("Your question is posted. You will be notified of replies."), "success")
            return redirect(url_for("community.thread", thread_id=thread.id))
    page = render_template("community/ask.html", form=form, tags=all_tags())
    return page, status if form.errors or form.form_errors else 200


@bp.route("/threads/<int:thread_id>/reply", methods=["POST"])
@permission_required(can_post)
@accepts_uploads
def reply(thread_id: int):
    thread, form, status = load_thread(thread_id, for_page=True), ReplyForm(), 422
    if form.validate_on_submit():
        try:
            post = service.reply(
                db.session,
                current_user,
                thread,
                body=form.body.data,
                language=form.language.data or None,
            )
            attach(db.session, current_user, "post", post.id, form.attachments.cleaned)
        except DuplicateSubmission as error:
            # A double click: the first submit posted it; show that reply.
            db.session.rollback()
            flash(error.message, "info")
            return redirect(thread_url(thread.id, error.original_id))
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            status = error_status(error)
        else:
            db.session.commit()
            if post.status == "held":
                flash(_("Thank you: your reply is saved."), "info")
            else:
                flash(_("Your reply is posted."), "success")
            return redirect(thread_url(thread.id, post.id))
    return render_thread(thread, form, refused_status(form, status))


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@permission_required(can_post)
def edit(post_id: int):
    post = load_post(post_id)
    if not can_edit_post(current_user, post):
        abort(403, description=_("Only the author or a moderator can edit this post."))
    form = EditForm(obj=post)
    if not form.is_submitted() and post.is_question:
        form.title.data = post.thread.title
    if form.validate_on_submit() and commit_or_show(
        form,
        lambda: service.edit_post(
            db.session,
            current_user,
            post,
            body=form.body.data,
            title=form.title.data if post.is_question else None,
            language=form.language.data,
        ),
    ):
        flash(_("Your changes are saved."), "success")
        anchor = "" if post.is_question else f"#post-{post.id}"
        return redirect(url_for("community.thread", thread_id=post.thread_id) + anchor)
    page = render_template("community/edit.html", form=form, post=post, thread=post.thread)
    return page, form_status(form)


@bp.route("/posts/<int:post_id>/history")
def post_history(post_id: int):
    post = load_post(post_id)
    if not queries.can_see_post(current_user, post):
        abort(404)
    return render_template(
        "community/history.html", post=post, thread=post.thread, versions=history.versions(post)
    )


@bp.route("/leaderboard")
def leaderboard():
    return render_template(
        "community/leaderboard.html",
        month=reputation.leaderboard(db.session, since=reputation.start_of_month()),
        all_time=reputation.leaderboard(db.session),
        by_tag=reputation.solvers_by_tag(db.session),
    )
