"""Writes for an institution's reports: request, progress, completion, failure."""
import hashlib
import re
from datetime import UTC, datetime

from redis.exceptions import RedisError
from rq import Callback
from rq.exceptions import DuplicateJobError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from regionet.platform.extensions import db
from regionet.workers.queues import QUEUED_TTL, REPORT_RETRY, REPORTS, get_queue, job_id
from regionet.workers.reconcile import do_cancel_run, stuck_reason

from .models import InstitutionReport, ReportKind, RunStatus
from .queries import open_summary_for_tenant

SUMMARY_JOB = "regionet.workers.jobs.institution_summary.build_institution_summary"
REPORT_FAILURE_CALLBACK = "regionet.workers.jobs.institution_reports.on_report_failure"
PROJECTS_JOB = "regionet.workers.jobs.institution_projects.build_institution_projects"
JOBS = {ReportKind.INSTITUTION_SUMMARY: SUMMARY_JOB, ReportKind.INSTITUTION_PROJECTS: PROJECTS_JOB}


def do_request_summary(tenant_id: int, user_id: int, job_timeout: int) -> InstitutionReport:
    """Queue a summary PDF; while one is queued or running, that one is returned instead."""
    existing = open_summary_for_tenant()
    if existing is not None:
        return existing
    report = InstitutionReport(kind=ReportKind.INSTITUTION_SUMMARY, status=RunStatus.QUEUED,
                               requested_by_id=user_id, job_id="")
    db.session.add(report)
    db.session.flush()
    report.job_id = InstitutionReport.job_id_for(tenant_id, report.id)
    db.session.commit()
    _enqueue(report, tenant_id, job_timeout)
    return report


def do_request_projects_report(institution, user_id: int, job_timeout: int) -> tuple[InstitutionReport, bool]:
    """Collect the project report's data and queue it; the same data finds the same report."""
    from regionet.platform.regional_reports.dataset import dataset_sha256

    from .projects_report import collect_projects_dataset

    dataset = collect_projects_dataset(institution)
    data_sha256 = dataset_sha256(dataset)
    existing = db.session.execute(select(InstitutionReport).where(
        InstitutionReport.kind == ReportKind.INSTITUTION_PROJECTS,
        InstitutionReport.data_sha256 == data_sha256)).scalar_one_or_none()
    if existing is not None:
        if existing.status in (RunStatus.FAILED, RunStatus.CANCELLED):
            do_retry_report(existing, institution.id, job_timeout)
        return existing, False
    report = InstitutionReport(kind=ReportKind.INSTITUTION_PROJECTS, status=RunStatus.QUEUED,
                               requested_by_id=user_id, data_sha256=data_sha256, dataset=dataset,
                               job_id=job_id(f"institution-projects-{institution.id}-{data_sha256[:40]}"))
    db.session.add(report)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return db.session.execute(select(InstitutionReport).where(
            InstitutionReport.kind == ReportKind.INSTITUTION_PROJECTS,
            InstitutionReport.data_sha256 == data_sha256)).scalar_one(), False
    _enqueue(report, institution.id, job_timeout, job=PROJECTS_JOB)
    return report, True


def do_retry_report(report: InstitutionReport, tenant_id: int, job_timeout: int) -> None:
    """The retry button: the same report, a new job (its id says which manual retry it is)."""
    report.status = RunStatus.QUEUED
    report.progress = 0
    report.error_detail = None
    report.requested_at = datetime.now(UTC)
    report.job_id = re.sub(r"-r\d+$", "", report.job_id) + f"-r{report.attempts}"
    db.session.commit()
    _enqueue(report, tenant_id, job_timeout, job=JOBS[report.kind])


def do_reconcile_with_queue(report: InstitutionReport) -> None:
    """An unfinished report whose job the queue lost or gave up on is shown failed (or retrying)."""
    if report.status.is_finished:
        return
    since = max(t for t in (report.started_at, report.requested_at) if t is not None)
    found = stuck_reason(report.job_id, since, running=report.status is RunStatus.RUNNING)
    if found is not None:
        do_record_failure(report, *found)


def _enqueue(report: InstitutionReport, tenant_id: int, job_timeout: int, job: str = SUMMARY_JOB) -> None:
    try:
        get_queue(REPORTS).enqueue(
            job, tenant_id, str(report.id),
            job_id=report.job_id, unique=True, retry=REPORT_RETRY,
            job_timeout=job_timeout, ttl=QUEUED_TTL, result_ttl=3600, failure_ttl=30 * 24 * 3600,
            on_failure=Callback(REPORT_FAILURE_CALLBACK),
            meta={"tenant_id": tenant_id, "report_id": str(report.id)},
        )
    except DuplicateJobError:
        pass  # already on its way: enqueueing the same report twice builds it once
    except RedisError as error:   # nothing is lost: the report shows why, with its retry button
        do_record_failure(report, f"The job queue is unavailable ({type(error).__name__}).", False)


def do_cancel_report(report: InstitutionReport) -> bool:
    """The cancel button: the report will not be built (a run already under way finds it cancelled)."""
    return do_cancel_run(report)


def do_start_report(report: InstitutionReport) -> bool:
    """Claim the report for this attempt; False if it is already finished (a duplicate run) or cancelled."""
    if report.status in (RunStatus.DONE, RunStatus.CANCELLED):
        return False
    report.status = RunStatus.RUNNING
    report.attempts += 1
    report.progress = 0
    report.started_at = datetime.now(UTC)
    report.error_detail = None
    db.session.commit()
    return True


def do_set_progress(report: InstitutionReport, percent: int) -> None:
    report.progress = max(0, min(100, int(percent)))
    db.session.commit()


def do_finish_report(report: InstitutionReport, pdf: bytes, file_name: str, page_count: int) -> None:
    report.pdf = pdf
    report.file_name = file_name
    report.page_count = page_count
    report.size_bytes = len(pdf)
    report.sha256 = hashlib.sha256(pdf).hexdigest()
    report.status = RunStatus.DONE
    report.progress = 100
    report.finished_at = datetime.now(UTC)
    db.session.commit()


def do_record_failure(report: InstitutionReport, reason: str, will_retry: bool) -> None:
    if report.status in (RunStatus.DONE, RunStatus.CANCELLED):
        return
    report.status = RunStatus.RETRYING if will_retry else RunStatus.FAILED
    report.error_detail = reason[:2000]
    if not will_retry:
        report.finished_at = datetime.now(UTC)
    db.session.commit()
