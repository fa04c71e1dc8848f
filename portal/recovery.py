"""Password reset, e-mail verification and changing the address (portal/account_tokens.py
makes the links).

Asking for a reset does the same work whatever the address: it records one
``accounts.password_reset_mail`` job with the address typed; the worker looks the account
up and sends the link only if there is one. So the answer, and the time it takes, are the
same for an address that has an account and one that has none.

Confirming an address publishes ``user.email_verified`` (session, user): moderation
releases the posts it held for it, the desk attaches the visitor's requests sent from it.
"""

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import account_tokens, events, mail, service
from portal.account_tokens import LinkRefused
from portal.database import utcnow
from portal.errors import Conflict, ValidationFailed
from portal.i18n import locale_of
from portal.jobs import enqueue, job
from portal.models import User
from portal.urls import external_url

RESET_MAIL_JOB = "accounts.password_reset_mail"


def verification_required() -> bool:
    """REQUIRE_VERIFIED_EMAIL: new members' posts wait until their address is confirmed."""
    return bool(current_app.config["REQUIRE_VERIFIED_EMAIL"])


def request_password_reset(session: Session, email: str) -> None:
    """Record the reset e-mail for whoever has this address (nobody: nothing is sent)."""
    enqueue(session, RESET_MAIL_JOB, email=service.normalize_email(email)[:254])


@job(RESET_MAIL_JOB)
def send_reset_mail(session: Session, *, email: str) -> None:
    """The worker's half: the link goes only to an address an account really has."""
    user = session.scalar(select(User).where(User.email == email, User.deleted_at.is_(None)))
    if user is None:
        return
    link = external_url("auth.reset_password", token=account_tokens.reset_token(user))
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE_MINUTES"]
    site = current_app.config["SITE_NAME"]
    with force_locale(locale_of(user)):
        subject = _("Choose a new password for %(site)s", site=site)
        body = "\n\n".join(
            [
                _("Hello %(name)s,", name=user.name),
                _(
                    "Someone, probably you, asked to reset the password of your account "
                    "“%(username)s”. Choose a new one here (the link works once, for "
                    "%(minutes)s minutes):",
                    username=user.username,
                    minutes=minutes,
                ),
                link,
                _(
                    "Choosing a new password signs you out on every other device. If you "
                    "did not ask for this, ignore this e-mail: your password stays as it is."
                ),
                f"— {site}",
            ]
        )
    mail.send_later(session, to=user.email, subject=subject, body=body)


def reset_password(session: Session, token: str, new_password: str) -> User:
    """Set the password a reset link was sent for; every session of the user ends.

    The link reached the account's address, so the address is verified by it too.
    """
    user = account_tokens.user_of_reset_token(session, token)
    user.set_password(new_password)
    service.end_sessions(session, user)
    if user.email_verified_at is None:
        mark_verified(session, user)
    session.flush()
    return user


def mark_verified(session: Session, user: User) -> None:
    """The address is the owner's: record it, and let the packages react."""
    user.email_verified_at = utcnow()
    session.flush()
    events.publish("user.email_verified", session=session, user=user)


def send_verification(session: Session, user: User, email: str | None = None) -> None:
    """Queue the link confirming ``email`` (the account's own address by default)."""
    address = email or user.email
    link = external_url("auth.verify_email", token=account_tokens.verification_token(user, address))
    hours = current_app.config["EMAIL_VERIFICATION_MAX_AGE_HOURS"]
    site = current_app.config["SITE_NAME"]
    with force_locale(locale_of(user)):
        subject = _("Confirm your e-mail address for %(site)s", site=site)
        body = "\n\n".join(
            [
                _("Hello %(name)s,", name=user.name),
                _(
                    "Please confirm that %(email)s is your address: open this link within "
                    "%(hours)s hours and press “Confirm”.",
                    email=address,
                    hours=hours,
                ),
                link,
                _("If you did not use this address on %(site)s, ignore this e-mail.", site=site),
                f"— {site}",
            ]
        )
    mail.send_later(session, to=address, subject=subject, body=body)


def claim_of(session: Session, token: str) -> tuple[User, str]:
    """The account and the address a verification link confirms, if it still can."""
    claim = account_tokens.read_verification_token(token)
    user = session.get(User, claim.user_id)
    if user is None or user.is_deleted:
        raise LinkRefused(_("This link is not valid. Ask for a new one below."))
    if claim.issued_for != account_tokens.fingerprint(user.email):
        raise LinkRefused(
            _("This link was used already, or a newer one replaced it. Ask for a new one below.")
        )
    return user, claim.email


def verify_email(session: Session, token: str) -> User:
    """Confirm the address a link was sent to: the account's own, or its new one."""
    user, email = claim_of(session, token)
    if email == user.email:
        if user.email_verified_at is None:
            mark_verified(session, user)
        return user
    taken = session.scalar(select(User.id).where(User.email == email, User.id != user.id))
    if taken:
        raise Conflict(_(service.EMAIL_TAKEN))
    old = user.email
    user.email = email
    mark_verified(session, user)
    _tell_old_address(session, user, old)
    return user


def _tell_old_address(session: Session, user: User, old: str) -> None:
    site = current_app.config["SITE_NAME"]
    with force_locale(locale_of(user)):
        subject = _("Your e-mail address on %(site)s changed", site=site)
        body = "\n\n".join(
            [
                _("Hello %(name)s,", name=user.name),
                _(
                    "The address of your account “%(username)s” is now %(email)s; we will no "
                    "longer write to this one. If you did not do this, reset your password "
                    "from the sign-in page and tell us through Contact support.",
                    username=user.username,
                    email=user.email,
                ),
                external_url("auth.forgot_password"),
                f"— {site}",
            ]
        )
    mail.send_later(session, to=old, subject=subject, body=body)


def request_email_change(session: Session, user: User, *, password: str, new_email: str) -> str:
    """Send a confirmation link to the new address; the account keeps the old one until
    the link is followed. The password guards against a borrowed, signed-in browser."""
    if not user.check_password(password):
        raise ValidationFailed(_("Your current password is not right."), field="password")
    new_email = service.normalize_email(new_email)
    if new_email == user.email:
        raise ValidationFailed(_("That is already your address."), field="email")
    if session.scalar(select(User.id).where(User.email == new_email)):
        raise Conflict(_(service.EMAIL_TAKEN), field="email")
    send_verification(session, user, new_email)
    return new_email
