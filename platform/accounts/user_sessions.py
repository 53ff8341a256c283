"""Server-side sessions: every signed-in browser is a row that the server can end.

The login cookie (Flask's session and Flask-Login's remember cookie alike) carries
`<session id>:<secret>`; the row keeps the secret's SHA-256. Ending the row (sign-out,
"sign out everywhere", ending one session from the list, a password change) makes every
copy of either cookie worthless at once. A session also ends by itself after its idle
timeout or its absolute lifetime, both configurable and longer for "keep me signed in".

Per request this costs nothing beyond the user's load (the row comes in the same query);
"last seen" is written at most once per SESSION_TOUCH_INTERVAL_SECONDS.
"""
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from flask import current_app, has_request_context, request
from sqlalchemy import delete, select, update
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from .models import SessionEnd, User, UserSession
from .tokens import new_token, token_digest

# Ended or expired rows are kept this long for the account's list and the trail, then removed.
KEEP_ENDED_SESSIONS = timedelta(days=30)


def utcnow() -> datetime:
    return datetime.now(UTC)


def lifetime(remember: bool) -> timedelta:
    key = "REMEMBER_LIFETIME_SECONDS" if remember else "SESSION_LIFETIME_SECONDS"
    return timedelta(seconds=int(current_app.config[key]))


def idle_timeout(remember: bool) -> timedelta:
    key = "REMEMBER_IDLE_TIMEOUT_SECONDS" if remember else "SESSION_IDLE_TIMEOUT_SECONDS"
    return timedelta(seconds=int(current_app.config[key]))


def is_current(row: UserSession, now: datetime | None = None) -> bool:
    """Not ended, within its lifetime and used within its idle timeout."""
    now = now or utcnow()
    return (row.ended_at is None and now < row.expires_at
            and now - row.last_seen_at < idle_timeout(row.remember))


def client_address() -> str | None:
    """The client's address as the app sees it (behind ProxyFix: the proxy's X-Forwarded-For)."""
    return (request.remote_addr or None) if has_request_context() else None


def client_agent() -> str | None:
    return ((request.user_agent.string or "")[:300] or None) if has_request_context() else None


def do_start_session(user: User, *, remember: bool, second_factor: bool) -> str:
    """A new server-side session for `user`; returns the cookie id and sets it on the user."""
    secret, digest = new_token()
    now = utcnow()
    row = UserSession(user_id=user.id, secret_hash=digest, remember=remember,
                      second_factor=second_factor, created_at=now, last_seen_at=now,
                      expires_at=now + lifetime(remember), ip_address=client_address(), user_agent=client_agent())
    db.session.add(row)
    # Housekeeping on the side: this user's sessions that ended long ago.
    db.session.execute(delete(UserSession).where(
        UserSession.user_id == user.id, UserSession.expires_at < now - KEEP_ENDED_SESSIONS))
    db.session.flush()
    user.session_cookie_id, user.current_session = f"{row.id}:{secret}", row
    return user.session_cookie_id


def find_session(cookie_id: str) -> tuple[int, str] | None:
    """(session id, secret) from a cookie id, or None when it is malformed."""
    session_id, _sep, secret = (cookie_id or "").partition(":")
    if not session_id.isdigit() or not secret or len(session_id) > 18:
        return None
    return int(session_id), secret


def secret_matches(row: UserSession, secret: str) -> bool:
    return hmac.compare_digest(row.secret_hash, token_digest(secret))


def touch_if_due(row: UserSession, now: datetime) -> None:
    """Record "last seen" (and the address) when the stored value is older than the interval.

    Committed at once, keeping what the request has loaded; skipped when the request's
    session holds pending changes (the next request records it instead).
    """
    interval = timedelta(seconds=int(current_app.config["SESSION_TOUCH_INTERVAL_SECONDS"]))
    if now - row.last_seen_at < interval:
        return
    session = db.session()
    if session.new or session.dirty or session.deleted:
        return
    address = client_address()
    db.session.execute(update(UserSession).where(UserSession.id == row.id)
                       .values(last_seen_at=now, ip_address=address or row.ip_address)
                       .execution_options(synchronize_session=False))
    expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire_on_commit
    set_committed_value(row, "last_seen_at", now)  # the row is written; the object must not look dirty


def do_end_session(row: UserSession, reason: SessionEnd) -> None:
    if row.ended_at is None:
        row.ended_at, row.end_reason = utcnow(), reason.value


def do_end_sessions(user: User, reason: SessionEnd, *, keep: UserSession | None = None) -> int:
    """End every open session of `user` (but `keep`); returns how many ended."""
    statement = (update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
                 .values(ended_at=utcnow(), end_reason=reason.value).execution_options(synchronize_session="fetch"))
    if keep is not None:
        statement = statement.where(UserSession.id != keep.id)
    return db.session.execute(statement).rowcount or 0


def do_end_sessions_without_second_factor(user_ids: list[int]) -> int:
    """End the open sessions of these users that were started without a second factor."""
    if not user_ids:
        return 0
    return db.session.execute(
        update(UserSession).where(UserSession.user_id.in_(user_ids), UserSession.ended_at.is_(None),
                                  UserSession.second_factor.is_(False))
        .values(ended_at=utcnow(), end_reason=SessionEnd.ACCOUNT_CHANGED.value)
        .execution_options(synchronize_session="fetch")).rowcount or 0


@dataclass(frozen=True)
class SessionView:
    id: int
    device: str
    ip_address: str | None
    created_at: datetime
    last_seen_at: datetime
    remember: bool
    is_this_one: bool


@lru_cache(maxsize=256)
def describe_device(user_agent: str | None) -> str:
    """"Firefox 133 · Windows" from a User-Agent header (ua-parser's rules)."""
    if not user_agent:
        return "?"
    from ua_parser import parse

    parsed = parse(user_agent)
    browser = parsed.user_agent
    system = parsed.os
    parts = []
    if browser is not None:
        parts.append(f"{browser.family} {browser.major}" if browser.major else browser.family)
    if system is not None and system.family != "Other":
        parts.append(system.family)
    if parsed.device is not None and parsed.device.family not in ("Other", "Mac", "Spider") \
            and parsed.device.family not in parts:
        parts.append(parsed.device.family)
    return " · ".join(parts) or user_agent[:60]


def open_sessions(user: User) -> list[SessionView]:
    """The user's current sessions, the most recently used first."""
    now = utcnow()
    rows = db.session.execute(select(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None), UserSession.expires_at > now)
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())).scalars()
    this_one = user.current_session.id if user.current_session is not None else None
    return [SessionView(row.id, describe_device(row.user_agent), row.ip_address, row.created_at,
                        row.last_seen_at, row.remember, row.id == this_one)
            for row in rows if is_current(row, now)]


def session_of(user: User, session_id: int) -> UserSession | None:
    """One of the user's own sessions (another user's session is not found)."""
    return db.session.execute(select(UserSession).where(
        UserSession.id == session_id, UserSession.user_id == user.id)).scalar_one_or_none()
