"""Job: build an institution's summary PDF.

Idempotent: the report row is the state machine. A run that finds the report done
does nothing, so a retried or duplicated job never produces a second file.
"""
import uuid

from rq import get_current_job

from regionet.platform.institutions.models import Institution
from regionet.platform.extensions import db
from regionet.platform.tenancy import current_tenant_id
from regionet.tenants.reports import services
from regionet.tenants.reports.queries import get_report_for_tenant
from regionet.tenants.reports.summary_pdf import build_summary_pdf

from ..context import tenant_job, worker_app
from regionet.platform.tenancy import tenant_scope


@tenant_job
def build_institution_summary(report_id: str) -> str:
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

    pdf, pages = build_summary_pdf(institution, progress)
    slug_date = report.requested_at.strftime("%Y-%m-%d")
    services.do_finish_report(report, pdf, f"zestawienie-{institution.slug}-{slug_date}.pdf", pages)
    return f"{pages} pages"


def on_summary_failure(job, connection, exc_type, exc_value, tb) -> None:
    """Record the failure on the report; RQ calls this for every failed attempt."""
    tenant_id, report_id = job.args[0], job.args[1]
    will_retry = bool(job.retries_left and job.retries_left > 0)
    reason = f"{exc_type.__name__}: {exc_value}" if exc_value is not None else exc_type.__name__
    app = worker_app()
    with app.app_context():
        try:
            with tenant_scope(int(tenant_id)):
                report = get_report_for_tenant(uuid.UUID(report_id))
                if report is not None:
                    services.do_record_failure(report, reason, will_retry)
        finally:
            db.session.remove()
