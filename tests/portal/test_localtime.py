"""Times stored in UTC, shown in the viewer's zone: the filter, the setting, plain text."""

import re
from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from portal import localtime, notifications
from portal import service as portal_service
from portal.errors import ValidationFailed
from portal.models import User
from portal.notifications import Notification
from portal.permissions import Role
from tests.factories import make_user

WINTER = datetime(2025, 1, 15, 12, 0, tzinfo=UTC)
SUMMER = datetime(2025, 7, 15, 12, 0, tzinfo=UTC)


def test_format_time_follows_the_zone_across_daylight_saving():
    assert localtime.format_time(WINTER, "Europe/Paris") == "15 Jan 2025, 13:00 CET"
    assert localtime.format_time(SUMMER, "Europe/Paris") == "15 Jul 2025, 14:00 CEST"
    # The night the clocks go forward: 00:30 UTC is 01:30 CET, 01:30 UTC is 03:30 CEST.
    assert localtime.format_time(datetime(2025, 3, 30, 0, 30, tzinfo=UTC), "Europe/Paris") == (
        "30 Mar 2025, 01:30 CET"
    )
    assert localtime.format_time(datetime(2025, 3, 30, 1, 30, tzinfo=UTC), "Europe/Paris") == (
        "30 Mar 2025, 03:30 CEST"
    )
    assert localtime.format_time(WINTER, "America/New_York") == "15 Jan 2025, 07:00 EST"


def test_format_time_without_a_zone_is_utc_and_says_so():
    assert localtime.format_time(WINTER, None) == "15 Jan 2025, 12:00 UTC"
    assert localtime.format_time(WINTER.replace(tzinfo=None), None) == "15 Jan 2025, 12:00 UTC"
    # A zone tzdata no longer knows falls back to UTC rather than breaking the page.
    assert localtime.format_time(WINTER, "Atlantis/Capital") == "15 Jan 2025, 12:00 UTC"
    assert localtime.format_time(None, "Europe/Paris") == ""


def test_dates_are_the_calendar_day_in_the_zone():
    late = datetime(2025, 3, 31, 22, 30, tzinfo=UTC)
    assert localtime.format_time(late, None, "date") == "31 Mar 2025"
    assert localtime.format_time(late, "Europe/Paris", "date") == "1 Apr 2025"
    assert localtime.format_time(late, "America/Los_Angeles", "date") == "31 Mar 2025"
    assert localtime.format_time(date(2025, 4, 1), "Asia/Tokyo", "date") == "1 Apr 2025"


def test_clean_time_zone_accepts_iana_names_only():
    assert localtime.clean_time_zone(" Europe/Paris ") == "Europe/Paris"
    assert localtime.clean_time_zone("") is None and localtime.clean_time_zone(None) is None
    for bad in ("Mars/Olympus", "europe/paris", "../../etc/passwd", "CET+1", "x" * 500):
        with pytest.raises(ValidationFailed) as refused:
            localtime.clean_time_zone(bad)
        assert refused.value.field == "time_zone" and "not a time zone we know" in str(
            refused.value
        )


def user_named(db, username: str) -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == username))


def notification_time(client) -> str:
    page = client.get("/notifications/").get_data(as_text=True)
    return re.search(r"<time [^>]*>[^<]*</time>", page).group(0)


def test_pages_show_times_in_the_saved_zone_or_marked_for_the_browser(client, auth, db):
    user = make_user(db.session, "jordan")
    notifications.notify(db.session, user, kind="test", message="Winter note", link="/x")
    db.session.scalar(select(Notification)).created_at = WINTER
    db.session.commit()
    auth.login("jordan")
    assert notification_time(client) == (
        '<time datetime="2025-01-15T12:00:00Z" title="15 Jan 2025, 12:00 UTC" '
        'data-localize="datetime">15 Jan 2025, 12:00 UTC</time>'
    )
    portal_service.set_time_zone(db.session, user, user, time_zone="Europe/Paris")
    db.session.commit()
    assert notification_time(client) == (
        '<time datetime="2025-01-15T12:00:00Z" title="15 Jan 2025, 12:00 UTC">'
        "15 Jan 2025, 13:00 CET</time>"
    )
    assert "localtime.js" in client.get("/notifications/").get_data(as_text=True)


