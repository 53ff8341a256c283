"""Job: build an institution's project report (its projects with their figures, its practices).

The data was collected and hashed when the report was requested (tenants/reports/
projects_report.py); the job renders exactly that. Idempotent through the report row.
"""
from regionet.tenants.reports.projects_report import render_projects_report

from ..context import tenant_job
from .institution_reports import run_institution_report


def _render(report, institution, progress):
    rendered = render_projects_report(report.dataset, data_taken_at=report.requested_at, progress=progress)
    return rendered.data, f"projekty-{institution.slug}-{report.data_sha256[:8]}.pdf", rendered.pages


@tenant_job
def build_institution_projects(report_id: str) -> str:
    return run_institution_report(report_id, _render)
