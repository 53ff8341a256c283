"""Backup and restore (scripts/backup.py): a dump of the test database restored into a new database
has every policy, grant, owner, row count and the coordinator's figures identical."""
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from .conftest import ADMIN_URL
from .coordinator_data import Person, add_people, institution_id  # noqa: F401
from .partner_records import add_partner, tenant_of

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent

CATALOGUE = {
    "policies": "SELECT tablename, policyname, permissive, roles::text, cmd, qual, with_check FROM pg_policies "
                "WHERE schemaname = 'public' ORDER BY 1, 2",
    "row security": "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
                    "WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') ORDER BY 1",
    "table grants": "SELECT grantee, table_name, privilege_type FROM information_schema.role_table_grants "
                    "WHERE table_schema = 'public' ORDER BY 1, 2, 3",
    "column grants": "SELECT grantee, table_name, column_name, privilege_type FROM information_schema.column_privileges "
                     "WHERE table_schema = 'public' AND grantee LIKE 'regionet%' ORDER BY 1, 2, 3, 4",
    "functions": "SELECT n.nspname, p.proname, pg_get_userbyid(p.proowner), p.prosecdef, p.proacl::text "
                 "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                 "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2, 3, 5",
    "owners": "SELECT relname, pg_get_userbyid(relowner) FROM pg_class "
              "WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p', 'v', 'm', 'S') ORDER BY 1",
    "extensions": "SELECT extname FROM pg_extension ORDER BY 1",
}


def _snapshot(url: str) -> dict:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = {name: conn.execute(text(sql)).all() for name, sql in CATALOGUE.items()}
        tables = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).scalars()
        found["rows"] = {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in tables}
        found["figures"] = conn.execute(text(
            "SELECT md5(string_agg(f::text, '|' ORDER BY f::text)) FROM region_figures f")).scalar_one()
    engine.dispose()
    return found


def _client_too_old() -> bool:
    client = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True).stdout
    engine = create_engine(make_url(ADMIN_URL).set(drivername="postgresql+psycopg"))
    with engine.connect() as conn:
        server = conn.execute(text("SHOW server_version_num")).scalar_one()
    engine.dispose()
    return int(re.search(r"(\d+)\.", client).group(1)) < int(server) // 10000


def test_a_dump_restored_into_a_new_database_has_every_policy_grant_row_and_figure(app, pg_database, tmp_path):
    if _client_too_old():
        pytest.skip("pg_dump is older than the server (set PG_BIN for scripts/backup.py)")
    from regionet.platform.coordinator import refresh

    with app.app_context():
        add_people("mops-skarzysko-kamienna", [Person(f"Kopia{i}", "Zapasowa", pesel=None) for i in range(6)])
        add_people("gops-blizyn", [Person(f"Kopia{i}", "Druga", pesel=None) for i in range(4)])
        for tenant in (institution_id("mops-skarzysko-kamienna"), institution_id("gops-blizyn")):
            from regionet.platform.tenancy import tenant_scope

            with tenant_scope(tenant):
                refresh.do_refresh_tenant(tenant)
        refresh.do_refresh_region("26")
    add_partner(app, tenant_of(app), "Fundacja Kopii", nip="6571234562")

    original = _snapshot(pg_database["admin"])
    assert original["rows"]["participants"] == 10 and original["figures"] is not None
    assert len(original["policies"]) > 20 and original["rows"]["partner_organisations"] == 1

    backup = tmp_path / "backup"
    dumped = subprocess.run([sys.executable, "scripts/backup.py", "dump", "--database-url", pg_database["admin"],
                             "--out", str(backup)], cwd=ROOT, capture_output=True, text=True)
    assert dumped.returncode == 0, dumped.stderr
    assert "regionet_aggregate" in (backup / "roles.sql").read_text() and "PASSWORD" not in (backup / "roles.sql").read_text()
    name = f"regionet_restored_{uuid.uuid4().hex[:8]}"
    try:
        restored = subprocess.run([sys.executable, "scripts/backup.py", "restore", "--admin-url", ADMIN_URL,
                                   "--database", name, "--from", str(backup)], cwd=ROOT, capture_output=True, text=True)
        assert restored.returncode == 0, restored.stderr[-3000:]
        copy = _snapshot(make_url(pg_database["admin"]).set(database=name).render_as_string(hide_password=False))
        for part in original:
            assert copy[part] == original[part], part
    finally:
        admin = create_engine(make_url(ADMIN_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
