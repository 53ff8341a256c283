"""Job: build an institution's project report (its projects with their figures, its practices).

The data was collected and hashed when the report was requested (tenants/reports/
projects_report.py); the job renders exactly that. Idempotent through the report row.
"""
import uuid

from rq import get_current_job

from regionet.platform.institutions.models import Institution
from regionet.platform.extensions import db
from regionet.platform.tenancy import current_tenant_id
from regionet.tenants.reports import services
from regionet.tenants.reports.projects_report import render_projects_report
from regionet.tenants.reports.queries import get_report_for_tenant

from ..context import tenant_job


@tenant_job
def build_institution_projects(report_id: str) -> str:
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

    rendered = render_projects_report(report.dataset, data_taken_at=report.requested_at, progress=progress)
    services.do_finish_report(report, rendered.data, f"projekty-{institution.slug}-{report.data_sha256[:8]}.pdf",
                              rendered.pages)
    return f"{rendered.pages} pages"
