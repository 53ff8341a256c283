"""Failed sign-ins per account: a growing delay, then a temporary lockout, and a notice.

Counted per e-mail address as typed (normalised), whether an account has it or not, so
an unknown address and a known one get the same answers at the same speed. Successes are
not counted: a successful sign-in clears the address's failures. Failures of the second
factor count like wrong passwords.

- the first LOGIN_FREE_FAILURES failures cost nothing;
- after that, each failure makes the next attempt wait 1, 2, 4 ... seconds (at most 60);
- at LOGIN_LOCKOUT_FAILURES failures the address is locked for LOGIN_LOCKOUT_SECONDS,
  twice as long for each further lockout (at most a day); the failures start again;
- failures and lockouts are forgotten after LOGIN_FAILURE_MEMORY_SECONDS without one.

While an address waits or is locked, no password is checked. When a lockout starts, a
job (workers/jobs/accounts.py) tells the account holder, if there is one, by e-mail.
"""
import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import Integer, String, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Mapped, mapped_column

from ..db_types import Timestamp
from ..extensions import db

MAX_DELAY_SECONDS = 60
MAX_LOCKOUT = timedelta(days=1)


class SignInThrottle(db.Model):
    __tablename__ = "sign_in_throttles"

    # HMAC of the normalised address under SECRET_KEY: the table does not list who was tried.
    address_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    lockouts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_failure_at: Mapped[datetime | None] = mapped_column(Timestamp())
    locked_until: Mapped[datetime | None] = mapped_column(Timestamp())


@dataclass(frozen=True)
class Verdict:
    wait_seconds: int = 0       # > 0: refuse without checking the password
    locked: bool = False        # the wait is a lockout (not just the growing delay)


def utcnow() -> datetime:
    return datetime.now(UTC)


def address_key(email: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, email.strip().lower().encode(), hashlib.sha256).hexdigest()


def _setting(name: str) -> int:
    return int(current_app.config[name])


def _delay_after(failures: int) -> timedelta:
    extra = failures - _setting("LOGIN_FREE_FAILURES")
    return timedelta(seconds=0 if extra <= 0 else min(2 ** (extra - 1), MAX_DELAY_SECONDS))


def _forget_if_quiet(row: SignInThrottle, now: datetime) -> None:
    last = row.last_failure_at
    if last is not None and now - last > timedelta(seconds=_setting("LOGIN_FAILURE_MEMORY_SECONDS")):
        row.failures, row.lockouts, row.locked_until = 0, 0, None


def claim(email: str) -> tuple[SignInThrottle, Verdict]:
    """The address's row, locked until the transaction ends (concurrent attempts at one account
    are judged one after the other), and whether an attempt may be checked now."""
    key = address_key(email)
    db.session.execute(pg_insert(SignInThrottle).values(address_key=key, failures=0, lockouts=0)
                       .on_conflict_do_nothing(index_elements=["address_key"]))
    row = db.session.execute(select(SignInThrottle).where(SignInThrottle.address_key == key)
                             .with_for_update().execution_options(populate_existing=True)).scalar_one()
    now = utcnow()
    _forget_if_quiet(row, now)
    locked_until = row.locked_until
    if locked_until is not None and locked_until > now:
        return row, Verdict(math.ceil((locked_until - now).total_seconds()), locked=True)
    last = row.last_failure_at
    if last is not None:
        ready_at = last + _delay_after(row.failures)
        if ready_at > now:
            return row, Verdict(math.ceil((ready_at - now).total_seconds()))
    return row, Verdict()


def register_failure(row: SignInThrottle) -> datetime | None:
    """Count one failure; returns the end of the lockout when this failure started one."""
    now = utcnow()
    row.failures += 1
    row.last_failure_at = now
    if row.failures < _setting("LOGIN_LOCKOUT_FAILURES"):
        return None
    length = min(timedelta(seconds=_setting("LOGIN_LOCKOUT_SECONDS")) * (2 ** row.lockouts), MAX_LOCKOUT)
    row.lockouts += 1
    row.failures = 0
    row.locked_until = now + length
    return row.locked_until


def do_clear_failures(email: str) -> None:
    """After a successful sign-in or a password reset: the address starts afresh."""
    db.session.execute(delete(SignInThrottle).where(SignInThrottle.address_key == address_key(email)))


def do_forget_quiet_addresses() -> int:
    """Rows with nothing left to remember (no failure for the memory period)."""
    cutoff = utcnow() - timedelta(seconds=_setting("LOGIN_FAILURE_MEMORY_SECONDS"))
    return db.session.execute(delete(SignInThrottle).where(SignInThrottle.last_failure_at < cutoff)).rowcount or 0
