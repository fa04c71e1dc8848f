"""Admins' watched words and patterns: add, change, delete; bad patterns are refused."""

from sqlalchemy.orm import Session

from moderation import audit
from moderation.models import WatchedTermRecord
from moderation.rules import compile_watched_term
from portal.database import utcnow
from portal.errors import ValidationFailed
from portal.models import User
from portal.permissions import can_manage_moderation_rules, require

TERM_ACTIONS = {
    "flag": "Flag (published, queued)",
    "hold": "Hold (published after approval)",
    "block": "Block (refused)",
}


def _checked(term: str, is_regex: bool, whole_word: bool, action: str) -> str:
    if action not in TERM_ACTIONS:
        raise ValidationFailed("Choose flag, hold or block.", field="action")
    try:
        compile_watched_term(term, is_regex=is_regex, whole_word=whole_word)
    except ValueError as error:
        raise ValidationFailed(str(error), field="term") from None
    return term.strip()


def _describe(record: WatchedTermRecord) -> str:
    kind = "pattern" if record.is_regex else "word"
    scope = "whole word" if record.whole_word else "anywhere"
    return f"{kind} “{record.term}” → {record.action} ({scope})"


def add_term(
    session: Session, actor: User, *, term: str, is_regex: bool, whole_word: bool, action: str
) -> WatchedTermRecord:
    """Save a watched term after checking it compiles and cannot run away."""
    require(can_manage_moderation_rules(actor), "Only admins edit moderation rules.")
    term = _checked(term, is_regex, whole_word, action)
    record = WatchedTermRecord(
        term=term, is_regex=is_regex, whole_word=whole_word, action=action, created_by_id=actor.id
    )
    session.add(record)
    session.flush()
    audit.record(
        session, actor, "rule.term_added", target_type="watched_term", target_id=record.id,
        target_label=_describe(record), after=_describe(record),
    )  # fmt: skip
    return record


def update_term(
    session: Session,
    actor: User,
    record: WatchedTermRecord,
    *,
    term: str,
    is_regex: bool,
    whole_word: bool,
    action: str,
) -> None:
    require(can_manage_moderation_rules(actor), "Only admins edit moderation rules.")
    term = _checked(term, is_regex, whole_word, action)
    before = _describe(record)
    record.term, record.is_regex, record.whole_word, record.action = (
        term,
        is_regex,
        whole_word,
        action,
    )
    record.updated_at = utcnow()
    session.flush()
    if before != _describe(record):
        audit.record(
            session, actor, "rule.term_changed", target_type="watched_term", target_id=record.id,
            target_label=_describe(record), before=before, after=_describe(record),
        )  # fmt: skip


def delete_term(session: Session, actor: User, record: WatchedTermRecord) -> None:
    require(can_manage_moderation_rules(actor), "Only admins edit moderation rules.")
    audit.record(
        session, actor, "rule.term_deleted", target_type="watched_term", target_id=record.id,
        target_label=_describe(record), before=_describe(record),
    )  # fmt: skip
    session.delete(record)
    session.flush()
