"""Every new post passes through the automatic rules before it is visible.

Subscribed to "community.post_submitted": gathers the facts about the author from the
database, asks moderation.rules.evaluate, then blocks (domain error, the text stays in the
form), slows down (429), holds (the post waits for a moderator) or flags (published and
queued). Each hit is stored with its rule and its reason as the catalog's message and
values (moderation/reasons.py): the moderators and the author each read it in their own
language. A block or a slow-down answers the author at once, in the language of the page.
"""

import logging
import re
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from community import reputation
from community.models import Post, PostStatus
from moderation import queue
from moderation.models import Screening, WatchedTermRecord
from moderation.rules import (
    Action,
    RuleHit,
    RuleSettings,
    Submission,
    WatchedTerm,
    compile_watched_term,
    content_fingerprint,
    evaluate,
)
from portal.database import utcnow
from portal.errors import TooManyAttempts, ValidationFailed
from portal.i18n import N_
from portal.models import User
from portal.permissions import is_staff

log = logging.getLogger(__name__)
NEVER = 10**9  # a threshold no count reaches: the rule is off


def rule_settings() -> RuleSettings:
    """The rules' thresholds from the MODERATION_* settings."""
    config = current_app.config
    duplicates = config["MODERATION_DUPLICATE_THRESHOLD"]
    return RuleSettings(
        new_account_held_posts=config["MODERATION_NEW_ACCOUNT_HELD_POSTS"],
        max_links=config["MODERATION_MAX_LINKS"],
        link_reputation_threshold=config["MODERATION_LINK_REPUTATION_THRESHOLD"],
        max_posts_per_window=config["MODERATION_RATE_LIMIT_POSTS"] or NEVER,
        duplicate_threshold=duplicates if duplicates > 0 else NEVER,
        require_verified_email=config["REQUIRE_VERIFIED_EMAIL"],
    )


def watched_terms(session: Session) -> list[WatchedTerm]:
    """The saved terms, compiled; one that no longer compiles is skipped and logged."""
    terms = []
    for record in session.scalars(select(WatchedTermRecord).order_by(WatchedTermRecord.id)):
        try:
            pattern = compile_watched_term(
                record.term, is_regex=record.is_regex, whole_word=record.whole_word
            )
        except ValueError as error:
            log.warning("watched term %s skipped: %s", record.id, error)
            continue
        terms.append(WatchedTerm(record.id, record.term, Action[record.action.upper()], pattern))
    return terms


def post_text(post: Post) -> str:
    """What the rules read: the question's title and body, or the reply's body."""
    return f"{post.thread.title}\n\n{post.body}" if post.is_question else post.body


def gather_submission(session: Session, post: Post, author: User) -> Submission:
    """The facts about the author and the text that the rules look at."""
    config = current_app.config
    now = utcnow()
    visible = session.scalar(
        select(func.count(Post.id)).where(
            Post.author_id == author.id,
            Post.status == PostStatus.VISIBLE.value,
            Post.id != post.id,
        )
    )
    window = now - timedelta(minutes=config["MODERATION_RATE_WINDOW_MINUTES"])
    recent = session.scalar(
        select(func.count(Screening.id)).where(
            Screening.author_id == author.id, Screening.created_at >= window
        )
    )
    return Submission(
        text=post_text(post),
        author_reputation=reputation.total(session, author),
        author_visible_posts=visible or 0,
        posts_in_rate_window=recent or 0,
        identical_posts_elsewhere=identical_elsewhere(session, post),
        author_is_trusted=is_staff(author),
        author_email_verified=author.email_verified,
    )


def identical_elsewhere(session: Session, post: Post) -> int:
    """Posts with the same text in other threads within the duplicate window."""
    config = current_app.config
    if len(re.findall(r"\w+", post.body)) < config["MODERATION_DUPLICATE_MIN_WORDS"]:
        return 0
    since = utcnow() - timedelta(hours=config["MODERATION_DUPLICATE_WINDOW_HOURS"])
    count = session.scalar(
        select(func.count(Screening.id)).where(
            Screening.fingerprint == content_fingerprint(post.body),
            Screening.thread_id != post.thread_id,
            Screening.created_at >= since,
        )
    )
    return count or 0


def block_message(verdict) -> str:
    """What the author reads, in the page's language, when the rules refuse a post."""
    reasons = "; ".join(reason[0].lower() + reason[1:] for reason in verdict.reasons(Action.BLOCK))
    return _(
        "We cannot publish this: %(reasons)s. Please change it and post again.", reasons=reasons
    )


def screen_post(session: Session, post: Post, author: User) -> Action:
    """Run the rules on a new post and act on the verdict; returns the action taken."""
    verdict = evaluate(
        gather_submission(session, post, author), watched_terms(session), rule_settings()
    )
    action = verdict.action
    if action is Action.BLOCK:
        log.info("post by %s blocked: %s", author.username, verdict.reasons(Action.BLOCK))
        raise ValidationFailed(block_message(verdict), field="body")
    if action is Action.SLOW_DOWN:
        raise TooManyAttempts(verdict.reasons(Action.SLOW_DOWN)[0])
    session.add(
        Screening(
            post_id=post.id,
            author_id=author.id,
            thread_id=post.thread_id,
            fingerprint=content_fingerprint(post.body),
            action=action.name.lower(),
        )
    )
    if action is Action.HOLD:
        post.status = PostStatus.HELD.value
    if action >= Action.FLAG:
        queue.add_rule_hits(session, post, verdict.hits)
    session.flush()
    return action


def on_post_submitted(sender, *, post, thread, actor, **data) -> None:
    """Subscriber of "community.post_submitted"."""
    screen_post(Session.object_session(post), post, actor)


def screen_edit(session: Session, post: Post, actor: User) -> Action:
    """An author's edit passes the content rules: block refuses it, hold and flag queue it.

    The post stays as it is on the page while queued: hiding a published post because of
    an edit would surprise readers more than it protects them; moderators see it first.
    """
    if actor.id != post.author_id or is_staff(actor):
        return Action.ALLOW
    facts = Submission(
        text=post_text(post),
        author_reputation=reputation.total(session, actor),
        author_visible_posts=NEVER,  # edits are not new posts: no pre-moderation,
        posts_in_rate_window=0,  # no rate limit and no duplicate check
        identical_posts_elsewhere=0,
    )
    verdict = evaluate(facts, watched_terms(session), rule_settings())
    if verdict.action is Action.BLOCK:
        raise ValidationFailed(block_message(verdict), field="body")
    if verdict.action >= Action.FLAG and post.status in {"visible", "held"}:
        after_edit = N_("After an edit: %(reason)s")
        hits = [
            RuleHit(
                hit.rule, hit.action, after_edit,
                {"reason": {"message": hit.message, "params": hit.params}},
            )
            for hit in verdict.hits
        ]  # fmt: skip
        queue.add_rule_hits(session, post, hits)
    return verdict.action


def on_post_edited(sender, *, post, thread, actor, **data) -> None:
    """Subscriber of "community.post_edited"."""
    screen_edit(Session.object_session(post), post, actor)
