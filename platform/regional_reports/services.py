"""Writes for regional reports: request (collect, hash, queue), the job's state machine, retry.

State machine of a report row: queued → running → done, or → retrying → running … →
failed. The row is claimed under a row lock, and the PDF is written together with the
`done` status in one transaction, so a worker that dies mid-build leaves no file, and a
second delivery of a finished job changes nothing.
"""
import hashlib
import uuid
from datetime import UTC, datetime

from flask import current_app
from flask_babel import force_locale
from redis.exceptions import RedisError
from rq import Callback, Retry
from rq.exceptions import DuplicateJobError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from regionet.workers.queues import QUEUED_TTL, REPORTS, get_queue, job_id
from regionet.workers.reconcile import do_cancel_run, stuck_reason

from ..coordinator.disclosure import RegionRules
from ..extensions import db
from ..regions.models import Region
from .dataset import collect_regional_dataset, dataset_sha256
from .models import RegionalReport, RegionalReportKind, ReportTrigger, RunStatus
from .periods import ReportPeriod

REGIONAL_JOB = "regionet.workers.jobs.regional_report.build_regional_report"
REGIONAL_FAILURE_CALLBACK = "regionet.workers.jobs.regional_report.on_regional_failure"


def job_id_for(region_code: str, kind: RegionalReportKind, data_sha256: str) -> str:
    """Deterministic: the region, the kind of report and the hash of its data (RQ allows [A-Za-z0-9_-])."""
    return job_id(f"regional-{kind.value}-{region_code}-{data_sha256[:40]}")


def find_report(region_code: str, kind: RegionalReportKind, data_sha256: str) -> RegionalReport | None:
    return db.session.execute(select(RegionalReport).where(
        RegionalReport.region_code == region_code, RegionalReport.kind == kind,
        RegionalReport.data_sha256 == data_sha256)).scalar_one_or_none()


def do_request_regional_report(region: Region, period: ReportPeriod, *, trigger: ReportTrigger, user=None,
                               enqueue: bool = True) -> tuple[RegionalReport, bool]:
    """Collect the data and queue its report; (report, created). The same data finds the same report."""
    kind = RegionalReportKind.CATALOGUE
    dataset = collect_regional_dataset(region, period)
    data_sha256 = dataset_sha256(dataset)
    existing = find_report(region.teryt_code, kind, data_sha256)
    if existing is not None:
        db.session.commit()   # the catalogue's refreshed figures
        if enqueue and existing.status in (RunStatus.FAILED, RunStatus.CANCELLED):
            do_retry_regional_report(existing)
        return existing, False
    with force_locale("pl"):
        rule_text = RegionRules.for_region(region).normal.text()
    report = RegionalReport(
        region_code=region.teryt_code, kind=kind, status=RunStatus.QUEUED, progress=0, attempts=0,
        job_id=job_id_for(region.teryt_code, kind, data_sha256), trigger=trigger, data_sha256=data_sha256,
        dataset=dataset, data_taken_at=datetime.now(UTC), period_label=period.label, period_start=period.start,
        period_end=period.end, period_sign_off=dataset["period"]["sign_off"]["label"][:60],
        practice_count=len(dataset["practices"]), suppression_rule=rule_text[:300],
        requested_by_id=user.id if user is not None else None,
        requested_by_name=user.full_name if user is not None else None)
    db.session.add(report)
    try:
        db.session.commit()
    except IntegrityError:   # the same request at the same moment: that one wins
        db.session.rollback()
        return find_report(region.teryt_code, kind, data_sha256), False
    if enqueue:
        enqueue_regional_report(report)
    return report, True


