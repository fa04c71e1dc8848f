"""Settings admins change from the site itself (the default language), kept in the database.

Deployment settings stay in portal/config.py and the environment; this table holds the
few an admin changes while the site runs, read once per request.
"""

from flask import g, has_request_context
from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal import events
from portal.extensions import db

KEY_MAX = 64
VALUE_MAX = 200


class SiteSetting(db.Model):
    __tablename__ = "site_settings"

    key: Mapped[str] = mapped_column(String(KEY_MAX), primary_key=True)
    value: Mapped[str] = mapped_column(String(VALUE_MAX))


def site_setting(key: str, session: Session | None = None) -> str | None:
    """The value an admin saved, or None (read once per request).

    ``session``: the one to read with outside a request (a job's own); else the request's.
    """
    cache = g.get("site_settings") if has_request_context() else None
    if cache is None:
        session = session or db.session
        # Read without flushing: a translated message (which asks for the site's language)
        # must not write a service's pending changes halfway through its checks.
        with session.no_autoflush:
            rows = session.execute(select(SiteSetting.key, SiteSetting.value))
        cache = dict(rows.all())
        if has_request_context():
            g.site_settings = cache
    return cache.get(key)


def set_site_setting(session: Session, actor, key: str, value: str) -> None:
    """Save a value (the caller checked the admin may); the audit log hears of it."""
    setting = session.get(SiteSetting, key)
    before = setting.value if setting else None
    if setting is None:
        session.add(SiteSetting(key=key, value=value))
    else:
        setting.value = value
    if has_request_context():
        g.pop("site_settings", None)
    events.publish("site.setting_changed", actor=actor, key=key, before=before, after=value)
