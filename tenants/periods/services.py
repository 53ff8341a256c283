"""Writes for reporting-period submissions: the one place their state changes.

The institution submits (its figures for the period are rebuilt from its records and
frozen); the coordinator accepts them or returns them with a comment (the figures follow
the records again until the next submission). Accepted figures are final unless the
coordinator reopens them, which is a return with its reason. Every change is an event: who,
in which role, when, and the comment. The coordinator's actions run in the
institution's tenant scope (the submission is the institution's record).
"""
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from regionet.platform.accounts.models import User
from regionet.platform.coordinator.models import ReportingPeriod
from regionet.platform.coordinator.refresh import (
    request_region_refresh,
    request_tenant_refresh,
)
from regionet.platform.extensions import db
from regionet.platform.tenancy import current_tenant_id
from regionet.platform.validation import ValidationFailed
from regionet.tenants.figures.facts import do_rewrite_period, institution_figures

from .models import (
    PeriodSubmission,
    SubmissionAction,
    SubmissionEvent,
    SubmissionStatus,
)
from .queries import period_of

INSTITUTION = "institution"
COORDINATOR = "coordinator"
COMMENT_MAX = 2000


def _event(submission: PeriodSubmission, action: SubmissionAction, user: User | None, role: str,
           comment: str | None = None) -> None:
    submission.events.append(SubmissionEvent(
        action=action, actor_id=user.id if user else None, actor_name=user.full_name if user else "", actor_role=role,
        comment=comment, at=datetime.now(UTC)))


def do_open_submission(period: ReportingPeriod, opened_by: User | None) -> PeriodSubmission:
    """The current institution's submission for `period` (created, with its event, if missing)."""
    from .queries import submission_for_period

    existing = submission_for_period(period.id)
    if existing is not None:
        return existing
    submission = PeriodSubmission(period_id=period.id, status=SubmissionStatus.OPEN)
    submission.period = period
    db.session.add(submission)
    _event(submission, SubmissionAction.OPENED, opened_by, COORDINATOR)
    db.session.flush()
    return submission


def do_ensure_submissions(region_code: str) -> None:
    """Give the current institution a submission for every reporting period of its region."""
    periods = db.session.execute(select(ReportingPeriod).where(ReportingPeriod.region_code == region_code)).scalars()
    for period in periods:
        opener = db.session.get(User, period.created_by_id) if period.created_by_id else None
        do_open_submission(period, opener)
    db.session.commit()


def do_submit(submission: PeriodSubmission, user: User) -> None:
    if submission.status not in (SubmissionStatus.OPEN, SubmissionStatus.RETURNED):
        raise ValidationFailed.single("status", _("These figures have already been submitted."))
    period = period_of(submission)
    do_rewrite_period(period)
    submission.figures = institution_figures(period, stored=True).as_json()
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = datetime.now(UTC)
    _event(submission, SubmissionAction.SUBMITTED, user, INSTITUTION)
    db.session.commit()
    request_region_refresh(submission.period.region_code)


def _clean_comment(comment: str | None, required: bool) -> str | None:
    comment = (comment or "").strip()
    if required and not comment:
        raise ValidationFailed.single("comment", _("Say what the institution should correct."))
    if len(comment) > COMMENT_MAX:
        raise ValidationFailed.single("comment", _("The comment may have at most %(n)s characters.", n=COMMENT_MAX))
    return comment or None


def do_accept(submission: PeriodSubmission, user: User, comment: str | None = None) -> None:
    comment = _clean_comment(comment, required=False)
    if submission.status is not SubmissionStatus.SUBMITTED:
        raise ValidationFailed.single("status", _("Only submitted figures can be accepted."))
    submission.status = SubmissionStatus.ACCEPTED
    submission.decided_at = datetime.now(UTC)
    submission.comment = comment
    _event(submission, SubmissionAction.ACCEPTED, user, COORDINATOR, comment)
    db.session.commit()
    request_region_refresh(submission.period.region_code)


def do_return(submission: PeriodSubmission, user: User, comment: str | None) -> None:
    """Send submitted figures back, or reopen accepted ones (a mistake found later): either way
    the comment says why, the history keeps the acceptance, and the institution submits again."""
    comment = _clean_comment(comment, required=True)
    if not submission.status.is_frozen:
        raise ValidationFailed.single("status", _("Only submitted or accepted figures can be returned."))
    submission.status = SubmissionStatus.RETURNED
    submission.decided_at = datetime.now(UTC)
    submission.comment = comment
    _event(submission, SubmissionAction.RETURNED, user, COORDINATOR, comment)
    db.session.commit()
    # No longer frozen: the facts follow the records again (and then the region's figures).
    request_tenant_refresh(current_tenant_id())

