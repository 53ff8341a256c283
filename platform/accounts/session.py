"""Flask-Login wiring: the login cookie names a server-side session (user_sessions.py)."""
from datetime import timedelta
from functools import cache

from flask import session
from flask_babel import lazy_gettext as _l
from flask_login import login_user
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload, lazyload

from ..extensions import db
from ..institutions.models import Institution
from . import user_sessions
from .models import Membership, RegionCoordinator, User, UserSession
from .user_sessions import do_start_session, find_session, is_current, lifetime, secret_matches, touch_if_due


@cache
def _user_with_workspaces() -> Select:
    """The session with its user, their institutions and regions, in one query: every page needs them.

    Built once: assembling the loader options took longer than running the query. An
    institution's region and TERYT unit are read by a few pages only, which load them.
    """
    return select(User, UserSession).join(UserSession, UserSession.user_id == User.id).where(
        UserSession.id == bindparam("session_id")).options(
        joinedload(User.memberships).joinedload(Membership.institution)
        .options(lazyload(Institution.region), lazyload(Institution.teryt_unit)),
        joinedload(User.coordinated_regions).joinedload(RegionCoordinator.region))


def load_user(cookie_id: str) -> User | None:
    found = find_session(cookie_id)
    row = None
    if found is not None:
        row = db.session.execute(_user_with_workspaces(), {"session_id": found[0]}).unique().one_or_none()
    if row is None:
        return _forget_cookie()
    user, user_session = row
    now = user_sessions.utcnow()
    if not (secret_matches(user_session, found[1]) and is_current(user_session, now) and user.is_active):
        return _forget_cookie()
    user.session_cookie_id, user.current_session = cookie_id, user_session
    touch_if_due(user_session, now)
    return user


def _forget_cookie() -> None:
    """A cookie naming a session that has ended: drop it (and the remember cookie) from the browser."""
    session.pop("_user_id", None)
    session["_remember"] = "clear"
    return None


def sign_in(user: User, *, remember: bool, second_factor: bool) -> None:
    """Start a server-side session for `user` in a fresh Flask session (no fixation)."""
    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language
    do_start_session(user, remember=remember, second_factor=second_factor)
    login_user(user, remember=remember, duration=lifetime(remember) if remember else None)


def init_login(app, login_manager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    # The remember cookie lives as long as the session it names may.
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(seconds=int(app.config["REMEMBER_LIFETIME_SECONDS"]))
