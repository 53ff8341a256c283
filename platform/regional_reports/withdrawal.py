"""Built reports that show a photo whose consent is gone: withdrawn, and built again without it.

When an institution takes a person's photos out (tenants/privacy/photos.py), every regional report
already built whose PDF printed one of them (the practice's first photo, matched on the sha256 the
report's dataset recorded for the submission's photo) loses its PDF and says why; its download
answers 410. A report of such data still queued or being built is withdrawn too, and cancelled: a
build under way then stores no PDF (services.do_finish_regional_report). A fresh report of the same region and period is then requested by a job (trigger
`withdrawal`): the request collects figures across the region's institutions, which the
institution's own transaction (its tenant scope) could not, so it runs in a worker, as the
quarterly schedule's does. The job is queued once the institution's transaction commits.

The institution's request writes the region's rows as it writes the region's copies of its photos
(SubmissionPhoto): through the runtime role's region-level policy, no wider right.
"""
import logging
import uuid
from datetime import UTC, datetime, timedelta

from redis.exceptions import RedisError
from rq import Retry
from rq.exceptions import DuplicateJobError
from sqlalchemy import case, event, func, select, text, update
from sqlalchemy.orm import Session, undefer

from regionet.workers.queues import QUEUED_TTL, REPORTS, get_queue, job_id

from ..extensions import db
from ..regions.models import Region
from .models import RegionalReport, ReportTrigger, RunStatus
from .pdf import PHOTOS_SHOWN
from .periods import ReportPeriod

log = logging.getLogger(__name__)

PHOTO_CONSENT_WITHDRAWN = "photo_consent_withdrawn"
REBUILD_JOB = "regionet.workers.jobs.regional_report.rebuild_withdrawn_report"
_PENDING = "regional_reports.rebuild_after_commit"
REBUILD_GRACE = timedelta(minutes=2)   # the after-commit job has had its chance by then

# Reports whose dataset lists, for one of the submissions, a photo of one of the digests ({shown}: among the
# photos the PDF prints; {still_used}: only reports in use).
_LISTING = """
SELECT r.id FROM regional_reports r
WHERE {still_used}
  r.region_code IN (SELECT s.region_code FROM practice_submissions s WHERE s.id = ANY(CAST(:ids AS uuid[])))
  AND EXISTS (
    SELECT 1 FROM json_array_elements(r.dataset -> 'practices') AS p(practice),
         json_array_elements(CASE WHEN json_typeof(p.practice -> 'content' -> 'photos') = 'array'
                                  THEN p.practice -> 'content' -> 'photos' ELSE '[]'::json END)
           WITH ORDINALITY AS ph(item, n)
    WHERE p.practice ->> 'submission_id' = ANY(:submissions) AND {shown}
      AND ph.item ->> 'sha256' = ANY(:digests))
ORDER BY r.id
"""
_SHOWING = text(_LISTING.format(
    still_used="r.status IN ('done', 'queued', 'running', 'retrying') AND r.withdrawn_at IS NULL AND",
    shown="ph.n <= :shown"))
_NAMING = text(_LISTING.format(still_used="", shown="true"))


def do_withdraw_reports_showing(submission_ids: list[uuid.UUID], digests: set[str]) -> list[uuid.UUID]:
    """Withdraw the built reports that print one of these photos of these submissions; their rebuild
    is queued when the caller commits. Returns the withdrawn reports' ids."""
    if not submission_ids or not digests:
        return []
    params = {"ids": [str(i) for i in submission_ids], "submissions": [str(i) for i in submission_ids],
              "digests": sorted(digests)}
    found = list(db.session.execute(_SHOWING, {**params, "shown": PHOTOS_SHOWN}).scalars())
    _forget_photos(list(db.session.execute(_NAMING, params).scalars()), {str(i) for i in submission_ids}, digests)
    if found:
        now, done = datetime.now(UTC), RegionalReport.status == RunStatus.DONE
        db.session.execute(update(RegionalReport).where(RegionalReport.id.in_(found)).values(
            pdf=None, withdrawn_at=now, withdrawn_reason=PHOTO_CONSENT_WITHDRAWN,
            status=case((done, RunStatus.DONE), else_=RunStatus.CANCELLED),
            finished_at=func.coalesce(RegionalReport.finished_at, now))
            .execution_options(synchronize_session=False))
        db.session.info.setdefault(_PENDING, []).extend(found)
    return found


