"""What the jobs of an institution's reports share: the report row is the state machine.

A run that finds the report done does nothing, so a retried or duplicated job never
produces a second file; progress goes to the row (the page polls it) and to the job's meta.
"""
import uuid
from collections.abc import Callable

from rq import get_current_job

from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.tenancy import current_tenant_id
from regionet.tenants.reports import services
from regionet.tenants.reports.queries import get_report_for_tenant

from ..context import record_tenant_job_failure


def run_institution_report(report_id: str, render: Callable) -> str:
    """Build the report with `render(report, institution, progress) -> (pdf, file name, pages)` and store it."""
    report = get_report_for_tenant(uuid.UUID(report_id))
    if report is None:
        raise LookupError(f"report {report_id} not found for tenant {current_tenant_id()}")
    if not services.do_start_report(report):
        return "already done"
    institution = db.session.get(Institution, current_tenant_id())
    job = get_current_job()

    def progress(percent: int) -> None:
        services.do_set_progress(report, percent)
        if job is not None:
            job.meta["progress"] = percent
            job.save_meta()

    pdf, file_name, pages = render(report, institution, progress)
    services.do_finish_report(report, pdf, file_name, pages)
    return f"{pages} pages"


def on_report_failure(job, connection, exc_type, exc_value, tb) -> None:
    """Record the failure on the report; RQ calls this for every failed attempt."""
    record_tenant_job_failure(job, exc_type, exc_value, _record_failure, tb)


def _record_failure(report_id: uuid.UUID, reason: str, will_retry: bool) -> None:
    report = get_report_for_tenant(report_id)
    if report is not None:
        services.do_record_failure(report, reason, will_retry)
