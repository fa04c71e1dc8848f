"""What each person wants by e-mail, per kind of notification: each one, a digest, or none.

Notification kinds (``notify(kind=...)``) fall into categories a person can understand and
switch: replies to their questions, mentions, solutions, followed threads and topics, their
support requests, invitations to help, and news about their own posts and account. A
missing row means the default, "each" (the account-wide "E-mail me my notifications" stays
the master switch above them). Only followed threads and topics can come as a daily or
weekly digest: they are the ones that pile up (portal/digests.py).

Every e-mail of a category carries a one-click unsubscribe for that category (RFC 8058):
a signed token naming the person and the category (portal/mail_tokens.py).
"""

from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.extensions import db
from portal.i18n import N_
from portal.mail_tokens import sign, unsign
from portal.models import User

UNSUBSCRIBE = "unsubscribe"


class Mode(StrEnum):
    EACH = "each"
    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"


# category → (label, help, the kinds of notification in it); the order of the settings page.
CATEGORIES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "replies": (N_("Replies"), N_("Answers to the questions you asked."), ("reply",)),
    "mentions": (N_("Mentions"), N_("Someone wrote your @name."), ("mention",)),
    "solutions": (
        N_("Solutions"),
        N_("Your answer was accepted, or your question has a solution."),
        ("solution_accepted", "thread_solved"),
    ),
    "follows": (
        N_("Followed threads and topics"),
        N_("New replies in threads you follow, new questions in topics you follow."),
        ("followed_thread", "followed_tag"),
    ),
    "cases": (
        N_("Support requests"),
        N_("Answers to your requests, and the cases you work on."),
        ("case_reply", "case_solved", "case_assigned", "case_customer_message"),
    ),
    "invitations": (
        N_("Invitations to help"),
        N_("Questions waiting for a super-user like you."),
        ("superuser_invite",),
    ),
    "account": (
        N_("Your posts and account"),
        N_("Moderators’ decisions about your posts, reports you sent, promotions."),
        (),  # and every kind not listed above
    ),
}
DEFAULT_CATEGORY = "account"
DIGEST_CATEGORIES = frozenset({"follows"})
KIND_CATEGORY = {kind: name for name, (_l, _h, kinds) in CATEGORIES.items() for kind in kinds}
DIGEST_KINDS = tuple(kind for name in DIGEST_CATEGORIES for kind in CATEGORIES[name][2])


class EmailPreference(db.Model):
    """A person's choice for one category; no row: "each"."""

    __tablename__ = "email_preferences"
    __table_args__ = (UniqueConstraint("user_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    mode: Mapped[str] = mapped_column(String(10), default=Mode.EACH.value)


def category_of(kind: str) -> str:
    return KIND_CATEGORY.get(kind, DEFAULT_CATEGORY)


def modes_allowed(category: str) -> tuple[Mode, ...]:
    if category in DIGEST_CATEGORIES:
        return (Mode.EACH, Mode.DAILY, Mode.WEEKLY, Mode.OFF)
    return (Mode.EACH, Mode.OFF)


def modes_for(session: Session, user: User) -> dict[str, Mode]:
    """{category: mode} for every category, defaults filled in."""
    saved = session.execute(
        select(EmailPreference.category, EmailPreference.mode).where(
            EmailPreference.user_id == user.id
        )
    )
    modes = {name: Mode.EACH for name in CATEGORIES}
    for category, mode in saved:
        if category in modes and mode in Mode.__members__.values():
            modes[category] = Mode(mode)
    return modes


def set_mode(session: Session, user: User, category: str, mode: str) -> None:
    """Save one category's choice (an unknown category or mode is a ValueError)."""
    if category not in CATEGORIES or mode not in modes_allowed(category):
        raise ValueError(f"{category}: {mode}")
    row = session.scalar(
        select(EmailPreference).where(
            EmailPreference.user_id == user.id, EmailPreference.category == category
        )
    )
    if row is None:
        session.add(EmailPreference(user_id=user.id, category=category, mode=mode))
    else:
        row.mode = mode
    session.flush()


def wants_email(session: Session, user: User, kind: str) -> bool:
    """Whether a notification of this kind should reach the person's inbox at all."""
    if not user.email_notifications or user.is_deleted:
        return False
    return modes_for(session, user)[category_of(kind)] != Mode.OFF


def unsubscribe_token(user: User, category: str) -> str:
    return sign(UNSUBSCRIBE, user.id, category)


def read_unsubscribe_token(session: Session, token: str) -> tuple[User, str] | None:
    """(user, category) the token was made for; None when forged or the account is gone."""
    parts = unsign(UNSUBSCRIBE, token)
    if not parts or len(parts) != 2 or parts[1] not in CATEGORIES or not parts[0].isdigit():
        return None
    user = session.get(User, int(parts[0]))
    if user is None or user.is_deleted:
        return None
    return user, parts[1]


def unsubscribe(session: Session, token: str) -> tuple[User, str] | None:
    """Turn the token's category off for its person (idempotent); None for a bad token."""
    found = read_unsubscribe_token(session, token)
    if found is not None:
        set_mode(session, found[0], found[1], Mode.OFF.value)
    return found
