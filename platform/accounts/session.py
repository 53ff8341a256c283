"""Flask-Login wiring: the login cookie carries the user id and a revocable token."""
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload, lazyload

from ..extensions import db
from ..institutions.models import Institution
from .models import Membership, RegionCoordinator, User


@cache
def _user_with_workspaces() -> Select:
    """The signed-in user with their institutions and regions, in one query: every page needs them.

    Built once: assembling the loader options took longer than running the query. An
    institution's region and TERYT unit are read by a few pages only, which load them.
    """
    return select(User).where(User.id == bindparam("user_id")).options(
        joinedload(User.memberships).joinedload(Membership.institution)
        .options(lazyload(Institution.region), lazyload(Institution.teryt_unit)),
        joinedload(User.coordinated_regions).joinedload(RegionCoordinator.region))


def init_login(app, login_manager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(cookie_id: str) -> User | None:
        user_id, _, token = cookie_id.partition(":")
        if not user_id.isdigit() or not token:
            return None
        user = db.session.execute(_user_with_workspaces(), {"user_id": int(user_id)}).unique().scalar_one_or_none()
        if user is None or user.session_token != token or not user.is_active:
            return None
        return user
