"""Community rules: ask, reply, edit with history, delete, hide, lock, vote, accept.

Every function flushes and never commits: the view commits once. Each one checks its
permission again with ``require`` even though the views and templates ask the same rules.
Votes and accepted solutions live in community/solutions.py and are re-exported here.
"""

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from community import listing
from community.announce import changed
from community.models import (
    TAGS_MAX,
    TAGS_MIN,
    TITLE_MAX,
    TITLE_MIN,
    Post,
    PostRevision,
    PostStatus,
    Thread,
)
from community.solutions import (  # noqa: F401  (one entry point for views)
    accept_solution,
    drop_solution,
    vote,
    withdraw_solution,
)
from community.subscriptions import follow_thread
from portal import events
from portal import service as portal_service
from portal.database import lock_row, utcnow
from portal.errors import DuplicateSubmission, ValidationFailed
from portal.i18n import locale_of
from portal.models import Tag, User
from portal.permissions import (
    can_create_tags_while_posting,
    can_delete_post,
    can_edit_post,
    can_hide_post,
    can_lock_thread,
    can_post,
    require,
)
from portal.text_language import CONTENT_LANGUAGES, detect_language


def check_title(title: str) -> str:
    title = " ".join((title or "").split())
    if len(title) < TITLE_MIN:
        raise ValidationFailed(
            _("Give your question a title of at least %(num)d characters.", num=TITLE_MIN),
            field="title",
        )
    if len(title) > TITLE_MAX:
        raise ValidationFailed(
            _("Keep the title under %(num)d characters.", num=TITLE_MAX), field="title"
        )
    return title


