"""Row-level security statements, used by the migrations.

A tenant-owned table gets ENABLE and FORCE (so even the owner is bound) and one
policy on the transaction-local `app.tenant_id`. An empty or missing setting
matches no row and accepts no write.
"""
from .roles import APP_ROLE, COORDINATOR_ROLE

TENANT_MATCH = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::integer"
REGION_MATCH = "region_code = NULLIF(current_setting('app.region_code', true), '')"


def tenant_rls_statements(table: str) -> list[str]:
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY tenant_isolation ON {table} USING ({TENANT_MATCH}) WITH CHECK ({TENANT_MATCH})",
    ]


def drop_tenant_rls_statements(table: str) -> list[str]:
    return [
        f"DROP POLICY IF EXISTS tenant_isolation ON {table}",
        f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY",
    ]


def region_read_statements(table: str) -> list[str]:
    """A platform table the app reads whole and the coordinator reads for its region only."""
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY app_all ON {table} TO {APP_ROLE} USING (true) WITH CHECK (true)",
        f"CREATE POLICY coordinator_region ON {table} FOR SELECT TO {COORDINATOR_ROLE} USING ({REGION_MATCH})",
        f"GRANT SELECT ON {table} TO {COORDINATOR_ROLE}",
    ]


def drop_region_read_statements(table: str) -> list[str]:
    return [
        f"REVOKE SELECT ON {table} FROM {COORDINATOR_ROLE}",
        f"DROP POLICY IF EXISTS coordinator_region ON {table}",
        f"DROP POLICY IF EXISTS app_all ON {table}",
        f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY",
    ]


def execute_statements(op, statements: list[str]) -> None:
    """Execute the statements above in a migration, in order."""
    for statement in statements:
        op.execute(statement)
