"""Entering an institution from the URL: /i/<tenant>/...

Every institution page is served by a TenantBlueprint. Before any view runs, the
slug is resolved, the signed-in user's membership is checked and the tenant scope
is activated. A user without a membership gets 404, exactly as for an institution
that does not exist, so the URL space reveals nothing about other tenants.
"""
from functools import wraps

from flask import Blueprint, abort, current_app, g, request
from flask_login import current_user, login_required

from ..accounts.models import MembershipRole
from ..extensions import login_manager
from ..institutions.models import Institution
from .context import activate_tenant

TENANT_PREFIX = "/i/<tenant>"


class TenantBlueprint(Blueprint):
    """A blueprint whose every route lives inside one institution."""

    def __init__(self, name: str, import_name: str, url_prefix: str = "", **kwargs):
        super().__init__(name, import_name, url_prefix=TENANT_PREFIX + url_prefix, **kwargs)
        self.url_value_preprocessor(_pull_tenant_slug)
        self.url_defaults(_add_tenant_slug)
        self.before_request(_enter_tenant)


def _pull_tenant_slug(endpoint, values) -> None:
    g.tenant_slug = values.pop("tenant", None) if values else None


def _add_tenant_slug(endpoint, values) -> None:
    if "tenant" not in values and getattr(g, "institution", None) is not None:
        values["tenant"] = g.institution.slug


def _enter_tenant():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    # The user's memberships come with their institutions (loaded with the user): a slug the
    # user has no membership in is a 404, whether the institution exists or not.
    membership = next((m for m in current_user.memberships
                       if m.institution.slug == g.tenant_slug and m.is_active), None)
    if membership is None:
        abort(404)
    # The data-protection officer sees the trail and the requests, never the participants' files.
    if membership.role is MembershipRole.IOD and not getattr(current_app.view_functions.get(request.endpoint),
                                                             "open_to_privacy_officer", False):
        abort(403)
    institution = membership.institution
    g.institution = institution
    g.membership = membership
    activate_tenant(institution.id)


def current_institution() -> Institution:
    return g.institution


def require_role(*roles: MembershipRole):
    """Allow a view to members holding one of `roles` (read-only members get 403)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if g.membership.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


require_writer = require_role(MembershipRole.ADMIN, MembershipRole.STAFF)
require_admin = require_role(MembershipRole.ADMIN)
require_privacy_officer = require_role(MembershipRole.ADMIN, MembershipRole.IOD)


def open_to_privacy_officer(view):
    """Let the data-protection officer (role `iod`) reach this page; every other page answers 403."""
    view.open_to_privacy_officer = True
    return view


def sees_special_categories() -> bool:
    """Whether the member may read special-category answers (their admin granted it)."""
    membership = g.get("membership")
    return bool(membership is not None and membership.special_categories)
