"""Account rules: registration, sign-in with throttling, profiles, roles, suspension, tags."""

import re
import unicodedata
from datetime import timedelta

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal import events
from portal.database import utcnow
from portal.errors import AccountSuspended, Conflict, NotFound, TooManyAttempts, ValidationFailed
from portal.i18n import LANGUAGES, N_
from portal.localtime import clean_time_zone, format_time
from portal.models import (
    REASON_MAX,
    LoginAttempt,
    Tag,
    User,
    check_password_of_nobody,
    new_session_token,
)
from portal.permissions import Role, can_manage_tags, can_manage_users, can_suspend, require
from portal.ratelimits import describe_wait
from portal.signin_throttle import SignInLimits, seconds_to_wait
from portal.site_settings import set_site_setting

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{2,31}$")
USERNAME_TAKEN = N_("That username is taken.")
EMAIL_TAKEN = N_("An account with that e-mail address already exists.")


def normalize_email(email: str) -> str:
    return email.strip().lower()


def normalize_username(username: str) -> str:
    return username.strip().lower()


def find_user(session: Session, username_or_email: str) -> User | None:
    """The user with this username or e-mail address, any letter case."""
    key = username_or_email.strip().lower()
    return session.scalar(select(User).where(or_(User.username == key, User.email == key)))


def register_user(
    session: Session, *, username: str, email: str, password: str, role: Role = Role.CUSTOMER
) -> User:
    """Create an account; duplicate usernames or e-mail addresses are refused."""
    username, email = normalize_username(username), normalize_email(email)
    if not USERNAME_PATTERN.match(username):
        raise ValidationFailed(
            _("Use 3–32 lowercase letters, digits, “-” or “_”, starting with a letter or digit."),
            field="username",
        )
    if session.scalar(select(User.id).where(User.username == username)):
        raise Conflict(_(USERNAME_TAKEN), field="username")
    if session.scalar(select(User.id).where(User.email == email)):
        raise Conflict(_(EMAIL_TAKEN), field="email")
    # Translated before the insert: choosing the language may read the database, which
    # a failed flush leaves unusable until the view rolls back.
    email_taken, username_taken = _(EMAIL_TAKEN), _(USERNAME_TAKEN)
    user = User(username=username, email=email, role=Role(role).value)
    user.set_password(password)
    session.add(user)
    try:
        session.flush()
    except IntegrityError as error:
        # Someone signed up with this name or address at the same moment, after our checks.
        if "email" in str(error.orig):
            raise Conflict(email_taken, field="email") from error
        raise Conflict(username_taken, field="username") from error
    events.publish("user.registered", user=user)
    return user


def authenticate(
    session: Session,
    *,
    identifier: str,
    password: str,
    ip: str,
    limits: SignInLimits,
    known_device_user_ids: frozenset[int] = frozenset(),
) -> User:
    """Check a sign-in and record the attempt; raise on a wrong password, suspension, or
    while failures from this account or address make it wait (portal/signin_throttle.py)."""
    identifier = identifier.strip().lower()
    user = find_user(session, identifier)
    wait = seconds_to_wait(
        session,
        limits,
        user=user,
        identifier=identifier,
        ip=ip,
        known_device=user is not None and user.id in known_device_user_ids,
    )
    if wait:
        raise TooManyAttempts(
            _(
                "Too many failed sign-in attempts. Wait %(wait)s, then try again.",
                wait=describe_wait(wait),
            ),
            retry_after=wait,
        )
    if user is None:
        succeeded = check_password_of_nobody(password)  # as slow as a wrong password
    else:
        succeeded = user.check_password(password)
    session.add(
        LoginAttempt(
            identifier=identifier,
            user_id=user.id if user else None,
            ip_address=ip,
            succeeded=succeeded,
        )
    )
    if not succeeded:
        # One message for unknown accounts and wrong passwords: no hint which one it was.
        raise ValidationFailed(_("Wrong username/e-mail or password."))
    if user.is_suspended:
        raise AccountSuspended(suspension_message(user))
    user.last_login_at = utcnow()
    return user


def reason_too_long() -> str:
    """The refusal of a suspension's or deletion's reason over REASON_MAX characters."""
    return _("Keep the reason under %(max)s characters.", max=format_decimal(REASON_MAX))


def suspension_message(user: User) -> str:
    """Why a suspended user cannot sign in, in the current language."""
    if user.suspended_until:
        until = format_time(user.suspended_until, user.time_zone)
        message = _("This account is suspended until %(time)s.", time=until)
    else:
        message = _("This account is suspended until further notice.")
    if user.suspension_reason:
        reason = _("Reason: %(reason)s", reason=user.suspension_reason)
        message = f"{message} {reason}"
    return message


def update_profile(
    session: Session, actor: User, user: User, *, display_name: str, bio: str
) -> None:
    require(
        actor.id == user.id or can_manage_users(actor), _("You can only edit your own profile.")
    )
    user.display_name = display_name.strip()
    user.bio = bio.strip()


def set_email_notifications(session: Session, actor: User, user: User, *, enabled: bool) -> None:
    """Turn the e-mail copy of a user's notifications on or off (the bell stays)."""
    require(
        actor.id == user.id or can_manage_users(actor), _("You can only change your own settings.")
    )
    user.email_notifications = enabled


def set_time_zone(session: Session, actor: User, user: User, *, time_zone: str | None) -> None:
    """Save the zone times are shown in (an IANA name), or None to follow the browser."""
    require(
        actor.id == user.id or can_manage_users(actor), _("You can only change your own settings.")
    )
    user.time_zone = clean_time_zone(time_zone)


