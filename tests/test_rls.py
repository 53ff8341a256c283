"""Row-level security in PostgreSQL, checked as the runtime role with raw SQL."""
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from regionet.platform.tenancy import tenant_table_names
from regionet.platform.tenancy.roles import APP_ROLE, COORDINATOR_ROLE, OWNER_ROLE

from .factories import make
from .test_isolation import TENANT_A, TENANT_B, _institution_id


@pytest.fixture
def app_engine(pg_database):
    engine = create_engine(pg_database["app"])
    yield engine
    engine.dispose()


@pytest.fixture
def two_tenants_with_reports(app):
    from regionet.tenants.reports.models import InstitutionReport

    a, b = _institution_id(app, TENANT_A), _institution_id(app, TENANT_B)
    with app.app_context():
        make(InstitutionReport, a)
        make(InstitutionReport, a)
        make(InstitutionReport, b)
    return a, b


def _select_tenants(conn, tenant: str | None):
    if tenant is not None:
        conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": tenant})
    return [row[0] for row in conn.execute(text("SELECT tenant_id FROM institution_reports"))]


def test_runtime_roles_are_not_owner_superuser_or_bypassrls(app_engine, pg_database):
    with app_engine.connect() as conn:
        assert conn.execute(text("SELECT current_user")).scalar_one() == APP_ROLE
        for role in (APP_ROLE, COORDINATOR_ROLE):
            superuser, bypass = conn.execute(
                text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = :r"), {"r": role}).one()
            assert not superuser and not bypass, role
        owners = set(conn.execute(text(
            "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")).scalars())
    assert owners == {OWNER_ROLE}


def test_no_tenant_set_means_no_rows(app_engine, two_tenants_with_reports):
    with app_engine.begin() as conn:
        assert _select_tenants(conn, None) == []
    with app_engine.begin() as conn:
        assert _select_tenants(conn, "") == []


def test_tenant_set_means_only_that_tenants_rows(app_engine, two_tenants_with_reports):
    a, b = two_tenants_with_reports
    with app_engine.begin() as conn:
        assert sorted(_select_tenants(conn, str(a))) == [a, a]
    with app_engine.begin() as conn:
        assert _select_tenants(conn, str(b)) == [b]


def test_setting_is_transaction_local(app_engine, two_tenants_with_reports):
    a, _b = two_tenants_with_reports
    with app_engine.connect() as conn:
        with conn.begin():
            assert _select_tenants(conn, str(a))
        with conn.begin():
            assert _select_tenants(conn, None) == []


def test_writing_a_row_of_another_tenant_is_rejected(app_engine, two_tenants_with_reports):
    a, b = two_tenants_with_reports
    with pytest.raises(DBAPIError, match="row-level security"):
        with app_engine.begin() as conn:
            conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(a)})
            conn.execute(text(
                "INSERT INTO institution_reports (tenant_id, id, kind, status, progress, attempts, job_id)"
                " VALUES (:b, gen_random_uuid(), 'institution_summary', 'queued', 0, 0, 'x')"), {"b": b})
    with pytest.raises(DBAPIError, match="row-level security"):
        with app_engine.begin() as conn:
            conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(a)})
            conn.execute(text("UPDATE institution_reports SET tenant_id = :b"), {"b": b})
    with app_engine.begin() as conn:  # and B's row cannot be touched from A at all
        conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(a)})
        gone = conn.execute(text("DELETE FROM institution_reports WHERE tenant_id = :b"), {"b": b})
        assert gone.rowcount == 0


def test_every_tenant_owned_table_has_forced_rls_and_a_policy(app, app_engine):
    with app.app_context():
        tables = tenant_table_names()
    assert "institution_reports" in tables
    with app_engine.connect() as conn:
        for table in tables:
            enabled, forced = conn.execute(text(
                "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = :t"), {"t": table}).one()
            policies = conn.execute(text("SELECT count(*) FROM pg_policies WHERE tablename = :t"), {"t": table})
            assert enabled and forced and policies.scalar_one() >= 1, table


def test_every_table_with_a_tenant_id_is_a_registered_tenant_model(app, app_engine):
    with app.app_context():
        registered = set(tenant_table_names())
    with app_engine.connect() as conn:
        with_tenant_column = set(conn.execute(text(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public'"
            " AND column_name = 'tenant_id'")).scalars())
    assert with_tenant_column == registered


def test_tenant_owned_keys_include_tenant_id(app, app_engine):
    with app.app_context():
        tables = tenant_table_names()
    with app_engine.connect() as conn:
        for table in tables:
            pk = conn.execute(text(
                "SELECT array_agg(a.attname ORDER BY k.ord) FROM pg_index i"
                " CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)"
                " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
                " WHERE i.indrelid = CAST(:t AS regclass) AND i.indisprimary"), {"t": table}).scalar_one()
            assert pk[0] == "tenant_id" and len(pk) >= 2, (table, pk)
            bad_fks = conn.execute(text(
                "SELECT conname FROM pg_constraint c JOIN pg_class r ON r.oid = c.confrelid"
                " WHERE c.conrelid = CAST(:t AS regclass) AND c.contype = 'f'"
                " AND r.relname = ANY(:tenant_tables) AND array_length(c.conkey, 1) < 2"),
                {"t": table, "tenant_tables": tables}).scalars().all()
            assert bad_fks == [], (table, bad_fks)


def test_coordinator_role_cannot_read_tenant_rows_and_sees_only_its_region(pg_database, two_tenants_with_reports):
    engine = create_engine(pg_database["coordinator"])
    try:
        with pytest.raises(ProgrammingError, match="permission denied"):
            with engine.begin() as conn:
                conn.execute(text("SELECT count(*) FROM institution_reports"))
        with engine.begin() as conn:
            assert conn.execute(text("SELECT count(*) FROM institutions")).scalar_one() == 0
        with engine.begin() as conn:
            conn.execute(text("SELECT set_config('app.region_code', '26', true)"))
            regions = set(conn.execute(text("SELECT region_code FROM institutions")).scalars())
        assert regions == {"26"}
        with engine.begin() as conn:
            conn.execute(text("SELECT set_config('app.region_code', '14', true)"))
            assert "26" not in set(conn.execute(text("SELECT region_code FROM institutions")).scalars())
        with pytest.raises(ProgrammingError, match="permission denied"):
            with engine.begin() as conn:
                conn.execute(text("SELECT email FROM users"))
    finally:
        engine.dispose()
