"""Sign-in throttling: growing delays for whoever keeps failing, never a lock on the owner.

Failed sign-ins (the `login_attempts` rows, shared by every worker) are counted in three
scopes over LOGIN_FAILURE_WINDOW_MINUTES:

- this account from this address: LOGIN_MAX_FAILURES free failures since the pair's last
  success; applies to every attempt;
- this account from anywhere: LOGIN_ACCOUNT_MAX_FAILURES; applies where the account is
  not known (an address it has not signed in from, a browser without its device cookie);
- this address, any account: LOGIN_ADDRESS_MAX_FAILURES; applies where the account is not
  known either, so an office's members get through failures of others behind its address.

Past its free failures a scope makes the next attempt wait LOGIN_BACKOFF_SECONDS after
the last failure, doubled with each further failure up to LOGIN_BACKOFF_MAX_SECONDS: an
attacker gets a few guesses an hour, a person who mistyped waits seconds. Someone
spraying an account from elsewhere does not stop its owner at a known address (one with a
successful sign-in in the last LOGIN_KNOWN_ADDRESS_DAYS) or on a known device (the
signed cookie of portal/known_devices.py), and failures from a shared address (an
office, a campus) do not stop its members who signed in there before. An account and a
typed name nobody has are throttled alike, so the answer tells nothing about which exist.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from portal.database import utcnow
from portal.models import LoginAttempt, User


@dataclass(frozen=True)
class SignInLimits:
    per_account_address: int = 5
    per_account: int = 20
    per_address: int = 50
    window: timedelta = timedelta(minutes=60)
    backoff_seconds: float = 2
    backoff_max_seconds: float = 300
    known_address_days: int = 90

    @classmethod
    def from_config(cls, config) -> "SignInLimits":
        return cls(
            per_account_address=int(config["LOGIN_MAX_FAILURES"]),
            per_account=int(config["LOGIN_ACCOUNT_MAX_FAILURES"]),
            per_address=int(config["LOGIN_ADDRESS_MAX_FAILURES"]),
            window=timedelta(minutes=float(config["LOGIN_FAILURE_WINDOW_MINUTES"])),
            backoff_seconds=float(config["LOGIN_BACKOFF_SECONDS"]),
            backoff_max_seconds=float(config["LOGIN_BACKOFF_MAX_SECONDS"]),
            known_address_days=int(config["LOGIN_KNOWN_ADDRESS_DAYS"]),
        )

    def delay(self, failures: int, free: int) -> float:
        """Seconds to wait after the last of `failures` failures (0 while some are free)."""
        if failures < free:
            return 0.0
        return min(self.backoff_seconds * 2 ** min(failures - free, 32), self.backoff_max_seconds)


def _account(user: User | None, identifier: str) -> ColumnElement[bool]:
    """Attempts on this account, whichever name was typed; or on this typed name."""
    if user is not None:
        return LoginAttempt.user_id == user.id
    return and_(LoginAttempt.user_id.is_(None), LoginAttempt.identifier == identifier)


def _failures(session: Session, since: datetime, *where) -> tuple[int, datetime | None]:
    """How many failed attempts match, and when the last one was."""
    count, last = session.execute(
        select(func.count(LoginAttempt.id), func.max(LoginAttempt.attempted_at)).where(
            LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at >= since, *where
        )
    ).one()
    return count or 0, last


def _last_success(session: Session, *where) -> datetime | None:
    return session.scalar(
        select(func.max(LoginAttempt.attempted_at)).where(LoginAttempt.succeeded.is_(True), *where)
    )


def is_known_address(session: Session, limits: SignInLimits, user: User, ip: str) -> bool:
    """Whether the account signed in from this address recently."""
    last = _last_success(session, LoginAttempt.user_id == user.id, LoginAttempt.ip_address == ip)
    return last is not None and last >= utcnow() - timedelta(days=limits.known_address_days)


def seconds_to_wait(
    session: Session,
    limits: SignInLimits,
    *,
    user: User | None,
    identifier: str,
    ip: str,
    known_device: bool = False,
) -> int:
    """0 when this attempt may be checked now, else the seconds until it may."""
    now = utcnow()
    since = now - limits.window
    account, address = _account(user, identifier), LoginAttempt.ip_address == ip
    pair_success = _last_success(session, account, address)
    scopes = [
        (
            _failures(session, max(since, pair_success or since), account, address),
            limits.per_account_address,
        )
    ]
    known = known_device or (user is not None and is_known_address(session, limits, user, ip))
    if not known:
        scopes.append((_failures(session, since, account), limits.per_account))
        scopes.append((_failures(session, since, address), limits.per_address))
    wait = 0.0
    for (failures, last), free in scopes:
        if last is not None:
            ready_at = last + timedelta(seconds=limits.delay(failures, free))
            wait = max(wait, (ready_at - now).total_seconds())
    return math.ceil(wait)
