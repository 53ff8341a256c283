"""Job: build an institution's summary PDF (idempotent through the report row)."""
from regionet.tenants.reports.summary_pdf import build_summary_pdf

from ..context import tenant_job
from .institution_reports import run_institution_report


def _render(report, institution, progress):
    pdf, pages = build_summary_pdf(institution, progress)
    return pdf, f"zestawienie-{institution.slug}-{report.requested_at:%Y-%m-%d}.pdf", pages


@tenant_job
def build_institution_summary(report_id: str) -> str:
    return run_institution_report(report_id, _render)

