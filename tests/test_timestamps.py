"""Every stored timestamp is timezone-aware, in the schema, in the models and in what they accept."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import DateTime, select, text
from sqlalchemy.exc import StatementError

from regionet.platform.accounts.models import User
from regionet.platform.coordinator import refresh
from regionet.platform.coordinator.models import RegionFigureRun
from regionet.platform.db_types import NaiveTimestamp, Timestamp
from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.reports.models import InstitutionReport

from .factories import make
from .test_isolation import TENANT_A, _institution_id


def test_no_column_of_the_schema_is_a_naive_timestamp(app):
    with app.app_context():
        naive = db.session.execute(text(
            "SELECT table_name || '.' || column_name FROM information_schema.columns"
            " WHERE table_schema = 'public' AND data_type = 'timestamp without time zone'")).scalars().all()
        aware = db.session.execute(text(
            "SELECT count(*) FROM information_schema.columns"
            " WHERE table_schema = 'public' AND data_type = 'timestamp with time zone'")).scalar_one()
        db.session.rollback()
    assert naive == []
    assert aware >= 30


def test_every_mapped_timestamp_is_the_aware_type():
    plain = [f"{table.name}.{column.name}" for table in db.metadata.tables.values() for column in table.c
             if isinstance(column.type, DateTime) and not isinstance(column.type, Timestamp)]
    assert plain == []
    assert all(column.type.impl.timezone for table in db.metadata.tables.values() for column in table.c
               if isinstance(column.type, Timestamp))


def test_a_naive_datetime_is_refused_when_written(app):
    tenant = _institution_id(app, TENANT_A)
    with app.app_context():
        report_id = make(InstitutionReport, tenant)
        with tenant_scope(tenant):
            report = db.session.get(InstitutionReport, (tenant, report_id))
            report.finished_at = datetime(2026, 7, 21, 12, 0)  # no time zone: whose noon?
            with pytest.raises(StatementError) as refused:
                db.session.commit()
            assert isinstance(refused.value.orig, NaiveTimestamp)
            db.session.rollback()
            report.finished_at = datetime(2026, 7, 21, 12, 0, tzinfo=UTC)
            db.session.commit()
            db.session.expire_all()
            stored = db.session.get(InstitutionReport, (tenant, report_id)).finished_at
    assert stored.utcoffset() is not None and stored == datetime(2026, 7, 21, 12, 0, tzinfo=UTC)


def test_a_naive_datetime_is_refused_when_compared(app):
    with app.app_context():
        with pytest.raises(StatementError) as refused:
            db.session.execute(select(User.id).where(User.created_at < datetime(2026, 1, 1))).all()
        assert isinstance(refused.value.orig, NaiveTimestamp)
        db.session.rollback()
        aware = db.session.execute(select(User.id).where(User.created_at < datetime.now(UTC))).all()
        assert aware  # the demo accounts
        db.session.rollback()


def test_what_the_database_returns_is_aware_and_compares_with_now(app):
    """The coordinator's refresh compares stored times with now (it raised TypeError on naive ones)."""
    with app.app_context():
        refresh.request_region_refresh("26")
        run = db.session.get(RegionFigureRun, "26")
        assert run.requested_at.utcoffset() is not None
        assert datetime.now(UTC) - run.requested_at < timedelta(minutes=5)
        assert run.pending
