"""Tenant-scoped reads of an institution's reporting-period submissions."""
import uuid

from sqlalchemy import select

from regionet.platform.coordinator.models import ReportingPeriod
from regionet.platform.coordinator.periods import Period
from regionet.platform.extensions import db
from regionet.platform.tenancy import get_for_tenant_or_404

from .models import PeriodSubmission, SubmissionStatus


def access_submission(submission_id: uuid.UUID) -> PeriodSubmission:
    return get_for_tenant_or_404(PeriodSubmission, submission_id)


def submissions_for_tenant() -> list[PeriodSubmission]:
    return list(db.session.execute(
        select(PeriodSubmission).join(ReportingPeriod, ReportingPeriod.id == PeriodSubmission.period_id)
        .order_by(ReportingPeriod.start_date.desc(), ReportingPeriod.name)).scalars())


def submission_for_period(period_id: uuid.UUID, for_update: bool = False) -> PeriodSubmission | None:
    statement = select(PeriodSubmission).where(PeriodSubmission.period_id == period_id)
    if for_update:
        statement = statement.with_for_update(of=PeriodSubmission)
    return db.session.execute(statement).scalar_one_or_none()


def frozen_period_keys() -> set[str]:
    """Keys of the reporting periods whose figures this institution has submitted (or had accepted)."""
    return set(db.session.execute(
        select(ReportingPeriod.period_key).join(PeriodSubmission, PeriodSubmission.period_id == ReportingPeriod.id)
        .where(PeriodSubmission.status.in_([s for s in SubmissionStatus if s.is_frozen]))).scalars())


def period_of(submission: PeriodSubmission) -> Period:
    rp = submission.period
    return Period(rp.period_key, rp.start_date, rp.end_date, "reporting", rp.name)
