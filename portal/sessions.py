"""Sign-in sessions that end when they should.

Flask-Login keeps `User.get_id()` in the session cookie and, with "Keep me signed in", in
a remember cookie: the user's id, their `session_token` and the time of the sign-in. Every
request checks all three, so

- a new session token (sign-out, password change, suspension: `service.end_sessions`)
  ends every session and remember cookie of that user, copies included;
- a sign-in lasts at most REMEMBER_COOKIE_DURATION, whatever a browser or a thief keeps.

A cookie refused here is cleared on the spot and the person is told why.
"""

import hmac
import re
from datetime import timedelta

from flask import current_app, flash, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_remembered, login_user, logout_user

from portal import database, service  # the clock is database.utcnow(): tests move it
from portal.extensions import db, login_manager
from portal.models import User

ALTERNATIVE_ID = re.compile(r"(\d{1,18}):([A-Za-z0-9_-]{1,64}):(\d{1,12})")
# Web nodes' clocks may differ a little: a sign-in "from the future" within this is fine.
CLOCK_SKEW_SECONDS = 300


def sign_in(user: User, *, remember: bool = False) -> None:
    """Start a new sign-in of this user in this browser (a fresh age for its cookies)."""
    user.signed_in_at = int(database.utcnow().timestamp())
    login_user(user, remember=remember)


def sign_in_again(user: User) -> None:
    """After the user's token changed: this browser stays signed in (remembered if it was)."""
    sign_in(user, remember=login_remembered())


def longest_sign_in() -> timedelta:
    """REMEMBER_COOKIE_DURATION (seconds or a timedelta): no sign-in lives longer."""
    duration = current_app.config["REMEMBER_COOKIE_DURATION"]
    return duration if isinstance(duration, timedelta) else timedelta(seconds=int(duration))


def load_user(alternative_id: str) -> User | None:
    """The user a session or remember cookie names, if it still stands: the token is the
    user's current one and the sign-in is younger than the longest allowed."""
    match = ALTERNATIVE_ID.fullmatch(alternative_id)
    if match is None:  # e.g. a bare id from before session tokens existed
        return None
    user_id, token, signed_in_at = int(match[1]), match[2], int(match[3])
    age = database.utcnow().timestamp() - signed_in_at
    if not -CLOCK_SKEW_SECONDS <= age < longest_sign_in().total_seconds():
        return None
    user = db.session.get(User, user_id)
    if user is None or user.is_deleted or not hmac.compare_digest(user.session_token, token):
        return None
    user.signed_in_at = signed_in_at
    return user


def end_refused_sign_in() -> None:
    """Before each request: a suspended user, or a cookie the loader refused, is signed out
    here (its cookies cleared) with a message saying why."""
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        if not user.is_suspended:
            return
    elif "_user_id" in session:
        match = ALTERNATIVE_ID.fullmatch(str(session["_user_id"]))
        user = db.session.get(User, int(match[1])) if match else None
    else:
        return
    logout_user()
    if user is not None and user.is_suspended:
        flash(service.suspension_message(user), "error")
    else:
        flash(_("Your session has ended. Please sign in again."), "info")


def init_app(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    app.before_request(end_refused_sign_in)
