"""Migrations go from empty to head and back down; the models and the migrations agree."""
import uuid

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from regionet.platform.app import create_app
from regionet.platform.tenancy.roles import OWNER_ROLE, provision_database

from .conftest import ADMIN_URL, role_url


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def _round_trip(app, url):
    with app.app_context():
        upgrade()
        created = _tables(url)
        assert {"institutions", "users", "memberships", "institution_reports", "teryt_units"} <= created
        downgrade(revision="base")
        assert _tables(url) == set()
        upgrade()
        assert _tables(url) == created


def test_postgresql_upgrade_downgrade_upgrade(tmp_path):
    name = f"regionet_mig_{uuid.uuid4().hex[:8]}"
    provision_database(ADMIN_URL, name, {})
    owner = role_url(OWNER_ROLE, name)
    try:
        app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": owner,
                          "MIGRATION_DATABASE_URL": owner})
        _round_trip(app, owner)
        engine = create_engine(owner)
        with engine.connect() as conn:
            forced = conn.execute(text(
                "SELECT relforcerowsecurity FROM pg_class WHERE relname = 'institution_reports'")).scalar_one()
        engine.dispose()
        assert forced
    finally:
        admin = create_engine(make_url(ADMIN_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_models_and_migrations_agree(app):
    """Autogenerate finds nothing to do: every model change came with a migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from regionet.platform.extensions import db

    with app.app_context():
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
    assert diff == [], diff


@pytest.mark.parametrize("role", ["regionet_app", "regionet_coordinator"])
def test_runtime_roles_cannot_change_the_schema(pg_database, role):
    engine = create_engine(role_url(role, pg_database["name"]))
    try:
        with pytest.raises(Exception, match="permission denied|must be owner"):
            with engine.begin() as conn:
                conn.execute(text("ALTER TABLE institution_reports NO FORCE ROW LEVEL SECURITY"))
        with pytest.raises(Exception, match="permission denied"):
            with engine.begin() as conn:
                conn.execute(text("CREATE TABLE sneaky (id int)"))
    finally:
        engine.dispose()