def _forget_photos(report_ids: list[uuid.UUID], submissions: set[str], digests: set[str]) -> None:
    """Every report's stored data (built, withdrawn, or one whose PDF never printed the photo) drops the photos'
    entries: their captions may describe the person. The rest of the data stays as it was built."""
    for report in db.session.execute(select(RegionalReport).options(undefer(RegionalReport.dataset))
                                     .where(RegionalReport.id.in_(report_ids))).scalars():
        practices = []
        for practice in report.dataset.get("practices", []):
            content = practice.get("content") or {}
            if practice.get("submission_id") in submissions and isinstance(content.get("photos"), list):
                kept = [item for item in content["photos"] if item.get("sha256") not in digests]
                practice = {**practice, "content": {**content, "photos": kept}}
            practices.append(practice)
        report.dataset = {**report.dataset, "practices": practices}


def rebuild_job_id(report_id: uuid.UUID) -> str:
    return job_id(f"regional-rebuild-{report_id}")


def enqueue_rebuild(report_id: uuid.UUID) -> bool:
    """Queue the request of a fresh report in place of a withdrawn one; False if Redis is away (the
    row stays withdrawn and says so, and the workers' minute reconciliation queues it again:
    `do_requeue_missing_rebuilds`)."""
    try:
        get_queue(REPORTS).enqueue(REBUILD_JOB, str(report_id), job_id=rebuild_job_id(report_id), unique=True,
                                   retry=Retry(max=3, interval=[10, 30, 60]), ttl=QUEUED_TTL,
                                   result_ttl=24 * 3600, failure_ttl=30 * 24 * 3600,
                                   description=f"rebuild of withdrawn regional report {report_id}")
    except DuplicateJobError:
        return True   # queued already, not run yet
    except RedisError as error:   # the withdrawal itself stands
        log.warning("could not queue the rebuild of regional report %s (%s); the reconciliation will",
                    report_id, type(error).__name__)
        return False
    return True


def do_requeue_missing_rebuilds() -> int:
    """Withdrawn reports that no rebuild has replaced a while after their withdrawal (its job never queued, or
    lost with Redis's data) get their rebuild queued again; the job is idempotent. Returns how many."""
    waiting = db.session.execute(select(RegionalReport.id).where(
        RegionalReport.withdrawn_at.is_not(None), RegionalReport.replaced_by_id.is_(None),
        RegionalReport.withdrawn_at < datetime.now(UTC) - REBUILD_GRACE)).scalars().all()
    return sum(enqueue_rebuild(report_id) for report_id in waiting)


@event.listens_for(Session, "after_commit")
def _rebuild_after_commit(session) -> None:
    for report_id in session.info.pop(_PENDING, None) or ():
        enqueue_rebuild(report_id)


@event.listens_for(Session, "after_rollback")
def _forget_rebuilds(session) -> None:
    session.info.pop(_PENDING, None)


def do_request_rebuild(report_id: uuid.UUID) -> RegionalReport | None:
    """The job's work (no tenant): request the same region and period again, from today's data."""
    from .services import do_request_regional_report

    withdrawn = db.session.get(RegionalReport, report_id)
    if withdrawn is None or withdrawn.withdrawn_at is None:
        return None
    if withdrawn.replaced_by_id is not None:   # a second delivery of the job
        return db.session.get(RegionalReport, withdrawn.replaced_by_id)
    stated = withdrawn.dataset["period"]
    period = ReportPeriod(key=stated["key"], start=withdrawn.period_start, end=withdrawn.period_end,
                          label=withdrawn.period_label)
    region = db.session.get(Region, withdrawn.region_code)
    report, _created = do_request_regional_report(region, period, trigger=ReportTrigger.WITHDRAWAL)
    withdrawn.replaced_by_id = report.id
    db.session.commit()
    return report