def set_locale(session: Session, actor: User, user: User, *, locale: str | None) -> None:
    """Save the language pages and e-mails speak to the user; None follows the browser."""
    require(
        actor.id == user.id or can_manage_users(actor), _("You can only change your own settings.")
    )
    if locale and locale not in LANGUAGES:
        raise ValidationFailed(_("Choose one of the languages offered."), field="locale")
    user.locale = locale or None


def set_site_language(session: Session, actor: User, locale: str) -> None:
    """The admins' default language for the site (portal/i18n.py reads it)."""
    require(can_manage_users(actor), _("Only admins choose the site's language."))
    if locale not in LANGUAGES:
        raise ValidationFailed(_("Choose one of the languages offered."), field="locale")
    set_site_setting(session, actor, "default_locale", locale)


def end_sessions(session: Session, user: User) -> None:
    """Sign the user out everywhere: every session and remember cookie names the old token."""
    user.session_token = new_session_token()


def change_password(
    session: Session, user: User, *, current_password: str, new_password: str
) -> None:
    """A new password ends every session of the user (the view signs this browser in again)."""
    if not user.check_password(current_password):
        raise ValidationFailed(_("Your current password is not right."), field="current_password")
    user.set_password(new_password)
    end_sessions(session, user)


def change_role(session: Session, actor: User, user: User, role: Role) -> None:
    """An admin gives a user another role (never their own, so the last admin stays one)."""
    require(can_manage_users(actor), _("Only admins change roles."))
    if actor.id == user.id:
        raise ValidationFailed(_("You cannot change your own role."), field="role")
    old_role, user.role = user.role, Role(role).value
    if old_role != user.role:
        events.publish(
            "user.role_changed", actor=actor, user=user, old_role=old_role, new_role=user.role
        )


def suspend_user(
    session: Session, actor: User, user: User, *, reason: str, days: int | None
) -> None:
    """Suspend for a number of days, or indefinitely when days is None."""
    require(can_suspend(actor, user), _("You cannot suspend this user."))
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Give the user a reason."), field="reason")
    if len(reason) > REASON_MAX:
        raise ValidationFailed(reason_too_long(), field="reason")
    if days is not None and days < 1:
        raise ValidationFailed(_("A suspension lasts at least one day."), field="days")
    user.suspended_at = utcnow()
    user.suspended_until = user.suspended_at + timedelta(days=days) if days else None
    user.suspension_reason = reason
    end_sessions(session, user)
    events.publish("user.suspended", actor=actor, user=user, reason=reason, days=days)


def unsuspend_user(session: Session, actor: User, user: User) -> None:
    require(can_suspend(actor, user), _("You cannot lift this suspension."))
    user.suspended_at = user.suspended_until = None
    user.suspension_reason = ""
    events.publish("user.unsuspended", actor=actor, user=user)


def get_user_by_username(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.lower()))
    if user is None:
        raise NotFound(_("No such user."))
    return user


# Letters that no accent-stripping turns into ASCII, and apostrophes, which separate words
# in French ("l’image" is two words) rather than vanish into one.
_SLUG_LETTERS = str.maketrans(
    {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "’": " ", "'": " ", "ʼ": " "}
)


def slugify(text: str) -> str:
    """A URL-safe lowercase slug: 'Wi-Fi & Router' → 'wi-fi-router', 'L’œil de la caméra' →
    'l-oeil-de-la-camera'."""
    text = unicodedata.normalize("NFKD", text.translate(_SLUG_LETTERS))
    ascii_text = text.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def tag_key(text: str) -> str:
    """What identifies a tag however it is typed: "Wi-Fi", "wifi" and "WI FI" → "wifi"."""
    return slugify(text).replace("-", "")


def tags_by_key(session: Session) -> dict[str, Tag]:
    """Every tag under the keys of its name and its slug (a few dozen rows: one query)."""
    tags = {}
    for tag in session.scalars(select(Tag)):
        tags.setdefault(tag_key(tag.slug), tag)
        tags.setdefault(tag_key(tag.name), tag)
    return tags


def create_tag(session: Session, actor: User | None, *, name: str, description: str = "") -> Tag:
    """Create a tag; actor None is the system (demo data, CLI)."""
    if actor is not None:
        require(can_manage_tags(actor), _("Only agents and admins create tags."))
    slug = slugify(name)[:64]
    if not slug:
        raise ValidationFailed(_("A tag needs letters or digits in its name."), field="name")
    if session.scalar(select(Tag.id).where(Tag.slug == slug)):
        raise Conflict(_("The tag “%(slug)s” exists already.", slug=slug), field="name")
    tag = Tag(slug=slug, name=name.strip()[:64], description=description.strip()[:300])
    session.add(tag)
    session.flush()
    return tag


def tags_by_slug(session: Session, slugs: list[str]) -> list[Tag]:
    """The tags named by these slugs; an unknown slug is an error naming it."""
    wanted = [slug.strip().lower() for slug in slugs if slug.strip()]
    found = {tag.slug: tag for tag in session.scalars(select(Tag).where(Tag.slug.in_(wanted)))}
    unknown = [slug for slug in wanted if slug not in found]
    if unknown:
        raise ValidationFailed(
            ngettext(
                "Unknown tag: %(tags)s.",
                "Unknown tags: %(tags)s.",
                len(unknown),
                tags=", ".join(unknown),
            ),
            field="tags",
        )
    return [found[slug] for slug in dict.fromkeys(wanted)]
