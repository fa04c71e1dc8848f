"""Single sign-on with OpenID Connect, through Authlib's Flask client.

On when OIDC_DISCOVERY_URL and OIDC_CLIENT_ID are set: the sign-in page offers "Sign in
with <OIDC_BUTTON_LABEL>". Authlib sends the browser to the provider with a state, a nonce
and a PKCE challenge (S256) kept in the session, then on the way back checks the state,
exchanges the code with the verifier, and checks the ID token's signature (the provider's
JWKS), issuer, audience, expiry and nonce.

Which account the ID token signs in:
1. the account already tied to this issuer and subject (``sso_identities``);
2. else the account with the token's e-mail address, only if the provider says the address
   is verified (``email_verified``); an account here that had not confirmed the address
   loses its password and sessions when tied (whoever set them may not own the address);
3. else a new account (OIDC_ALLOW_SIGNUP), its address verified if the provider says so.
When OIDC_ROLES_CLAIM is set, each sign-in gives the account the highest staff role its
values map to (OIDC_ROLE_MAPPING), or takes a staff role away when none maps; customers
and super-users (a role earned here) keep theirs when nothing maps.
"""

import json
import re
import secrets

from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import events, recovery, service
from portal.database import utcnow
from portal.errors import AccountSuspended, ValidationFailed
from portal.models import USERNAME_MAX, SsoIdentity, User, new_session_token
from portal.permissions import STAFF_ROLES, Role

PROVIDER = "oidc"
# Higher wins when several of the claim's values map to a role.
RANK = [Role.CUSTOMER, Role.SUPERUSER, Role.MODERATOR, Role.AGENT, Role.ADMIN]


def enabled() -> bool:
    config = current_app.config
    return bool(config.get("OIDC_DISCOVERY_URL") and config.get("OIDC_CLIENT_ID"))


def client():
    """Authlib's client for the configured provider, made once per configuration (its
    discovery document and keys are cached with it)."""
    config = current_app.config
    settings = (
        config["OIDC_DISCOVERY_URL"],
        config["OIDC_CLIENT_ID"],
        config["OIDC_CLIENT_SECRET"],
        config["OIDC_SCOPES"],
    )
    cache = current_app.extensions.setdefault("portal.sso", {})
    if cache.get("settings") != settings:
        oauth = OAuth(current_app)
        cache["client"] = oauth.register(
            PROVIDER,
            server_metadata_url=settings[0],
            client_id=settings[1],
            client_secret=settings[2] or None,
            client_kwargs={
                "scope": settings[3],
                "code_challenge_method": "S256",
                "default_timeout": config["OIDC_TIMEOUT_SECONDS"],
            },
        )
        cache["settings"] = settings
    return cache["client"]


def role_mapping() -> dict[str, Role]:
    """OIDC_ROLE_MAPPING as claim value → Role (JSON text from the environment too)."""
    mapping = current_app.config.get("OIDC_ROLE_MAPPING") or {}
    if isinstance(mapping, str):
        mapping = json.loads(mapping) if mapping.strip() else {}
    return {str(value): Role(role) for value, role in mapping.items()}


def mapped_role(claims: dict) -> Role | None:
    """The role the claims give, None when no roles claim is configured; a configured
    claim with no mapped value gives the customer role."""
    claim = current_app.config.get("OIDC_ROLES_CLAIM")
    if not claim:
        return None
    values = claims.get(claim) or []
    if isinstance(values, str):
        values = values.split()
    mapping = role_mapping()
    roles = [mapping[str(value)] for value in values if str(value) in mapping]
    return max(roles, key=RANK.index, default=Role.CUSTOMER)


def apply_role(session: Session, user: User, role: Role | None) -> None:
    """The provider decides staff roles; roles earned here stay when it names none."""
    if role is None or user.role == role.value:
        return
    if role is Role.CUSTOMER and Role(user.role) not in STAFF_ROLES:
        return
    old, user.role = user.role, role.value
    events.publish(
        "user.role_changed", actor=None, user=user, old_role=old, new_role=user.role, sso=True
    )


def claimed_email(claims: dict) -> tuple[str, bool]:
    """The address the provider gives and whether it says it is verified."""
    email = service.normalize_email(str(claims.get("email") or ""))
    verified = claims.get("email_verified") in (True, "true", "True")
    return email, verified and bool(email)


def domain_allowed(email: str) -> bool:
    allowed = current_app.config.get("OIDC_ALLOWED_DOMAINS") or ""
    domains = {d.strip().lower().lstrip("@") for d in allowed.split(",") if d.strip()}
    return not domains or email.rpartition("@")[2] in domains


def free_username(session: Session, claims: dict, email: str) -> str:
    """A username from the provider's preferred one or the address, made unique."""
    wanted = str(claims.get("preferred_username") or email.partition("@")[0]).lower()
    base = re.sub(r"[^a-z0-9_-]+", "-", wanted).strip("-_")[: USERNAME_MAX - 4] or "member"
    base = base if len(base) >= 3 else f"{base}-sso"
    candidate = base
    while session.scalar(select(User.id).where(User.username == candidate)):
        candidate = f"{base}-{secrets.randbelow(9000) + 1000}"
    return candidate


def account_for(session: Session, claims: dict, issuer: str) -> User:
    """The account these verified ID token claims sign in (tied, linked or created)."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise ValidationFailed(_("The sign-in service did not say who you are."))
    identity = session.scalar(
        select(SsoIdentity).where(SsoIdentity.issuer == issuer, SsoIdentity.subject == subject)
    )
    email, verified = claimed_email(claims)
    if identity is not None:
        user = session.get(User, identity.user_id)
    else:
        if not email:
            raise ValidationFailed(_("The sign-in service did not give your e-mail address."))
        if not domain_allowed(email):
            raise ValidationFailed(_("Accounts of this e-mail domain cannot sign in here."))
        user = session.scalar(select(User).where(User.email == email))
        if user is not None:
            if not verified:
                raise ValidationFailed(
                    _(
                        "An account here has this address, but the sign-in service has not "
                        "verified it, so we cannot tie them. Sign in with your password."
                    )
                )
            if not user.email_verified:
                # Whoever chose this password never proved the address: it stops working.
                user.set_password(secrets.token_urlsafe(32))
                user.session_token = new_session_token()
        elif current_app.config["OIDC_ALLOW_SIGNUP"]:
            user = service.register_user(
                session,
                username=free_username(session, claims, email),
                email=email,
                password=secrets.token_urlsafe(32),  # unknown to anyone: reset it to get one
            )
            if claims.get("name"):
                user.display_name = str(claims["name"])[:80]
            if not verified:  # the provider does not vouch for it: we ask, as at sign-up
                recovery.send_verification(session, user)
        else:
            raise ValidationFailed(_("There is no account here for this address."))
        identity = SsoIdentity(issuer=issuer, subject=subject, user_id=user.id)
        session.add(identity)
    if user is None or user.is_deleted:
        raise ValidationFailed(_("This account was deleted."))
    if user.is_suspended:
        raise AccountSuspended(service.suspension_message(user))
    if verified and email == user.email and not user.email_verified:
        recovery.mark_verified(session, user)
    apply_role(session, user, mapped_role(claims))
    identity.last_used_at = user.last_login_at = utcnow()
    session.flush()
    return user


def init_app(app: Flask) -> None:
    from portal import sso_views

    app.register_blueprint(sso_views.bp)
    app.jinja_env.globals["sso_enabled"] = enabled