def enqueue_regional_report(report: RegionalReport) -> None:
    config = current_app.config
    try:
        get_queue(REPORTS).enqueue(
            config.get("REGIONAL_REPORT_JOB", REGIONAL_JOB), str(report.id),
            job_id=report.job_id, unique=True,
            retry=Retry(max=3, interval=list(config.get("REPORT_RETRY_INTERVALS", (10, 30, 60)))),
            job_timeout=config["REPORT_JOB_TIMEOUT"], ttl=QUEUED_TTL, result_ttl=24 * 3600, failure_ttl=30 * 24 * 3600,
            on_failure=Callback(REGIONAL_FAILURE_CALLBACK),
            meta={"region_code": report.region_code, "report_id": str(report.id)},
            description=f"regional report {report.kind.value} {report.region_code} {report.period_label}")
    except DuplicateJobError:
        pass   # the same job is already on its way: it builds this report once
    except RedisError as error:   # nothing is lost: the report shows why, with its retry button
        do_record_regional_failure(report.id, f"The job queue is unavailable ({type(error).__name__}).", False)


def do_retry_regional_report(report: RegionalReport) -> None:
    """The retry button: the same report, a new job (its id says which manual retry it is)."""
    base = job_id_for(report.region_code, report.kind, report.data_sha256)
    report.status, report.progress, report.error_detail, report.finished_at = RunStatus.QUEUED, 0, None, None
    report.job_id = f"{base}-r{report.attempts}"
    report.requested_at = datetime.now(UTC)
    db.session.commit()
    enqueue_regional_report(report)


def do_cancel_regional_report(report: RegionalReport) -> bool:
    """The cancel button: the report will not be built (a run already under way finds it cancelled)."""
    return do_cancel_run(report)


def do_claim_regional_report(report_id: uuid.UUID) -> RegionalReport | None:
    """Start an attempt; None when the report is already done (a duplicate delivery) or cancelled."""
    report = db.session.execute(select(RegionalReport).where(RegionalReport.id == report_id)
                                .with_for_update()).scalar_one_or_none()
    if report is None:
        db.session.rollback()
        raise LookupError(f"regional report {report_id} not found")
    if report.status in (RunStatus.DONE, RunStatus.CANCELLED):
        db.session.rollback()
        return None
    report.status, report.progress, report.error_detail = RunStatus.RUNNING, 0, None
    report.attempts += 1
    report.started_at = datetime.now(UTC)
    db.session.commit()
    return report


def do_set_regional_progress(report: RegionalReport, percent: int) -> None:
    report.progress = max(0, min(100, int(percent)))
    db.session.commit()


def do_finish_regional_report(report_id: uuid.UUID, pdf: bytes, pages: int) -> bool:
    """Store the PDF and `done` together (one transaction); False if another attempt finished first."""
    report = db.session.execute(select(RegionalReport).where(RegionalReport.id == report_id)
                                .with_for_update()).scalar_one()
    if report.status in (RunStatus.DONE, RunStatus.CANCELLED):
        db.session.rollback()
        return False
    report.pdf, report.page_count, report.size_bytes = pdf, pages, len(pdf)
    report.sha256 = hashlib.sha256(pdf).hexdigest()
    report.file_name = f"katalog-dobrych-praktyk-{report.region_code}-{report.period_start:%Y%m%d}-" \
                       f"{report.data_sha256[:8]}.pdf"
    report.status, report.progress, report.error_detail = RunStatus.DONE, 100, None
    report.finished_at = datetime.now(UTC)
    db.session.commit()
    return True


def do_record_regional_failure(report_id: uuid.UUID, reason: str, will_retry: bool) -> None:
    report = db.session.get(RegionalReport, report_id)
    if report is None or report.status in (RunStatus.DONE, RunStatus.CANCELLED):
        return
    report.status = RunStatus.RETRYING if will_retry else RunStatus.FAILED
    report.error_detail = reason[:2000]
    if not will_retry:
        report.finished_at = datetime.now(UTC)
    db.session.commit()


def do_reconcile_with_queue(report: RegionalReport) -> None:
    """Make an unfinished row tell the truth when its job is gone or RQ already gave up on it
    (workers/reconcile.py); when Redis is down the row keeps its stored state."""
    if report.status.is_finished:
        return
    found = stuck_reason(report.job_id, report.started_at or report.requested_at,
                         running=report.status is RunStatus.RUNNING)
    if found is not None:
        do_record_regional_failure(report.id, *found)
