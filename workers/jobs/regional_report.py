"""Jobs: build a region's good-practice catalogue (PDF); run the quarterly schedule.

Region-level jobs: they act for a region, not an institution, so they take no tenant;
the figures they need from institutions' records were collected (suppressed) before the
job was queued and travel in the report row's dataset. Idempotent: the report row is the
state machine, and a run that finds its report done returns at once.
"""
import hashlib
import os
import uuid
from collections.abc import Callable
from datetime import datetime

from rq import get_current_job
from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.practices.models import SubmissionPhoto
from regionet.platform.regional_reports import services
from regionet.platform.regional_reports.pdf import render_regional_report

from ..context import drop_inherited_connections, log_job_failure, unless_unavailable, worker_app


def load_submission_photo(submission_id: str, position: int, sha256: str) -> bytes | None:
    """A photo as approved; None if it is gone or no longer what the dataset says."""
    data = db.session.execute(select(SubmissionPhoto.data).where(
        SubmissionPhoto.submission_id == uuid.UUID(submission_id), SubmissionPhoto.position == position)).scalar()
    if data is None or hashlib.sha256(data).hexdigest() != sha256:
        return None
    return bytes(data)


def execute_regional_report(report_id: str, on_progress: Callable[[int], None] | None = None) -> str:
    """Build the report in the current app context (a worker's job, or the operator's command)."""
    report = services.do_claim_regional_report(uuid.UUID(report_id))
    if report is None:
        return "already done"
    job = get_current_job()
    if job is not None:
        job.meta["horse_pid"] = os.getpid()
        job.save_meta()
    dataset, taken_at = report.dataset, report.data_taken_at

    def progress(percent: int) -> None:
        services.do_set_regional_progress(report, percent)
        if job is not None:
            job.meta["progress"] = percent
            job.save_meta()
        if on_progress is not None:
            on_progress(percent)

    progress(5)
    rendered = render_regional_report(dataset, data_taken_at=taken_at, load_photo=load_submission_photo,
                                      progress=progress)
    if not services.do_finish_regional_report(uuid.UUID(report_id), rendered.data, rendered.pages):
        return "already done"
    return f"{rendered.pages} pages"


def run_regional_report(report_id: str, on_progress: Callable[[int], None] | None = None) -> str:
    app = worker_app()
    with app.app_context():
        drop_inherited_connections()
        try:
            return execute_regional_report(report_id, on_progress)
        finally:
            db.session.remove()


def build_regional_report(report_id: str) -> str:
    return run_regional_report(report_id)


def on_regional_failure(job, connection, exc_type, exc_value, tb) -> None:
    """Record a failed (or abandoned) attempt on the report; RQ calls it before it retries."""
    report_id = job.args[0]
    will_retry = bool(job.retries_left and job.retries_left > 0)
    reason = log_job_failure(job, exc_type, exc_value, tb)
    app = worker_app()
    with app.app_context(), unless_unavailable(f"the failure of job {job.id}"):
        try:
            services.do_record_regional_failure(uuid.UUID(report_id), reason, will_retry)
        finally:
            db.session.remove()


def run_scheduled_regional_report(schedule_id: str, booked_at: str) -> str:
    """The quarterly run: request the report for the quarter that just ended, then book the next quarter."""
    from regionet.platform.regional_reports.schedule import do_run_schedule

    app = worker_app()
    with app.app_context():
        drop_inherited_connections()
        try:
            return do_run_schedule(uuid.UUID(schedule_id), datetime.fromisoformat(booked_at))
        finally:
            db.session.remove()


def rebuild_withdrawn_report(report_id: str) -> str:
    """Request a fresh report in place of one withdrawn for a photo (regional_reports/withdrawal.py)."""
    from regionet.platform.regional_reports.withdrawal import do_request_rebuild

    app = worker_app()
    with app.app_context():
        drop_inherited_connections()
        try:
            report = do_request_rebuild(uuid.UUID(report_id))
            return "nothing to rebuild" if report is None else f"report {report.id}"
        finally:
            db.session.remove()
