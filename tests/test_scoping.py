"""The ORM layer of isolation: scoped reads, stamped writes, fail closed."""
import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import aliased

from regionet.platform.extensions import db
from regionet.platform.tenancy import CrossTenantWrite, TenantScopeMissing, tenant_scope
from regionet.tenants.reports.models import InstitutionReport, ReportKind, RunStatus

from .factories import make
from .test_isolation import TENANT_A, TENANT_B, _institution_id


@pytest.fixture
def tenants(app):
    a, b = _institution_id(app, TENANT_A), _institution_id(app, TENANT_B)
    with app.app_context():
        ids = {"a": make(InstitutionReport, a), "b": make(InstitutionReport, b)}
    return a, b, ids


def test_reads_are_scoped_to_the_current_tenant(app, tenants):
    a, b, ids = tenants
    with app.app_context(), tenant_scope(a):
        found = db.session.execute(select(InstitutionReport)).scalars().all()
        assert [r.id for r in found] == [ids["a"]]
        assert db.session.execute(select(InstitutionReport).where(InstitutionReport.id == ids["b"])).first() is None


def test_scope_applies_to_aliases_subqueries_and_joins(app, tenants):
    a, b, ids = tenants
    other = aliased(InstitutionReport)
    with app.app_context(), tenant_scope(b):
        joined = db.session.execute(
            select(InstitutionReport.id, other.id).join(other, other.job_id == InstitutionReport.job_id)).all()
        assert joined == [(ids["b"], ids["b"])]
        sub = select(InstitutionReport.id).scalar_subquery()
        assert db.session.execute(select(InstitutionReport.id).where(InstitutionReport.id.in_(sub))).scalars().all() \
            == [ids["b"]]


def test_orm_updates_are_scoped(app, tenants):
    a, b, ids = tenants
    with app.app_context():
        with tenant_scope(a):
            db.session.execute(update(InstitutionReport).values(progress=7))
            db.session.commit()
        with tenant_scope(b):
            assert db.session.execute(select(InstitutionReport.progress)).scalar_one() == 100


def test_no_tenant_in_context_is_an_error_not_all_rows(app, tenants):
    with app.app_context():
        with pytest.raises(TenantScopeMissing):
            db.session.execute(select(InstitutionReport)).all()
        db.session.rollback()
        # and PostgreSQL agrees: raw SQL outside any tenant sees nothing
        assert db.session.execute(text("SELECT count(*) FROM institution_reports")).scalar_one() == 0
        db.session.rollback()


def test_new_rows_are_stamped_with_the_current_tenant(app):
    a = _institution_id(app, TENANT_A)
    with app.app_context(), tenant_scope(a):
        report = InstitutionReport(kind=ReportKind.INSTITUTION_SUMMARY, status=RunStatus.QUEUED, job_id="x",
                                   progress=0, attempts=0)
        db.session.add(report)
        db.session.commit()
        assert report.tenant_id == a


def test_writing_for_another_tenant_is_refused_before_the_database(app):
    a, b = _institution_id(app, TENANT_A), _institution_id(app, TENANT_B)
    with app.app_context(), tenant_scope(a):
        db.session.add(InstitutionReport(tenant_id=b, kind=ReportKind.INSTITUTION_SUMMARY,
                                         status=RunStatus.QUEUED, job_id="x", progress=0, attempts=0))
        with pytest.raises(CrossTenantWrite):
            db.session.flush()
        db.session.rollback()


def test_creating_without_a_tenant_is_refused(app):
    with app.app_context():
        db.session.add(InstitutionReport(kind=ReportKind.INSTITUTION_SUMMARY, status=RunStatus.QUEUED,
                                         job_id="x", progress=0, attempts=0))
        with pytest.raises(TenantScopeMissing):
            db.session.flush()
        db.session.rollback()


def test_switching_scope_inside_an_open_transaction_reaches_postgresql(app, tenants):
    a, b, _ids = tenants
    with app.app_context():
        db.session.execute(text("SELECT 1"))  # a transaction is open with no tenant
        with tenant_scope(a):
            assert db.session.execute(text("SELECT count(*) FROM institution_reports")).scalar_one() == 1
            assert db.session.execute(text("SELECT current_setting('app.tenant_id')")).scalar_one() == str(a)
        assert db.session.execute(text("SELECT current_setting('app.tenant_id')")).scalar_one() == ""
        db.session.rollback()


def test_app_connections_carry_the_statement_timeout(app):
    with app.app_context():
        assert db.session.execute(text("SHOW statement_timeout")).scalar_one() == "30s"
        db.session.rollback()


def test_app_connections_do_not_jit_compile_queries(app):
    with app.app_context():
        assert db.session.execute(text("SHOW jit")).scalar_one() == "off"
        db.session.rollback()
