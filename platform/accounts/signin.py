"""Checking a sign-in attempt: the address's throttle first, then the password.

The same steps run for an unknown address and a known one (the throttle row, an Argon2
verification against a dummy hash, the failure count), so neither the answer nor its
timing tells whether an account exists.
"""
import logging
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, request

from ..extensions import db
from .lockout import claim, do_clear_failures, register_failure
from .models import User
from .passwords import verify_password
from .services import get_user_by_email

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attempt:
    user: User | None = None   # the password was right and the account may sign in
    wait_seconds: int = 0      # refused without a check: too many failures lately
    locked: bool = False       # ... and the address is locked out (or has just been)


def check_password(email: str, password: str) -> Attempt:
    """Judge one attempt and commit its count; the caller signs the user in (or asks for the
    second factor) on success."""
    row, verdict = claim(email)
    if verdict.wait_seconds:
        db.session.commit()
        return Attempt(wait_seconds=verdict.wait_seconds, locked=verdict.locked)
    user = get_user_by_email(email)
    password_ok = verify_password(user.password_hash if user else None, password)
    if user is not None and password_ok and user.is_active:
        return Attempt(user=user)  # the row stays locked until the caller commits
    return failed(email, row)


def failed(email: str, row=None) -> Attempt:
    """Count a failure (a wrong password or second factor) for the address; commits."""
    if row is None:
        row, _verdict = claim(email)
    locked_until = register_failure(row)
    db.session.commit()
    if locked_until is not None:
        _notify_lockout(email, locked_until)
        return Attempt(wait_seconds=int((locked_until - row.last_failure_at).total_seconds()), locked=True)
    return Attempt()


def succeeded(email: str) -> None:
    """The whole sign-in went through: the address starts afresh (in the caller's transaction)."""
    do_clear_failures(email)


def _notify_lockout(email: str, locked_until: datetime) -> None:
    """Queue the notice for whoever holds the address; the job finds out whether anyone does."""
    from rq import Retry

    from regionet.workers.queues import MAIL, get_queue

    intervals = list(current_app.config["MAIL_RETRY_INTERVALS"])
    try:
        get_queue(MAIL).enqueue("regionet.workers.jobs.accounts.notify_lockout", email, request.remote_addr,
                                locked_until.isoformat(),
                                retry=Retry(max=len(intervals), interval=intervals) if intervals else None)
    except Exception:  # noqa: BLE001 - Redis down: the lockout holds, only the notice is missing
        log.exception("could not queue the lockout notice")
