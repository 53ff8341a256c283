"""Workspace pages at scale: tallies of an institution's records, kept by triggers.

* tenant_tallies (tenant-owned: ENABLE + FORCE and the tenant policy): the number of an
  institution's participants and its records version (tenants/tallies/models.py), kept by
  statement-level triggers in the writing transaction, under the writer's tenant:
  - participants: AFTER INSERT / AFTER DELETE with transition tables add or subtract the
    rows written (one upsert per statement, whatever its number of rows);
  - participants, enrolments, support_episodes, outcomes: AFTER INSERT OR UPDATE OR DELETE
    takes a new value of tenant_records_version_seq for the tenant in app.tenant_id (only
    that tenant's rows can be written under row-level security; a sequence never gives a
    value twice, even after a restore or a TRUNCATE);
  the triggers' functions are SECURITY INVOKER, so the tallies obey the same policy.
  Existing participants are counted once here (participants' FORCE is lifted for that
  statement: the owner otherwise sees no tenant's rows).

No index: the project pages read half a large institution's records, which PostgreSQL
scans faster than it looks them up; small projects use the existing indexes.

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

from regionet.platform.tenancy.rls import drop_tenant_rls_statements, execute_statements, tenant_rls_statements

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

VERSIONED = ["participants", "enrolments", "support_episodes", "outcomes"]
TENANT = "NULLIF(current_setting('app.tenant_id', true), '')::integer"
FUNCTIONS = [
    f"""CREATE FUNCTION tally_records_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF {TENANT} IS NOT NULL THEN
    INSERT INTO tenant_tallies (tenant_id, name, value)
    VALUES ({TENANT}, 'records_version', nextval('tenant_records_version_seq'))
    ON CONFLICT (tenant_id, name) DO UPDATE SET value = EXCLUDED.value;
  END IF;
  RETURN NULL;
END $$""",
    """CREATE FUNCTION tally_participants_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO tenant_tallies (tenant_id, name, value)
  SELECT tenant_id, 'participants', count(*) FROM added GROUP BY tenant_id
  ON CONFLICT (tenant_id, name) DO UPDATE SET value = tenant_tallies.value + EXCLUDED.value;
  RETURN NULL;
END $$""",
    """CREATE FUNCTION tally_participants_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tenant_tallies t SET value = t.value - r.n
  FROM (SELECT tenant_id, count(*) AS n FROM removed GROUP BY tenant_id) r
  WHERE t.tenant_id = r.tenant_id AND t.name = 'participants';
  RETURN NULL;
END $$""",
]


def upgrade():
    op.create_table(
        'tenant_tallies',
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['institutions.id'], name=op.f('fk_tenant_tallies_tenant_id_institutions'),
                                ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('tenant_id', 'name', name=op.f('pk_tenant_tallies')),
    )
    execute_statements(op, [
        "CREATE SEQUENCE tenant_records_version_seq",
        *FUNCTIONS,
        "ALTER TABLE participants NO FORCE ROW LEVEL SECURITY",
        ("INSERT INTO tenant_tallies (tenant_id, name, value)"
         " SELECT tenant_id, 'participants', count(*) FROM participants GROUP BY tenant_id"),
        "ALTER TABLE participants FORCE ROW LEVEL SECURITY",
        *tenant_rls_statements("tenant_tallies"),
        ("CREATE TRIGGER tally_participants_added AFTER INSERT ON participants REFERENCING NEW TABLE AS added"
         " FOR EACH STATEMENT EXECUTE FUNCTION tally_participants_added()"),
        ("CREATE TRIGGER tally_participants_removed AFTER DELETE ON participants REFERENCING OLD TABLE AS removed"
         " FOR EACH STATEMENT EXECUTE FUNCTION tally_participants_removed()"),
        *(f"CREATE TRIGGER tally_records_version AFTER INSERT OR UPDATE OR DELETE ON {table}"
          " FOR EACH STATEMENT EXECUTE FUNCTION tally_records_version()" for table in VERSIONED),
    ])


def downgrade():
    execute_statements(op, [
        *(f"DROP TRIGGER IF EXISTS tally_records_version ON {table}" for table in VERSIONED),
        "DROP TRIGGER IF EXISTS tally_participants_removed ON participants",
        "DROP TRIGGER IF EXISTS tally_participants_added ON participants",
        "DROP FUNCTION IF EXISTS tally_participants_removed()",
        "DROP FUNCTION IF EXISTS tally_participants_added()",
        "DROP FUNCTION IF EXISTS tally_records_version()",
        "DROP SEQUENCE IF EXISTS tenant_records_version_seq",
        *drop_tenant_rls_statements("tenant_tallies"),
    ])
    op.drop_table('tenant_tallies')
