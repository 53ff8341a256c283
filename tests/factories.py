"""One factory per tenant-owned model: `make(model, tenant_id)` returns a committed object.

The cross-tenant test looks up a factory for every model a route names in its URL;
a model without a factory fails that test, so new models cannot slip past it.
"""
from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.reports.models import InstitutionReport, ReportKind, ReportStatus


def _report(tenant_id: int) -> InstitutionReport:
    return InstitutionReport(kind=ReportKind.INSTITUTION_SUMMARY, status=ReportStatus.DONE, progress=100,
                             job_id=f"test-{tenant_id}", pdf=b"%PDF-1.4 test", file_name="test.pdf",
                             page_count=1, size_bytes=13, sha256="0" * 64)


FACTORIES = {
    InstitutionReport: _report,
}


def make(model, tenant_id: int):
    """Create and commit one object of `model` in `tenant_id`; returns its id."""
    with tenant_scope(tenant_id):
        obj = FACTORIES[model](tenant_id)
        db.session.add(obj)
        db.session.commit()
        return obj.id
