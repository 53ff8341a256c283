"""Tenant-scoped reads of practices (the scope is applied by the tenancy module)."""
import uuid

from sqlalchemy import func, select

from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.tenancy import get_for_tenant_or_404
from regionet.platform.ui.polish import polish_order
from regionet.tenants.partners.models import PartnerOrganisation
from regionet.tenants.projects.models import Project

from .models import Practice, PracticePhoto, PracticeVersion


def access_practice(practice_id: uuid.UUID) -> Practice:
    return get_for_tenant_or_404(Practice, practice_id)


def access_version(version_id: uuid.UUID) -> PracticeVersion:
    return get_for_tenant_or_404(PracticeVersion, version_id)


def access_photo(photo_id: uuid.UUID) -> PracticePhoto:
    return get_for_tenant_or_404(PracticePhoto, photo_id)


def practices_for_tenant() -> list[Practice]:
    latest = select(func.max(PracticeVersion.updated_at)).where(
        PracticeVersion.practice_id == Practice.id).scalar_subquery()
    return list(db.session.execute(select(Practice).order_by(latest.desc(), Practice.created_at.desc())).scalars())


def projects_for_tenant() -> list[Project]:
    return list(db.session.execute(select(Project).order_by(Project.start_date.desc(), polish_order(Project.title))).scalars())


def project_for_tenant(project_id: uuid.UUID) -> Project | None:
    return db.session.execute(select(Project).where(Project.id == project_id)).scalar_one_or_none()


def partners_for_tenant() -> list[PartnerOrganisation]:
    return list(db.session.execute(select(PartnerOrganisation).order_by(polish_order(PartnerOrganisation.name))).scalars())


def partner_for_tenant(partner_id: uuid.UUID) -> PartnerOrganisation | None:
    return db.session.execute(
        select(PartnerOrganisation).where(PartnerOrganisation.id == partner_id)).scalar_one_or_none()


def other_institutions_of_region(institution: Institution) -> list[Institution]:
    """Institutions a practice may name as partners (platform rows, not tenant data)."""
    return list(db.session.execute(
        select(Institution).where(Institution.region_code == institution.region_code,
                                  Institution.id != institution.id, Institution.is_active.is_(True))
        .order_by(polish_order(Institution.name))).scalars())
