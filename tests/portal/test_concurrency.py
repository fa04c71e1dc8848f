"""Two sign-ups with one username or e-mail address at the same moment: one account.

Each request runs in its own thread with its own connection, lined up before its first
write (tests/concurrency.py), on SQLite and on PostgreSQL (TEST_DATABASE_URL).
"""

import pytest
from sqlalchemy import func, select

from portal.models import User
from tests.concurrency import at_once

SIGN_UPS = {
    "username": [("sam", "sam@example.com"), ("Sam", "sam.other@example.com")],
    "email": [("sam", "sam@example.com"), ("samuel", "SAM@example.com")],
}
MESSAGES = {
    "username": b"That username is taken.",
    "email": b"An account with that e-mail address already exists.",
}


@pytest.mark.parametrize("shared", ["username", "email"])
def test_two_sign_ups_at_once_make_one_account_and_tell_the_other(app, db, shared):
    def sign_up(username: str, email: str):
        def submit():
            form = {"username": username, "email": email}
            passwords = {"password": "long-enough-1", "confirm": "long-enough-1"}
            response = app.test_client().post("/register", data=form | passwords)
            return response.status_code, response.get_data()

        return submit

    outcomes = at_once(app, [sign_up(*pair) for pair in SIGN_UPS[shared]])

    assert all(isinstance(outcome, tuple) for outcome in outcomes), outcomes  # no 500
    assert sorted(status for status, _ in outcomes) == [302, 422]
    refused_index = next(i for i, outcome in enumerate(outcomes) if outcome[0] == 422)
    page = outcomes[refused_index][1]
    assert MESSAGES[shared] in page
    # The form comes back with what was typed.
    username, email = SIGN_UPS[shared][refused_index]
    assert f'value="{username}"'.encode() in page and f'value="{email}"'.encode() in page
    db.session.expire_all()
    assert db.session.scalar(select(func.count(User.id))) == 1