def check_body(body: str) -> str:
    """A non-empty body no larger than POST_BODY_MAX_BYTES (50 kB by default)."""
    body = (body or "").strip()
    if not body:
        raise ValidationFailed(_("Write something first."), field="body")
    limit = current_app.config["POST_BODY_MAX_BYTES"]
    if len(body.encode()) > limit:
        raise ValidationFailed(
            _("That is too long: keep it under %(num)d kB.", num=limit // 1000), field="body"
        )
    return body


def choose_language(language: str | None, text: str, default: str) -> str:
    """The language the author chose, else the one the text's words point to, else
    ``default`` (when they do not tell)."""
    if not language:
        return detect_language(text, default=default)
    if language not in CONTENT_LANGUAGES:
        raise ValidationFailed(_("Choose a language from the list."), field="language")
    return language


def _tag_words(session: Session, text: str | list[str]) -> list[str | Tag]:
    """The tags a member typed, by slug or by name in any case ("wifi", "Wi-Fi",
    "smart home"), in order, once each; what names no tag stays a slug.

    Commas separate; within a part, a whole tag name ("Smart Home") wins over its words."""
    known = portal_service.tags_by_key(session)
    chunks = text if isinstance(text, list) else (text or "").split(",")
    found: list[str | Tag] = []
    for chunk in chunks:
        tag = known.get(portal_service.tag_key(chunk))
        words = [tag] if tag else [known.get(portal_service.tag_key(w)) or w for w in chunk.split()]
        for word in words:
            item = word if isinstance(word, Tag) else portal_service.slugify(word)
            if item and item not in found:
                found.append(item)
    return found


def resolve_tags(session: Session, actor: User, text: str | list[str]) -> list[Tag]:
    """1–5 tags named by slug or name (case and punctuation ignored: "wifi" is Wi-Fi);
    super-users and staff may name new ones, which are then created."""
    words = _tag_words(session, text)
    if not TAGS_MIN <= len(words) <= TAGS_MAX:
        raise ValidationFailed(
            _("Choose between %(min)d and %(max)d tags.", min=TAGS_MIN, max=TAGS_MAX),
            field="tags",
        )
    unknown = [word for word in words if not isinstance(word, Tag)]
    if unknown and not can_create_tags_while_posting(actor):
        raise ValidationFailed(
            ngettext(
                "Unknown tag: %(tags)s. Pick tags from the list.",
                "Unknown tags: %(tags)s. Pick tags from the list.",
                len(unknown),
                tags=", ".join(unknown),
            ),
            field="tags",
        )
    return [
        word if isinstance(word, Tag) else portal_service.create_tag(session, None, name=word)
        for word in words
    ]


def refresh_reply_count(session: Session, thread: Thread) -> None:
    # Under the thread's lock: a count taken beside another reply's transaction misses it.
    lock_row(session, Thread, thread.id)
    thread.reply_count = session.scalar(
        select(func.count(Post.id)).where(
            Post.thread_id == thread.id,
            Post.is_question.is_(False),
            Post.status == PostStatus.VISIBLE.value,
        )
    )


def _submit(session: Session, post: Post) -> None:
    """Let moderation look at a new post before it is shown, then go live unless held."""
    session.flush()
    # A subscriber (the moderation package) may set post.status to "held" here.
    events.publish("community.post_submitted", post=post, thread=post.thread, actor=post.author)
    if post.status == PostStatus.VISIBLE:
        go_live(session, post)
    elif post.is_question:
        # Held: in no list yet, but its row on the asker's own pages shows its language.
        listing.refresh(session, post.thread, counts=False)


def go_live(session: Session, post: Post) -> None:
    """Announce a post that just became visible (also called when moderation releases one)."""
    post.status = PostStatus.VISIBLE.value
    thread = post.thread
    name = "community.thread_created" if post.is_question else "community.reply_created"
    if not post.is_question:
        refresh_reply_count(session, thread)
        thread.last_activity_at = utcnow()
    session.flush()
    events.publish(name, thread=thread, post=post, actor=post.author)
    changed(session, thread, post, name.removeprefix("community."))


def ask_question(
    session: Session,
    author: User,
    *,
    title: str,
    body: str,
    tags: str | list[str],
    language: str | None = None,
) -> Thread:
    """Open a thread: its question is the first post; the asker follows it.

    ``language`` is the one the author chose; None detects it from the title and body
    (the author's own language when the words do not tell)."""
    require(can_post(author), _("Sign in to ask a question."))
    title, body = check_title(title), check_body(body)
    language = choose_language(language, f"{title}\n{body}", locale_of(author))
    thread = Thread(title=title, author=author, tags=resolve_tags(session, author, tags))
    session.add(thread)
    post = Post(thread=thread, author=author, is_question=True, body=body, language=language)
    session.add(post)
    follow_thread(session, author, thread)
    _submit(session, post)
    return thread


def reply(
    session: Session, author: User, thread: Thread, *, body: str, language: str | None = None
) -> Post:
    """Add a reply at the end of an open thread; the replier follows it.

    ``language`` is the one the author chose; None detects it (the thread's language when
    the words do not tell)."""
    require(can_post(author), _("Sign in to reply."))
    if thread.is_duplicate:
        raise ValidationFailed(
            _("This thread was closed as a duplicate; reply in the original."), field="body"
        )
    if thread.is_locked:
        raise ValidationFailed(_("This thread is locked; it takes no new replies."), field="body")
    if thread.question is None or thread.question.status != PostStatus.VISIBLE:
        raise ValidationFailed(_("This question was removed; it takes no replies."), field="body")
    body = check_body(body)
    language = choose_language(language, body, thread.language or locale_of(author))
    lock_row(session, Thread, thread.id)  # replies to a thread are added one at a time
    post = Post(thread=thread, author=author, body=body, language=language)
    session.add(post)
    session.flush()  # written first: on SQLite that takes the writer lock before we look
    original = same_reply_just_posted(session, post)
    if original is not None:
        raise DuplicateSubmission(
            _("You had just posted this reply; here it is."), original_id=original.id
        )
    follow_thread(session, author, thread)
    _submit(session, post)
    return post


def same_reply_just_posted(session: Session, post: Post) -> Post | None:
    """The author's identical reply in the thread from the last POST_RESUBMIT_SECONDS: this
    one is a double click or a form sent again, not something new to say."""
    seconds = current_app.config["POST_RESUBMIT_SECONDS"]
    if not seconds:
        return None
    return session.scalar(
        select(Post)
        .where(
            Post.thread_id == post.thread_id,
            Post.author_id == post.author_id,
            Post.id != post.id,
            Post.is_question.is_(False),
            Post.status.in_([PostStatus.VISIBLE.value, PostStatus.HELD.value]),
            Post.created_at >= utcnow() - timedelta(seconds=seconds),
            Post.body == post.body,
        )
        .order_by(Post.id)
        .limit(1)
    )


def edit_post(
    session: Session,
    actor: User,
    post: Post,
    *,
    body: str,
    title: str | None = None,
    language: str | None = None,
) -> bool:
    """Change a post, keeping what it said before as a revision; False when nothing changed.

    ``language``: the one chosen on the form; "" detects it again from the new text; None
    keeps the post's."""
    require(can_edit_post(actor, post), _("Only the author or a moderator can edit this post."))
    if post.status in {PostStatus.DELETED, PostStatus.HIDDEN}:
        raise ValidationFailed(_("This post was removed; it can no longer be edited."))
    body = check_body(body)
    thread = post.thread
    new_title = check_title(title) if post.is_question and title is not None else thread.title
    if language is not None:
        text = f"{new_title}\n{body}" if post.is_question else body
        language = choose_language(language, text, post.language)
    new_language = language or post.language
    text_changed = body != post.body or new_title != thread.title
    if not text_changed and new_language == post.language:
        return False
    if text_changed:  # a corrected language alone is no new version of the text
        session.add(
            PostRevision(
                post=post,
                previous_title=thread.title if post.is_question else None,
                previous_body=post.body,
                editor_id=actor.id,
            )
        )
        post.body, thread.title = body, new_title
        post.edited_at, post.edited_by_id = utcnow(), actor.id
    post.language = new_language
    session.flush()
    events.publish("community.post_edited", post=post, thread=thread, actor=actor)
    changed(session, thread, post, "post_edited")
    return True


def _remove(session: Session, actor: User, post: Post, status: PostStatus) -> None:
    post.status, post.removed_at, post.removed_by_id = status.value, utcnow(), actor.id
    thread = post.thread
    drop_solution(session, thread, post)
    refresh_reply_count(session, thread)
    session.flush()


def delete_post(session: Session, actor: User, post: Post) -> None:
    """Soft delete: the post stays in the database, shown as 'deleted' in its thread."""
    require(can_delete_post(actor, post), _("Only the author or a moderator can delete this post."))
    if post.status == PostStatus.DELETED:
        return
    _remove(session, actor, post, PostStatus.DELETED)
    events.publish("community.post_deleted", post=post, thread=post.thread, actor=actor)
    changed(session, post.thread, post, "post_deleted")


def hide_post(session: Session, actor: User, post: Post, *, reason: str = "") -> None:
    """A moderator takes a post off the page (the moderation package adds the queue)."""
    require(can_hide_post(actor), _("Only moderators hide posts."))
    if post.status in {PostStatus.HIDDEN, PostStatus.DELETED}:
        return
    _remove(session, actor, post, PostStatus.HIDDEN)
    events.publish(
        "community.post_hidden", post=post, thread=post.thread, actor=actor, reason=reason
    )
    changed(session, post.thread, post, "post_hidden")


def lock_thread(session: Session, actor: User, thread: Thread, *, locked: bool = True) -> None:
    """Lock (no more replies) or unlock a thread."""
    require(can_lock_thread(actor), _("Only moderators lock threads."))
    if locked == thread.is_locked:
        return
    thread.locked_at, thread.locked_by_id = (utcnow(), actor.id) if locked else (None, None)
    session.flush()
    name = "community.thread_locked" if locked else "community.thread_unlocked"
    events.publish(name, thread=thread, actor=actor)
    changed(session, thread, None, name.removeprefix("community."))
