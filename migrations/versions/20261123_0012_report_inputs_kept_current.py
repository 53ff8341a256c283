"""What a report is built from, kept current: a report recounts only what changed.

* figure_fact_builds (tenant-owned: ENABLE + FORCE and the tenant policy): the records
  version each institution's facts of a period were built from;
* region_figure_status.facts_stamp: what a period's region figures were counted from;
* published_practices.figures_records_version: the records version a catalogue entry's
  figures were counted at;
* figures_api.region_versions(region, period): for every institution of the region, what
  the region's figures use of it (active, kind, TERYT code), its current records version, the version its facts of the period were built from and its
  submission's state for the period (an institution never written since the tallies
  began has no records: version 0, as tenants/tallies/queries.py reads it). Owned by the aggregate role, which may now read the
  region's tallies and fact builds (numbers, no person's data); executed by the runtime role.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23 21:00:00

"""
import sqlalchemy as sa
from alembic import op

from regionet.platform.tenancy.rls import drop_tenant_rls_statements, execute_statements, tenant_rls_statements
from regionet.platform.tenancy.roles import AGGREGATE_ROLE, APP_ROLE

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

IN_REGION = ("tenant_id IN (SELECT id FROM institutions"
             " WHERE region_code = NULLIF(current_setting('app.region_code', true), ''))")
SIGNATURE = "region_versions(text, text)"
VERSIONS_FUNCTION = r'''CREATE FUNCTION figures_api.region_versions(p_region text, p_period text)
RETURNS TABLE (tenant_id integer, is_active boolean, kind text, teryt_code text, records_version bigint,
               facts_version bigint, submission_status text)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $function$
BEGIN
  -- The aggregate role reads this region's rows only (row-level security on app.region_code).
  PERFORM set_config('app.region_code', p_region, true);
  RETURN QUERY
  SELECT i.id, i.is_active, CAST(i.kind AS text), CAST(i.teryt_code AS text),
         COALESCE((SELECT t.value FROM tenant_tallies t WHERE t.tenant_id = i.id AND t.name = 'records_version'), 0),
         (SELECT b.records_version FROM figure_fact_builds b WHERE b.tenant_id = i.id AND b.period_key = p_period),
         (SELECT CAST(ps.status AS text) FROM period_submissions ps JOIN reporting_periods rp ON rp.id = ps.period_id
          WHERE ps.tenant_id = i.id AND rp.period_key = p_period)
  FROM institutions i WHERE i.region_code = p_region ORDER BY i.id;
END
$function$'''


def upgrade():
    op.create_table(
        'figure_fact_builds',
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.Column('period_key', sa.String(length=40), nullable=False),
        sa.Column('records_version', sa.BigInteger(), nullable=False),
        sa.Column('built_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'),
                  nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['institutions.id'],
                                name=op.f('fk_figure_fact_builds_tenant_id_institutions'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('tenant_id', 'period_key', name=op.f('pk_figure_fact_builds')),
    )
    with op.batch_alter_table('region_figure_status') as batch:
        batch.add_column(sa.Column('facts_stamp', sa.String(length=64), nullable=True))
    with op.batch_alter_table('published_practices') as batch:
        batch.add_column(sa.Column('figures_records_version', sa.BigInteger(), nullable=True))
    execute_statements(op, [
        # Every institution there is gets a records version now: from here on, an institution
        # without one (created later, never written) has no records, which is version 0.
        "ALTER TABLE tenant_tallies NO FORCE ROW LEVEL SECURITY",
        ("INSERT INTO tenant_tallies (tenant_id, name, value) SELECT id, 'records_version',"
         " nextval('tenant_records_version_seq') FROM institutions ON CONFLICT (tenant_id, name) DO NOTHING"),
        "ALTER TABLE tenant_tallies FORCE ROW LEVEL SECURITY",
        *tenant_rls_statements("figure_fact_builds"),
        *[f"CREATE POLICY aggregate_region ON {t} FOR SELECT TO {AGGREGATE_ROLE} USING ({IN_REGION})"
          for t in ("figure_fact_builds", "tenant_tallies")],
        f"GRANT SELECT ON figure_fact_builds, tenant_tallies TO {AGGREGATE_ROLE}",
        VERSIONS_FUNCTION,
        f"ALTER FUNCTION figures_api.{SIGNATURE} OWNER TO {AGGREGATE_ROLE}",
        f"REVOKE ALL ON FUNCTION figures_api.{SIGNATURE} FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION figures_api.{SIGNATURE} TO {APP_ROLE}",
    ])


def downgrade():
    execute_statements(op, [
        f"DROP FUNCTION IF EXISTS figures_api.{SIGNATURE}",
        f"REVOKE SELECT ON tenant_tallies FROM {AGGREGATE_ROLE}",
        "DROP POLICY IF EXISTS aggregate_region ON tenant_tallies",
        "DROP POLICY IF EXISTS aggregate_region ON figure_fact_builds",
        *drop_tenant_rls_statements("figure_fact_builds"),
    ])
    with op.batch_alter_table('published_practices') as batch:
        batch.drop_column('figures_records_version')
    with op.batch_alter_table('region_figure_status') as batch:
        batch.drop_column('facts_stamp')
    op.drop_table('figure_fact_builds')