def test_settings_save_the_zone_and_detect_clears_it(client, auth, db):
    make_user(db.session, "jordan")
    db.session.commit()
    auth.login("jordan")
    page = client.get("/settings").get_data(as_text=True)
    assert '<option selected value="">Detect from my browser</option>' in page
    # Zone names are IANA's, the same in every language (translate="no" for tools).
    assert '<option translate="no" value="Europe/Paris">Europe/Paris</option>' in page
    saved = client.post(
        "/settings/preferences", data={"time_zone": "Europe/Paris", "email_notifications": "y"}
    )
    assert saved.status_code == 302
    assert user_named(db, "jordan").time_zone == "Europe/Paris"
    page = client.get("/settings").get_data(as_text=True)
    assert '<option selected translate="no" value="Europe/Paris">' in page
    client.post("/settings/preferences", data={"time_zone": "", "email_notifications": "y"})
    assert user_named(db, "jordan").time_zone is None


def test_unknown_zone_is_refused_and_the_form_keeps_what_was_sent(client, auth, db):
    make_user(db.session, "jordan", time_zone="Asia/Tokyo")
    db.session.commit()
    auth.login("jordan")
    # E-mails unticked and a made-up zone: nothing is saved, the box stays unticked.
    refused = client.post("/settings/preferences", data={"time_zone": "Mars/Olympus"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "“Mars/Olympus” is not a time zone we know" in page
    assert 'aria-invalid="true"' in page
    box = re.search(r'<input[^>]*name="email_notifications"[^>]*>', page).group(0)
    assert "checked" not in box
    user = user_named(db, "jordan")
    assert user.time_zone == "Asia/Tokyo" and user.email_notifications


def test_suspension_message_uses_the_users_zone(client, db):
    moderator = make_user(db.session, "mod", role=Role.MODERATOR)
    user = make_user(db.session, "jordan", time_zone="Europe/Paris")
    portal_service.suspend_user(db.session, moderator, user, reason="Spam", days=3)
    user.suspended_until = datetime(2099, 7, 1, 8, 0, tzinfo=UTC)
    db.session.commit()
    assert portal_service.suspension_message(user) == (
        "This account is suspended until 1 Jul 2099, 10:00 CEST. Reason: Spam"
    )
    user.time_zone = None
    assert "until 1 Jul 2099, 08:00 UTC." in portal_service.suspension_message(user)


def test_times_speak_the_language_of_the_page_or_of_the_e_mail(app):
    autumn = datetime(2026, 11, 30, 13, 5, tzinfo=UTC)
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert localtime.format_time(autumn, "Europe/Paris") == "30 nov. 2026, 14:05 CET"
        assert localtime.format_time(autumn, None, "date") == "30 nov. 2026"
        element = localtime.localtime(autumn)
        assert 'title="30 nov. 2026, 13:05 UTC"' in element
        assert element.endswith(">30 nov. 2026, 13:05 UTC</time>")
        with force_locale("en"):  # an e-mail to someone who reads English
            assert localtime.format_time(autumn, "Europe/Paris") == "30 Nov 2026, 14:05 CET"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert localtime.format_time(autumn, "Europe/Paris") == "30 Nov 2026, 14:05 CET"


def test_the_suspension_message_speaks_the_readers_language(app, db):
    user = make_user(db.session, "chloe", time_zone="Europe/Paris", locale="fr")
    user.suspended_at = datetime(2099, 6, 1, tzinfo=UTC)
    user.suspended_until, user.suspension_reason = datetime(2099, 7, 1, 8, 0, tzinfo=UTC), "Spam"
    with app.test_request_context(), force_locale("fr"):
        assert portal_service.suspension_message(user) == (
            "Ce compte est suspendu jusqu’au 1 juil. 2099, 10:00 CEST. Motif\u00a0: Spam"
        )
