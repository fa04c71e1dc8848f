"""Notification e-mails from templates: text and HTML, in the reader's language.

Each e-mail carries what happened (the reply's or the agent's text: Markdown rendered and
sanitized in the HTML part, as written in the text part), a link to the page, why the
reader gets it, a link to their settings and a one-click unsubscribe from its category
(RFC 8058: List-Unsubscribe with an HTTPS link and, when inbound mail is set up, a mailto;
List-Unsubscribe-Post). When it is about one thread or one case and inbound mail is set
up, its Reply-To is the reader's own signed reply address (portal/mail_addresses.py).
Callers run these inside ``force_locale(locale_of(user))``.
"""

from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup
from sqlalchemy.orm import Session

from portal import email_preferences, mail, mail_addresses
from portal.i18n import N_
from portal.markdown import render_markdown
from portal.models import User
from portal.urls import external_url

SUBJECT_MAX = 150
EXCERPT_MAX = 400
# Why the reader gets a notification of each kind, as the e-mail says under it.
REASONS = {
    "reply": N_("You get this e-mail because you asked this question."),
    "mention": N_("You get this e-mail because someone mentioned you."),
    "solution_accepted": N_("You get this e-mail because you answered this question."),
    "thread_solved": N_("You get this e-mail because you asked this question."),
    "followed_thread": N_("You get this e-mail because you follow this thread."),
    "followed_tag": N_("You get this e-mail because you follow this topic."),
    "case_reply": N_("You get this e-mail because you asked our support for help."),
    "case_solved": N_("You get this e-mail because you asked our support for help."),
    "case_assigned": N_("You get this e-mail because you work on this case."),
    "case_customer_message": N_("You get this e-mail because you work on this case."),
    "superuser_invite": N_("You get this e-mail because you are a super-user of this topic."),
}
DEFAULT_REASON = N_("You get this e-mail because it is about your account or your posts.")
# Hooks that add threading headers (In-Reply-To, References) for an e-mail about a target,
# and remember its Message-ID: the inbound mail package registers one (portal/inbound).
THREADING_HOOKS: list = []


@dataclass(frozen=True)
class Entry:
    """One notification as an e-mail shows it."""

    message: str
    url: str
    text: str
    html: Markup
    reason: str


def entry(note, *, excerpt: bool = False) -> Entry:
    """How a notification reads in an e-mail (``excerpt``: its text cut short, for digests)."""
    site = current_app.config["SITE_URL"].rstrip("/")
    text = (note.body or "").strip()
    if excerpt and len(text) > EXCERPT_MAX:
        text = text[:EXCERPT_MAX].rsplit(" ", 1)[0] + " …"
    html = Markup(render_markdown(text)) if text and not excerpt else Markup("")
    return Entry(
        message=note.message,
        url=f"{site}{note.link}" if note.link else "",
        text=text,
        html=html,
        reason=_(REASONS.get(note.kind, DEFAULT_REASON)),
    )


def unsubscribe_headers(user: User, category: str) -> tuple[dict, str]:
    """(List-Unsubscribe headers, the link) for the reader and one category."""
    token = email_preferences.unsubscribe_token(user, category)
    link = external_url("portal.unsubscribe", token=token)
    targets = [f"<{link}>"]
    mailto = mail_addresses.unsubscribe_mailto(token)
    if mailto:
        targets.append(f"<{mailto}>")
    headers = {
        "List-Unsubscribe": ", ".join(targets),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        # Out-of-office robots answer nothing marked as automatic (RFC 3834).
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
    }
    return headers, link


def case_token(target: str) -> str:
    """ "[#5] " for a case: the subject's token that threads answers sent to support."""
    kind, _sep, number = target.partition(":")
    return f"[#{number}] " if kind == "case" else ""


def send_notifications(session: Session, user: User, category: str, notes: list) -> None:
    """One e-mail with these notifications of one category (in the caller's locale)."""
    targets = {note.reply_target for note in notes}
    target = targets.pop() if len(targets) == 1 else ""
    if len(notes) == 1:
        subject = notes[0].message
    else:
        subject = ngettext(
            "%(num)d new notification on %(site)s",
            "%(num)d new notifications on %(site)s",
            len(notes),
            site=current_app.config["SITE_NAME"],
        )
    subject = (case_token(target) + subject)[:SUBJECT_MAX]
    entries = [entry(note) for note in notes]
    _send(session, user, category, subject, "notification", entries, target)


def send_digest(session: Session, user: User, category: str, notes: list, mode: str) -> None:
    """The daily or weekly digest of one category's notifications (in the caller's locale)."""
    site = current_app.config["SITE_NAME"]
    if mode == email_preferences.Mode.WEEKLY:
        subject = ngettext(
            "Your weekly digest from %(site)s: %(num)d update",
            "Your weekly digest from %(site)s: %(num)d updates",
            len(notes),
            site=site,
        )
    else:
        subject = ngettext(
            "Your daily digest from %(site)s: %(num)d update",
            "Your daily digest from %(site)s: %(num)d updates",
            len(notes),
            site=site,
        )
    entries = [entry(note, excerpt=True) for note in notes]
    _send(session, user, category, subject, "digest", entries, "", mode=mode)


def _send(session, user, category, subject, template, entries, target, **extra) -> None:
    headers, unsubscribe_link = unsubscribe_headers(user, category)
    reply_to = mail_addresses.reply_address(user.id, target) if target else ""
    if reply_to:
        headers["Reply-To"] = reply_to
    message_id = mail.new_message_id()
    for hook in THREADING_HOOKS:
        headers.update(hook(session, user, target, message_id) or {})
    context = {
        "user": user,
        "entries": entries,
        "category_label": _(email_preferences.CATEGORIES[category][0]),
        "unsubscribe_url": unsubscribe_link,
        "settings_url": external_url("portal.settings") + "#email-choices",
        "notifications_url": external_url("notifications.index"),
        "site_name": current_app.config["SITE_NAME"],
        "site_url": current_app.config["SITE_URL"],
        "reply_by_email": bool(reply_to),
        "target_kind": target.partition(":")[0],
        **extra,
    }
    mail.send_later(
        session,
        to=user.email,
        subject=subject,
        body=render_template(f"email/{template}.txt", **context),
        html=render_template(f"email/{template}.html", **context),
        headers=headers,
        message_id=message_id,
    )
