"""Reads of the services catalogue.

The ORM scope lets an institution read its own services and the published services of its region
(tenancy/sharing.py, `RegionPublished`); `access_own_service` narrows to its own for the pages
that change one.
"""
import uuid

from flask_babel import gettext as _
from sqlalchemy import Select, and_, exists, func, literal, or_, select

from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.practices.queries import counties_of_region
from regionet.platform.tenancy import get_for_tenant_or_404
from regionet.platform.tenancy.sharing import get_owned_or_404, owned_only
from regionet.platform.ui.listing import ListQuery, Page, paginate, search_clause
from regionet.platform.ui.polish import polish_order
from regionet.tenants.participants.communes import CommuneCatalogue

from .models import Service, ServiceStatus

CATALOGUE_SORTABLE = {
    "name": Service.name_key,
    "institution": (polish_order(Institution.short_name), Service.name_key),
    "type": Service.service_type,
    "updated": Service.updated_at,
}
CATALOGUE_FILTERS = ("type", "area", "kind", "accepts", "institution")


def access_own_service(service_id: uuid.UUID) -> Service:
    return get_owned_or_404(Service, service_id)


def access_service(service_id: uuid.UUID) -> Service:
    """A service the institution may read: its own, or one published in its region."""
    return get_for_tenant_or_404(Service, service_id)


def area_choices(region_code: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group, [(code, label)]): the region's counties, then each county's communes."""
    groups = [(_("Counties"), [(code, f"powiat {name}") for code, name in counties_of_region(db.session.execute,
                                                                                       region_code)])]
    groups += list(CommuneCatalogue.for_region(region_code).grouped_choices().items())
    return groups


def area_names(region_code: str) -> dict[str, str]:
    return {code: label for _group, choices in area_choices(region_code) for code, label in choices}


def _covers(area_code: str):
    """The service's area reaches `area_code`: no area (the whole region), the same unit, a county
    holding the commune, or a commune of the county asked for."""
    unit = func.unnest(Service.area_codes).table_valued("code").render_derived()
    return or_(func.cardinality(Service.area_codes) == 0,
               exists(select(literal(1)).select_from(unit).where(or_(
                   unit.c.code == area_code,
                   literal(area_code).startswith(unit.c.code),
                   unit.c.code.startswith(area_code)))))


def catalogue_statement(listing: ListQuery) -> Select:
    statement = (select(Service, Institution).join(Institution, Institution.id == Service.tenant_id)
                 .where(Service.published.is_(True), Service.status != ServiceStatus.DEFUNCT))
    statement = statement.where(*search_clause(listing.q, Service.name, Service.description,
                                               Service.eligibility_description, Institution.short_name))
    chosen = listing.filters
    if chosen.get("type"):
        statement = statement.where(Service.service_type == chosen["type"])
    if chosen.get("kind"):
        statement = statement.where(Institution.kind == chosen["kind"])
    if chosen.get("area", "").isdigit():
        statement = statement.where(_covers(chosen["area"]))
    if chosen.get("accepts") == "yes":
        statement = statement.where(Service.accepts_referrals.is_(True), Service.status == ServiceStatus.ACTIVE)
    if chosen.get("institution", "").isdigit():
        statement = statement.where(Service.tenant_id == int(chosen["institution"]))
    return statement


def catalogue_for_tenant(listing: ListQuery) -> Page:
    return paginate(catalogue_statement(listing), listing, CATALOGUE_SORTABLE, tiebreaker=Service.id,
                    scalars=False)


def own_services_for_tenant() -> list[Service]:
    return list(db.session.execute(select(Service).where(owned_only(Service))
                                   .order_by(Service.name_key, Service.id)).scalars())


def institutions_of_catalogue() -> list[tuple[int, str]]:
    """Institutions with a published service the current one sees (for the filter)."""
    rows = db.session.execute(
        select(Institution.id, Institution.short_name).where(exists(select(Service.id).where(
            and_(Service.tenant_id == Institution.id, Service.published.is_(True)))))
        .order_by(polish_order(Institution.short_name))).all()
    return [(str(i), name) for i, name in rows]


def published_services_of_region() -> list[tuple[Service, Institution]]:
    """Every published service the institution sees, with its institution (the HSDS export)."""
    return list(db.session.execute(
        select(Service, Institution).join(Institution, Institution.id == Service.tenant_id)
        .where(Service.published.is_(True)).order_by(Institution.id, Service.name_key, Service.id)).all())
