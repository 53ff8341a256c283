"""Writes of the coordinator: opening reporting periods, deciding on submissions.

They go through the application's session (the runtime role); a decision on an
institution's submission runs in that institution's tenant scope, as the submission is
the institution's record.
"""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from uuid6 import uuid7

from ..accounts.models import User
from ..extensions import db
from ..institutions.models import Institution
from ..regions.models import Region
from ..tenancy import tenant_scope
from ..validation import ValidationFailed, unique_or_error
from .models import ReportingPeriod
from .periods import reporting_key
from .refresh import request_full_refresh


def do_open_period(region: Region, name: str, start: date, end: date, due: date | None,
                   user: User) -> ReportingPeriod:
    """Open a reporting period for every active institution of the region."""
    from regionet.tenants.periods.services import do_open_submission

    name = (name or "").strip()
    if not name:
        raise ValidationFailed.single("name", _("Give the period a name, e.g. “First half-year 2026”."))
    if end < start:
        raise ValidationFailed.single("end_date", _("The last day cannot be before the first day."))
    duplicate = db.session.execute(select(ReportingPeriod.id).where(
        ReportingPeriod.region_code == region.teryt_code, ReportingPeriod.start_date == start,
        ReportingPeriod.end_date == end)).first()
    if duplicate:
        raise ValidationFailed.single("start_date", _("A reporting period with these dates is already open."))
    period_id = uuid7()
    period = ReportingPeriod(id=period_id, region_code=region.teryt_code, period_key=reporting_key(period_id),
                             name=name, start_date=start, end_date=end, due_date=due, created_by_id=user.id)
    db.session.add(period)
    with unique_or_error({"uq_reporting_periods_dates": (
            "start_date", lambda: _("A reporting period with these dates is already open."))}):
        db.session.flush()
    institutions = db.session.execute(select(Institution.id).where(
        Institution.region_code == region.teryt_code, Institution.is_active.is_(True))).scalars().all()
    for institution_id in institutions:
        with tenant_scope(institution_id):
            do_open_submission(period, user)
    db.session.commit()
    request_full_refresh(region.teryt_code)
    return period


def do_decide(region: Region, period_id, institution_id: int, user: User, accept: bool, comment: str | None) -> None:
    """Accept or return an institution's submission (404-equivalent LookupError when not in the region)."""
    from regionet.tenants.periods.queries import submission_for_period
    from regionet.tenants.periods.services import do_accept, do_return

    institution = db.session.get(Institution, institution_id)
    if institution is None or institution.region_code != region.teryt_code:
        raise LookupError(institution_id)
    with tenant_scope(institution_id):
        submission = submission_for_period(period_id, for_update=True)
        if submission is None or submission.period.region_code != region.teryt_code:
            raise LookupError(period_id)
        if accept:
            do_accept(submission, user, comment)
        else:
            do_return(submission, user, comment)
