"""Tenant-scoped reads of reports (the scope is applied by the tenancy module)."""
import uuid

from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.tenancy import get_for_tenant_or_404

from .models import InstitutionReport, ReportKind, RunStatus


def access_report(report_id: uuid.UUID) -> InstitutionReport:
    return get_for_tenant_or_404(InstitutionReport, report_id)


def get_report_for_tenant(report_id: uuid.UUID) -> InstitutionReport | None:
    return db.session.execute(
        select(InstitutionReport).where(InstitutionReport.id == report_id)).scalar_one_or_none()


def reports_for_tenant(limit: int = 50) -> list[InstitutionReport]:
    return list(db.session.execute(
        select(InstitutionReport).order_by(InstitutionReport.requested_at.desc()).limit(limit)).scalars())


def open_summary_for_tenant() -> InstitutionReport | None:
    return db.session.execute(
        select(InstitutionReport).where(
            InstitutionReport.kind == ReportKind.INSTITUTION_SUMMARY,
            InstitutionReport.status.in_([RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.RETRYING]),
        ).limit(1)).scalar_one_or_none()
