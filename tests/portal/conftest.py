"""Portal fixtures: a user made outside any request, for tests that play several browsers."""

import pytest

from portal.extensions import db as _db
from tests.factories import make_user


@pytest.fixture
def jordan(app) -> str:
    """The username of a customer committed in an app context of its own: the test
    client's requests then do not share the test's `g`, where Flask-Login caches the user."""
    with app.app_context():
        make_user(_db.session, "jordan")
        _db.session.commit()
    return "jordan"
