"""Admins' watched words and patterns: add, change, delete; bad patterns are refused."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from moderation import audit
from moderation.models import WatchedTermRecord
from moderation.rules import PatternRefused, compile_watched_term
from portal.database import utcnow
from portal.errors import ValidationFailed
from portal.i18n import N_
from portal.models import User
from portal.permissions import can_manage_moderation_rules, require

TERM_ACTIONS = {
    "flag": _l("Flag (published, queued)"),
    "hold": _l("Hold (published after approval)"),
    "block": _l("Block (refused)"),
}
# A term's action in a sentence or a table ("flag", "hold", "block").
ACTION_NAMES = {"flag": N_("flag"), "hold": N_("hold"), "block": N_("block")}
# A term as the audit log describes it: a word or a pattern, matched whole or anywhere.
DESCRIPTIONS = {
    (False, True): N_("word “%(term)s” → %(action)s (whole word)"),
    (False, False): N_("word “%(term)s” → %(action)s (anywhere)"),
    (True, True): N_("pattern “%(term)s” → %(action)s (whole word)"),
    (True, False): N_("pattern “%(term)s” → %(action)s (anywhere)"),
}


def _checked(term: str, is_regex: bool, whole_word: bool, action: str) -> str:
    if action not in TERM_ACTIONS:
        raise ValidationFailed(_("Choose flag, hold or block."), field="action")
    try:
        compile_watched_term(term, is_regex=is_regex, whole_word=whole_word)
    except PatternRefused as error:
        raise ValidationFailed(_(error.message, **error.params), field="term") from None
    return term.strip()


def _describe(session: Session, record: WatchedTermRecord) -> str:
    """The term in the audit log's words, in the site's language."""
    return audit.site_text(
        session,
        DESCRIPTIONS[bool(record.is_regex), bool(record.whole_word)],
        term=record.term,
        action=audit.site_text(session, ACTION_NAMES.get(record.action, record.action)),
    )


def add_term(
    session: Session, actor: User, *, term: str, is_regex: bool, whole_word: bool, action: str
) -> WatchedTermRecord:
    """Save a watched term after checking it compiles and cannot run away."""
    require(can_manage_moderation_rules(actor), _("Only admins edit moderation rules."))
    term = _checked(term, is_regex, whole_word, action)
    record = WatchedTermRecord(
        term=term, is_regex=is_regex, whole_word=whole_word, action=action, created_by_id=actor.id
    )
    session.add(record)
    session.flush()
    audit.record(
        session, actor, "rule.term_added", target_type="watched_term", target_id=record.id,
        target_label=_describe(session, record), after=_describe(session, record),
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
    require(can_manage_moderation_rules(actor), _("Only admins edit moderation rules."))
    term = _checked(term, is_regex, whole_word, action)
    before = _describe(session, record)
    record.term, record.is_regex, record.whole_word, record.action = (
        term,
        is_regex,
        whole_word,
        action,
    )
    record.updated_at = utcnow()
    session.flush()
    after = _describe(session, record)
    if before != after:
        audit.record(
            session, actor, "rule.term_changed", target_type="watched_term", target_id=record.id,
            target_label=after, before=before, after=after,
        )  # fmt: skip


def delete_term(session: Session, actor: User, record: WatchedTermRecord) -> None:
    require(can_manage_moderation_rules(actor), _("Only admins edit moderation rules."))
    description = _describe(session, record)
    audit.record(
        session, actor, "rule.term_deleted", target_type="watched_term", target_id=record.id,
        target_label=description, before=description,
    )  # fmt: skip
    session.delete(record)
    session.flush()
