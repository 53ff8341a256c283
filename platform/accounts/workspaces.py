"""Where a signed-in user can work: their institutions, their regions, the operator console."""
from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l

from ..institutions.labels import KIND_SHORT
from ..ui.polish import sort_key
from .models import MembershipRole, User

ROLE_LABELS = {
    MembershipRole.ADMIN: _l("Institution administrator"),
    MembershipRole.STAFF: _l("Staff member"),
    MembershipRole.READONLY: _l("Read-only access"),
    MembershipRole.IOD: _l("Data-protection officer"),
}


@dataclass(frozen=True)
class Workspace:
    kind: str       # "institution", "region" or "operator"
    key: str        # slug or region code
    name: str
    detail: str
    url: str


def workspaces_for(user: User) -> list[Workspace]:
    places = [
        Workspace("institution", m.institution.slug, m.institution.name,
                  f"{KIND_SHORT[m.institution.kind]} · {ROLE_LABELS[m.role]}",
                  url_for("tenant_home.home", tenant=m.institution.slug))
        for m in sorted(user.memberships, key=lambda m: sort_key(m.institution.name))
        if m.is_active
    ]
    places += [
        Workspace("region", c.region.slug, c.region.name, str(_l("Regional coordinator")),
                  url_for("coordinator.home", region=c.region.slug))
        for c in user.coordinated_regions
    ]
    if user.is_operator:
        places.append(Workspace("operator", "operator", str(_l("Platform operations")),
                                str(_l("Platform operator")), url_for("operator.home")))
    return places
