"""The two legs of single sign-on: off to the provider, and back (portal/sso.py)."""

import logging

import requests
from authlib.integrations.base_client.errors import OAuthError
from flask import Blueprint, abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from joserfc.errors import JoseError

from portal import known_devices, sessions, sso
from portal.errors import DomainError
from portal.extensions import db
from portal.inputs import local_path
from portal.urls import external_url

bp = Blueprint("sso", __name__)
log = logging.getLogger(__name__)
NEXT_KEY = "sso_next"
# What can go wrong talking to the provider: unreachable, an error it sends back, a state
# that is not ours (a replayed or forged callback), an ID token that fails its checks.
PROVIDER_FAILURES = (OAuthError, requests.RequestException, JoseError, ValueError, KeyError)


def provider_failed(error: Exception):
    log.warning("single sign-on failed: %r", error)
    flash(
        _("Signing in with %(label)s did not work. Please try again, or sign in with your "
          "password.", label=sso_label()),
        "error",
    )  # fmt: skip
    return redirect(url_for("auth.login"))


def sso_label() -> str:
    return current_app.config["OIDC_BUTTON_LABEL"]


@bp.get("/sso/login")
def login():
    """Send the browser to the provider (state, nonce and PKCE kept in the session)."""
    if not sso.enabled():
        abort(404)
    session[NEXT_KEY] = local_path(request.args.get("next")) or ""
    try:
        return sso.client().authorize_redirect(external_url("sso.callback"))
    except PROVIDER_FAILURES as error:
        return provider_failed(error)


@bp.get("/sso/callback")
def callback():
    """The provider sends the browser back with a code: exchange it, check the ID token,
    sign the account in."""
    if not sso.enabled():
        abort(404)
    provider = sso.client()
    try:
        token = provider.authorize_access_token()
        claims = dict(token.get("userinfo") or {})
        issuer = provider.load_server_metadata().get("issuer") or ""
    except PROVIDER_FAILURES as error:
        return provider_failed(error)
    if not claims or not issuer:
        return provider_failed(ValueError("no ID token"))
    try:
        user = sso.account_for(db.session, claims, issuer)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("auth.login"))
    db.session.commit()
    sessions.sign_in(user)
    flash(_("Signed in as %(name)s.", name=user.name), "success")
    response = redirect(session.pop(NEXT_KEY, "") or url_for("portal.home"))
    return known_devices.remember(response, user.id)
