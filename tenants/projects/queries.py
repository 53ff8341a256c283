"""Tenant-scoped reads of projects (the scope is applied by the tenancy module)."""
import uuid
from datetime import date

from sqlalchemy import Select, func, select

from regionet.platform.extensions import db
from regionet.platform.tenancy import get_for_tenant_or_404
from regionet.platform.ui.listing import ListQuery, Page, paginate, search_clause
from regionet.platform.ui.polish import polish_order
from regionet.tenants.partners.models import PartnerOrganisation
from regionet.tenants.support.models import Enrolment

from .catalogues import FUNDING_SOURCES
from .models import Project

PROJECT_SORTABLE = {
    "title": polish_order(Project.title), "code": Project.code, "start": Project.start_date, "end": Project.end_date,
    "budget": Project.budget_total, "source": Project.funding_source,
}
PROJECT_FILTERS = ("source", "state", "year")
# Which projects the "state" filter keeps, relative to today.
PROJECT_STATES = ("active", "finished", "planned")


def access_project(project_id: uuid.UUID) -> Project:
    return get_for_tenant_or_404(Project, project_id)


def project_by_code_for_tenant(code: str) -> Project | None:
    return db.session.execute(
        select(Project).where(func.lower(Project.code) == code.strip().lower())).scalar_one_or_none()


def _filtered(listing: ListQuery, today: date) -> Select:
    statement = select(Project)
    if listing.q:
        statement = statement.where(*search_clause(listing.q, Project.title, Project.code, Project.description))
    source = listing.filters.get("source")
    if source in FUNDING_SOURCES:
        statement = statement.where(Project.funding_source == source)
    state = listing.filters.get("state")
    if state == "active":
        statement = statement.where(Project.start_date <= today, Project.end_date >= today)
    elif state == "finished":
        statement = statement.where(Project.end_date < today)
    elif state == "planned":
        statement = statement.where(Project.start_date > today)
    year = listing.filters.get("year", "")
    if year.isdigit() and len(year) == 4:
        # Projects running at any time in that year.
        statement = statement.where(Project.start_date <= date(int(year), 12, 31),
                                    Project.end_date >= date(int(year), 1, 1))
    return statement


def projects_for_tenant(listing: ListQuery, today: date) -> Page:
    page = paginate(_filtered(listing, today), listing, PROJECT_SORTABLE, tiebreaker=Project.id)
    counts = enrolment_counts_for_tenant([p.id for p in page.items])
    for project in page.items:
        project.enrolment_count = counts.get(project.id, 0)
    return page


def all_projects_for_export(listing: ListQuery, today: date) -> list[Project]:
    column = PROJECT_SORTABLE[listing.sort]
    statement = _filtered(listing, today).order_by(column.desc() if listing.descending else column.asc(), Project.id)
    projects = list(db.session.execute(statement).scalars())
    counts = enrolment_counts_for_tenant([p.id for p in projects])
    for project in projects:
        project.enrolment_count = counts.get(project.id, 0)
    return projects


def enrolment_counts_for_tenant(project_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not project_ids:
        return {}
    return dict(db.session.execute(
        select(Enrolment.project_id, func.count()).where(Enrolment.project_id.in_(project_ids))
        .group_by(Enrolment.project_id)).all())


def partners_for_tenant() -> list[PartnerOrganisation]:
    return list(db.session.execute(select(PartnerOrganisation).order_by(polish_order(PartnerOrganisation.name))).scalars())


def partners_by_ids_for_tenant(ids: list[uuid.UUID]) -> list[PartnerOrganisation]:
    if not ids:
        return []
    return list(db.session.execute(
        select(PartnerOrganisation).where(PartnerOrganisation.id.in_(ids))).scalars())


def enrolment_date_span_for_project(project_id: uuid.UUID) -> tuple[date | None, date | None]:
    """The earliest entry and the latest entry or exit among a project's enrolments."""
    return db.session.execute(
        select(func.min(Enrolment.entry_date),
               func.max(func.coalesce(Enrolment.exit_date, Enrolment.entry_date)))
        .where(Enrolment.project_id == project_id)).one()


def project_years_for_tenant() -> list[int]:
    """The years any project runs in, for the year filter."""
    first, last = db.session.execute(select(func.min(Project.start_date), func.max(Project.end_date))).one()
    if first is None:
        return []
    return list(range(last.year, first.year - 1, -1))

