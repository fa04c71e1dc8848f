"""The route walker's machinery: a client per role that records what handlers read and
collects every 5xx, escaped exception and failed job with the request that caused it."""

import re
from dataclasses import dataclass, field
from urllib.parse import quote

from sqlalchemy import delete, select
from werkzeug.datastructures import ImmutableMultiDict

from portal.extensions import db
from portal.jobs.models import Job
from tests.conftest import AuthActions
from tests.hostile.world import ROLES, World


def describe(value) -> str:
    """A value as a failure message shows it (100 KB strings shortened)."""
    return (
        f"{value[:8]!r}… ({len(value)} chars)"
        if isinstance(value, str) and len(value) > 60
        else repr(value)
    )


class Recording(ImmutableMultiDict):
    """Query or form data that notes every name a handler looks up."""

    seen: set

    def __contains__(self, key):
        self.seen.add(key)
        return super().__contains__(key)

    def __getitem__(self, key):
        self.seen.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):
        self.seen.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):
        self.seen.add(key)
        return super().getlist(key, type)


def recording(data, seen: set) -> Recording:
    wrapped = Recording(data)
    wrapped.seen = seen
    return wrapped


@dataclass
class Walk:
    """One role's client, world and what the last baseline request read."""

    app: object
    world: World
    client: object = None
    args_read: set = field(default_factory=set)
    form_read: set = field(default_factory=set)
    failures: list = field(default_factory=list)
    sent: int = 0

    def sign_in(self) -> None:
        self.client = self.app.test_client()
        # Its own address: the visitor's failed sign-ins must not pause the others'.
        self.client.environ_base["REMOTE_ADDR"] = f"10.0.{ROLES.index(self.world.role)}.1"
        if self.world.username:
            response = AuthActions(self.client).login(self.world.username)
            assert response.status_code == 302, f"{self.world.username} could not sign in"

    def send(self, method: str, url: str, what: str, **kwargs):
        """One request; a 5xx or an escaped exception becomes a failure naming it all."""
        label = f"{method} {url[:100]} as {self.world.role}: {what}"
        self.sent += 1
        try:
            response = self.client.open(url, method=method, **kwargs)
        except Exception as error:  # TESTING propagates what production answers with a 500
            self.failures.append(f"{label} → {type(error).__name__}: {str(error)[:200]}")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{label} → {response.status_code}")
        return response


@dataclass
class Shared:
    """What the roles' walks share: whose requests to record, which names went alone."""

    recording: Walk | None = None
    walked_alone: set = field(default_factory=set)

    def first_time(self, method: str, rule: str, kind: str, names: set) -> list[str]:
        """The names no role has yet sent hostile values to one by one on this route."""
        new = sorted(name for name in names if (method, rule, kind, name) not in self.walked_alone)
        self.walked_alone.update((method, rule, kind, name) for name in new)
        return new


def build_url(rule: str, values: dict, raw: dict | None = None) -> str:
    """The rule with each <argument> filled: real values quoted, hostile ones as given."""
    raw = raw or {}

    def fill(match):
        name = match.group(1)
        return raw[name] if name in raw else quote(str(values[name]), safe="/")

    return re.sub(r"<(?:[^<>]*:)?(\w+)>", fill, rule)


def path_names(rule: str) -> list[tuple[str, str]]:
    """(argument, converter) of each <argument> in the rule."""
    return [
        (name, converter or "default")
        for converter, name in re.findall(r"<(?:([a-z]+)[^<>]*:)?(\w+)>", rule)
    ]


def failed_jobs(app) -> list[str]:
    """Jobs that failed during the walk (then forgotten): e-mail that would never leave."""
    with app.app_context():
        failed = Job.last_error != ""
        rows = db.session.execute(select(Job.name, Job.last_error).where(failed)).all()
        db.session.execute(delete(Job).where(failed))
        db.session.commit()
    return [f"job {name} failed: {error.strip().splitlines()[-1]}" for name, error in rows]
