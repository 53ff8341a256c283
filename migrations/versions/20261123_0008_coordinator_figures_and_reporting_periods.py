"""Coordinator: figure facts, the region's figures summary, reporting periods and submissions.

Row-level security and roles:
* figure_participations, figure_activities (they carry pseudonyms), period_submissions and
  submission_events are tenant-owned: ENABLE + FORCE and the tenant policy;
* the NOLOGIN role regionet_aggregate reads the facts, the submissions, the reporting
  periods and the institutions of the region in app.region_code only (its own SELECT
  policies), and writes region_figures of that region. It owns the SECURITY DEFINER
  function figures_api.refresh_region_period (and prune_region), which the runtime role
  may execute: the only way anything is counted across institutions;
* the coordinator role reads region_figures, region_figure_status, reporting_periods and
  the submissions (with their history) of its region; it has no grant on any table with
  a person's data or a pseudonym;
* indexes the facts builder needs on the workspace tables (dates of episodes, outcomes
  and exits).

The function body below is a snapshot of platform/coordinator/figures_sql.function_sql()
at this revision; tests fail when the generator changes without a new migration.

Revision ID: 0006
Revises: 0007
Create Date: 2026-11-23 16:24:17.180017

"""
import sqlalchemy as sa
from alembic import op

from regionet.platform.tenancy.rls import (
    REGION_MATCH,
    drop_region_read_statements,
    drop_tenant_rls_statements,
    execute_statements,
    region_read_statements,
    tenant_rls_statements,
)
from regionet.platform.tenancy.roles import (
    AGGREGATE_ROLE,
    APP_ROLE,
    COORDINATOR_ROLE,
    OWNER_ROLE,
)

TENANT_TABLES = ["figure_participations", "figure_activities", "period_submissions", "submission_events"]
IN_REGION = f"tenant_id IN (SELECT id FROM institutions WHERE {REGION_MATCH})"
REGION_READABLE = ["reporting_periods", "region_figure_status", "region_figure_runs"]
WORKSPACE_INDEXES = [
    ("ix_support_episodes_tenant_start", "support_episodes", ["tenant_id", "start_date"]),
    ("ix_outcomes_tenant_achieved", "outcomes", ["tenant_id", "achieved_on"]),
    ("ix_enrolments_tenant_exit", "enrolments", ["tenant_id", "exit_date"]),
]

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


REFRESH_FUNCTION = r'''CREATE FUNCTION figures_api.refresh_region_period(p_region text, p_period text, p_scope text)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $function$
DECLARE
  written integer;
BEGIN
  IF p_scope NOT IN ('all', 'accepted') THEN
    RAISE EXCEPTION 'unknown scope %', p_scope;
  END IF;
  -- The aggregate role reads the facts of this region only (row-level security on app.region_code).
  PERFORM set_config('app.region_code', p_region, true);
  PERFORM pg_advisory_xact_lock(hashtext('region_figures/' || p_region || '/' || p_period));
  DELETE FROM region_figures WHERE region_code = p_region AND period_key = p_period AND scope = p_scope;
INSERT INTO region_figures (region_code, period_key, scope, measure, dim_a, key_a, dim_b, key_b, value)
WITH base AS (
  SELECT fp.tenant_id, fp.participant_id, fp.person_key, fp.sex, fp.age_band, fp.disability,
         COALESCE(fp.commune_code, '') AS commune, COALESCE(substr(fp.commune_code, 1, 4), '') AS county,
         CASE WHEN fp.exited THEN 1 ELSE 0 END AS exited, CASE WHEN fp.employed THEN 1 ELSE 0 END AS employed,
         i.kind AS inst_kind, CAST(i.id AS VARCHAR(12)) AS institution, substr(i.teryt_code, 1, 4) AS inst_county,
         CASE WHEN length(i.teryt_code) = 7 THEN i.teryt_code ELSE '' END AS inst_commune
  FROM figure_participations fp JOIN institutions i ON i.id = fp.tenant_id
  WHERE i.region_code = p_region AND fp.period_key = p_period
    AND (p_scope = 'all' OR fp.tenant_id IN (
      SELECT ps.tenant_id FROM period_submissions ps JOIN reporting_periods rp ON rp.id = ps.period_id
      WHERE rp.period_key = p_period AND ps.status = 'accepted'))
),
acts AS (
  SELECT b.*, fa.kind AS act_kind, fa.category, fa.n
  FROM figure_activities fa JOIN base b ON b.tenant_id = fa.tenant_id AND b.participant_id = fa.participant_id
  WHERE fa.period_key = p_period
),
people AS (
  SELECT person_key, MIN(sex) AS sex, MIN(age_band) AS age_band, MAX(disability) AS disability,
         MAX(commune) AS commune, substr(MAX(commune), 1, 4) AS county,
         rtrim(CASE WHEN MAX(CASE WHEN inst_kind = 'ops' THEN 1 ELSE 0 END) = 1 THEN 'ops+' ELSE '' END
           || CASE WHEN MAX(CASE WHEN inst_kind = 'pcpr' THEN 1 ELSE 0 END) = 1 THEN 'pcpr+' ELSE '' END
           || CASE WHEN MAX(CASE WHEN inst_kind = 'pup' THEN 1 ELSE 0 END) = 1 THEN 'pup+' ELSE '' END
           || CASE WHEN MAX(CASE WHEN inst_kind = 'owes' THEN 1 ELSE 0 END) = 1 THEN 'owes+' ELSE '' END
           || CASE WHEN MAX(CASE WHEN inst_kind = 'cis' THEN 1 ELSE 0 END) = 1 THEN 'cis+' ELSE '' END
           || CASE WHEN MAX(CASE WHEN inst_kind = 'kis' THEN 1 ELSE 0 END) = 1 THEN 'kis+' ELSE '' END
           || CASE WHEN MAX(CASE WHEN inst_kind = 'rops' THEN 1 ELSE 0 END) = 1 THEN 'rops+' ELSE '' END
           || CASE WHEN MAX(CASE WHEN inst_kind = 'social_cooperative' THEN 1 ELSE 0 END) = 1 THEN 'social_cooperative+' ELSE '' END
           || CASE WHEN MAX(CASE WHEN inst_kind = 'other' THEN 1 ELSE 0 END) = 1 THEN 'other+' ELSE '' END, '+') AS kinds
  FROM base GROUP BY person_key
),
thresholds AS (
  SELECT suppression_threshold AS normal, sensitive_threshold AS sensitive FROM regions WHERE teryt_code = p_region
),
figures AS (
  SELECT 'participations' AS measure, inst_kind AS inst_kind, institution AS institution, inst_county AS inst_county, inst_commune AS inst_commune, county AS county, commune AS commune, sex AS sex, age_band AS age_band, disability AS disability, CAST(NULL AS VARCHAR(80)) AS kinds, CAST(NULL AS VARCHAR(80)) AS instrument, CAST(NULL AS VARCHAR(80)) AS outcome, COUNT(*) AS value FROM base GROUP BY GROUPING SETS ((inst_kind), (institution), (inst_county), (inst_commune), (county), (commune), (sex), (age_band), (disability), (inst_kind, inst_county), (inst_kind, inst_commune), (inst_kind, county), (inst_kind, commune), (inst_kind, sex), (inst_kind, age_band), (inst_kind, disability), (institution, county), (institution, commune), (institution, sex), (institution, age_band), (institution, disability), (inst_county, county), (inst_county, commune), (inst_county, sex), (inst_county, age_band), (inst_county, disability), (inst_commune, county), (inst_commune, commune), (inst_commune, sex), (inst_commune, age_band), (inst_commune, disability), (county, sex), (county, age_band), (county, disability), (commune, sex), (commune, age_band), (commune, disability), (sex, age_band), (sex, disability), (age_band, disability), ())
  UNION ALL SELECT 'episodes' AS measure, inst_kind AS inst_kind, institution AS institution, inst_county AS inst_county, inst_commune AS inst_commune, county AS county, commune AS commune, sex AS sex, age_band AS age_band, disability AS disability, CAST(NULL AS VARCHAR(80)) AS kinds, category AS instrument, CAST(NULL AS VARCHAR(80)) AS outcome, COALESCE(SUM(n), 0) AS value FROM acts WHERE act_kind = 'episode' GROUP BY GROUPING SETS ((inst_kind), (institution), (inst_county), (inst_commune), (county), (commune), (sex), (age_band), (disability), (category), (inst_kind, inst_county), (inst_kind, inst_commune), (inst_kind, county), (inst_kind, commune), (inst_kind, sex), (inst_kind, age_band), (inst_kind, disability), (inst_kind, category), (institution, county), (institution, commune), (institution, sex), (institution, age_band), (institution, disability), (institution, category), (inst_county, county), (inst_county, commune), (inst_county, sex), (inst_county, age_band), (inst_county, disability), (inst_county, category), (inst_commune, county), (inst_commune, commune), (inst_commune, sex), (inst_commune, age_band), (inst_commune, disability), (inst_commune, category), (county, sex), (county, age_band), (county, disability), (county, category), (commune, sex), (commune, age_band), (commune, disability), (commune, category), (sex, age_band), (sex, disability), (sex, category), (age_band, disability), (age_band, category), (disability, category), ())
  UNION ALL SELECT 'outcomes' AS measure, inst_kind AS inst_kind, institution AS institution, inst_county AS inst_county, inst_commune AS inst_commune, county AS county, commune AS commune, sex AS sex, age_band AS age_band, disability AS disability, CAST(NULL AS VARCHAR(80)) AS kinds, CAST(NULL AS VARCHAR(80)) AS instrument, category AS outcome, COALESCE(SUM(n), 0) AS value FROM acts WHERE act_kind = 'outcome' GROUP BY GROUPING SETS ((inst_kind), (institution), (inst_county), (inst_commune), (county), (commune), (sex), (age_band), (disability), (category), (inst_kind, inst_county), (inst_kind, inst_commune), (inst_kind, county), (inst_kind, commune), (inst_kind, sex), (inst_kind, age_band), (inst_kind, disability), (inst_kind, category), (institution, county), (institution, commune), (institution, sex), (institution, age_band), (institution, disability), (institution, category), (inst_county, county), (inst_county, commune), (inst_county, sex), (inst_county, age_band), (inst_county, disability), (inst_county, category), (inst_commune, county), (inst_commune, commune), (inst_commune, sex), (inst_commune, age_band), (inst_commune, disability), (inst_commune, category), (county, sex), (county, age_band), (county, disability), (county, category), (commune, sex), (commune, age_band), (commune, disability), (commune, category), (sex, age_band), (sex, disability), (sex, category), (age_band, disability), (age_band, category), (disability, category), ())
  UNION ALL SELECT 'exits' AS measure, inst_kind AS inst_kind, institution AS institution, inst_county AS inst_county, inst_commune AS inst_commune, county AS county, commune AS commune, sex AS sex, age_band AS age_band, disability AS disability, CAST(NULL AS VARCHAR(80)) AS kinds, CAST(NULL AS VARCHAR(80)) AS instrument, CAST(NULL AS VARCHAR(80)) AS outcome, COALESCE(SUM(exited), 0) AS value FROM base GROUP BY GROUPING SETS ((inst_kind), (institution), (inst_county), (inst_commune), (county), (commune), (sex), (age_band), (disability), ())
  UNION ALL SELECT 'employed' AS measure, inst_kind AS inst_kind, institution AS institution, inst_county AS inst_county, inst_commune AS inst_commune, county AS county, commune AS commune, sex AS sex, age_band AS age_band, disability AS disability, CAST(NULL AS VARCHAR(80)) AS kinds, CAST(NULL AS VARCHAR(80)) AS instrument, CAST(NULL AS VARCHAR(80)) AS outcome, COALESCE(SUM(employed), 0) AS value FROM base GROUP BY GROUPING SETS ((inst_kind), (institution), (inst_county), (inst_commune), (county), (commune), (sex), (age_band), (disability), ())
  UNION ALL SELECT 'people' AS measure, CAST(NULL AS VARCHAR(80)) AS inst_kind, CAST(NULL AS VARCHAR(80)) AS institution, CAST(NULL AS VARCHAR(80)) AS inst_county, CAST(NULL AS VARCHAR(80)) AS inst_commune, county AS county, commune AS commune, sex AS sex, age_band AS age_band, disability AS disability, kinds AS kinds, CAST(NULL AS VARCHAR(80)) AS instrument, CAST(NULL AS VARCHAR(80)) AS outcome, COUNT(*) AS value FROM people GROUP BY GROUPING SETS ((county), (commune), (sex), (age_band), (disability), (kinds), (county, sex), (county, age_band), (county, disability), (commune, sex), (commune, age_band), (commune, disability), (sex, age_band), (sex, disability), (age_band, disability), ())
  UNION ALL SELECT 'people' AS measure, inst_kind AS inst_kind, institution AS institution, inst_county AS inst_county, inst_commune AS inst_commune, CAST(NULL AS VARCHAR(80)) AS county, CAST(NULL AS VARCHAR(80)) AS commune, CAST(NULL AS VARCHAR(80)) AS sex, CAST(NULL AS VARCHAR(80)) AS age_band, CAST(NULL AS VARCHAR(80)) AS disability, CAST(NULL AS VARCHAR(80)) AS kinds, CAST(NULL AS VARCHAR(80)) AS instrument, CAST(NULL AS VARCHAR(80)) AS outcome, COUNT(DISTINCT person_key) AS value FROM base GROUP BY GROUPING SETS ((inst_kind), (institution), (inst_county), (inst_commune))
)
SELECT p_region, p_period, p_scope, f.measure,
       CASE WHEN f.inst_kind IS NOT NULL THEN 'inst_kind' WHEN f.institution IS NOT NULL THEN 'institution' WHEN f.inst_county IS NOT NULL THEN 'inst_county' WHEN f.inst_commune IS NOT NULL THEN 'inst_commune' WHEN f.county IS NOT NULL THEN 'county' WHEN f.commune IS NOT NULL THEN 'commune' WHEN f.sex IS NOT NULL THEN 'sex' WHEN f.age_band IS NOT NULL THEN 'age_band' WHEN f.disability IS NOT NULL THEN 'disability' WHEN f.kinds IS NOT NULL THEN 'kinds' WHEN f.instrument IS NOT NULL THEN 'instrument' WHEN f.outcome IS NOT NULL THEN 'outcome' ELSE '' END, COALESCE(f.inst_kind, f.institution, f.inst_county, f.inst_commune, f.county, f.commune, f.sex, f.age_band, f.disability, f.kinds, f.instrument, f.outcome, ''),
       CASE WHEN (CASE WHEN f.inst_kind IS NULL THEN 0 ELSE 1 END + CASE WHEN f.institution IS NULL THEN 0 ELSE 1 END + CASE WHEN f.inst_county IS NULL THEN 0 ELSE 1 END + CASE WHEN f.inst_commune IS NULL THEN 0 ELSE 1 END + CASE WHEN f.county IS NULL THEN 0 ELSE 1 END + CASE WHEN f.commune IS NULL THEN 0 ELSE 1 END + CASE WHEN f.sex IS NULL THEN 0 ELSE 1 END + CASE WHEN f.age_band IS NULL THEN 0 ELSE 1 END + CASE WHEN f.disability IS NULL THEN 0 ELSE 1 END + CASE WHEN f.kinds IS NULL THEN 0 ELSE 1 END + CASE WHEN f.instrument IS NULL THEN 0 ELSE 1 END + CASE WHEN f.outcome IS NULL THEN 0 ELSE 1 END) = 2 THEN CASE WHEN f.outcome IS NOT NULL THEN 'outcome' WHEN f.instrument IS NOT NULL THEN 'instrument' WHEN f.kinds IS NOT NULL THEN 'kinds' WHEN f.disability IS NOT NULL THEN 'disability' WHEN f.age_band IS NOT NULL THEN 'age_band' WHEN f.sex IS NOT NULL THEN 'sex' WHEN f.commune IS NOT NULL THEN 'commune' WHEN f.county IS NOT NULL THEN 'county' WHEN f.inst_commune IS NOT NULL THEN 'inst_commune' WHEN f.inst_county IS NOT NULL THEN 'inst_county' WHEN f.institution IS NOT NULL THEN 'institution' WHEN f.inst_kind IS NOT NULL THEN 'inst_kind' END ELSE '' END,
       CASE WHEN (CASE WHEN f.inst_kind IS NULL THEN 0 ELSE 1 END + CASE WHEN f.institution IS NULL THEN 0 ELSE 1 END + CASE WHEN f.inst_county IS NULL THEN 0 ELSE 1 END + CASE WHEN f.inst_commune IS NULL THEN 0 ELSE 1 END + CASE WHEN f.county IS NULL THEN 0 ELSE 1 END + CASE WHEN f.commune IS NULL THEN 0 ELSE 1 END + CASE WHEN f.sex IS NULL THEN 0 ELSE 1 END + CASE WHEN f.age_band IS NULL THEN 0 ELSE 1 END + CASE WHEN f.disability IS NULL THEN 0 ELSE 1 END + CASE WHEN f.kinds IS NULL THEN 0 ELSE 1 END + CASE WHEN f.instrument IS NULL THEN 0 ELSE 1 END + CASE WHEN f.outcome IS NULL THEN 0 ELSE 1 END) = 2 THEN COALESCE(f.outcome, f.instrument, f.kinds, f.disability, f.age_band, f.sex, f.commune, f.county, f.inst_commune, f.inst_county, f.institution, f.inst_kind) ELSE '' END,
       CASE WHEN f.value > 0 AND f.value < (CASE WHEN f.disability IS NOT NULL THEN t.sensitive ELSE t.normal END)
            THEN NULL ELSE f.value END
FROM figures f CROSS JOIN thresholds t;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END
$function$'''

PRUNE_FUNCTION = r'''CREATE FUNCTION figures_api.prune_region(p_region text, p_keep text[])
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $function$
DECLARE
  removed integer;
BEGIN
  PERFORM set_config('app.region_code', p_region, true);
  DELETE FROM region_figures WHERE region_code = p_region AND NOT (period_key = ANY (p_keep));
  GET DIAGNOSTICS removed = ROW_COUNT;
  RETURN removed;
END
$function$'''


def upgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('region_figure_status',
    sa.Column('region_code', sa.String(length=2), nullable=False),
    sa.Column('period_key', sa.String(length=40), nullable=False),
    sa.Column('refreshed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('suppression_threshold', sa.SmallInteger(), nullable=False),
    sa.Column('sensitive_threshold', sa.SmallInteger(), nullable=False),
    sa.ForeignKeyConstraint(['region_code'], ['regions.teryt_code'], name=op.f('fk_region_figure_status_region_code_regions')),
    sa.PrimaryKeyConstraint('region_code', 'period_key', name=op.f('pk_region_figure_status'))
    )
    op.create_table('region_figure_runs',
    sa.Column('region_code', sa.String(length=2), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failure', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['region_code'], ['regions.teryt_code'], name=op.f('fk_region_figure_runs_region_code_regions')),
    sa.PrimaryKeyConstraint('region_code', name=op.f('pk_region_figure_runs'))
    )
    op.create_table('region_figures',
    sa.Column('region_code', sa.String(length=2), nullable=False),
    sa.Column('period_key', sa.String(length=40), nullable=False),
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('measure', sa.String(length=20), nullable=False),
    sa.Column('dim_a', sa.String(length=20), nullable=False),
    sa.Column('key_a', sa.String(length=80), nullable=False),
    sa.Column('dim_b', sa.String(length=20), nullable=False),
    sa.Column('key_b', sa.String(length=80), nullable=False),
    sa.Column('value', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['region_code'], ['regions.teryt_code'], name=op.f('fk_region_figures_region_code_regions')),
    sa.PrimaryKeyConstraint('region_code', 'period_key', 'scope', 'measure', 'dim_a', 'key_a', 'dim_b', 'key_b', name=op.f('pk_region_figures'))
    )
    op.create_table('reporting_periods',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('region_code', sa.String(length=2), nullable=False),
    sa.Column('period_key', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_reporting_periods_period_order')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_reporting_periods_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['region_code'], ['regions.teryt_code'], name=op.f('fk_reporting_periods_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reporting_periods')),
    sa.UniqueConstraint('period_key', name=op.f('uq_reporting_periods_period_key'))
    )
    with op.batch_alter_table('reporting_periods', schema=None) as batch_op:
        batch_op.create_index('ix_reporting_periods_region_start', ['region_code', 'start_date'], unique=False)

    op.create_table('figure_activities',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('period_key', sa.String(length=40), nullable=False),
    sa.Column('participant_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['institutions.id'], name=op.f('fk_figure_activities_tenant_id_institutions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('tenant_id', 'period_key', 'participant_id', 'kind', 'category', name=op.f('pk_figure_activities'))
    )
    with op.batch_alter_table('figure_activities', schema=None) as batch_op:
        batch_op.create_index('ix_figure_activities_period', ['period_key', 'tenant_id'], unique=False)

    op.create_table('figure_participations',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('period_key', sa.String(length=40), nullable=False),
    sa.Column('participant_id', sa.Uuid(), nullable=False),
    sa.Column('person_key', sa.String(length=80), nullable=False),
    sa.Column('sex', sa.String(length=10), nullable=False),
    sa.Column('age_band', sa.String(length=8), nullable=False),
    sa.Column('disability', sa.String(length=10), nullable=False),
    sa.Column('commune_code', sa.String(length=7), nullable=True),
    sa.Column('exited', sa.Boolean(), nullable=False),
    sa.Column('employed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['institutions.id'], name=op.f('fk_figure_participations_tenant_id_institutions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('tenant_id', 'period_key', 'participant_id', name=op.f('pk_figure_participations'))
    )
    with op.batch_alter_table('figure_participations', schema=None) as batch_op:
        batch_op.create_index('ix_figure_participations_period', ['period_key', 'tenant_id'], unique=False)

    op.create_table('period_submissions',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('period_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.Enum('open', 'submitted', 'returned', 'accepted', name='submission_status', native_enum=False, create_constraint=True, length=12), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['reporting_periods.id'], name=op.f('fk_period_submissions_period_id_reporting_periods'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['tenant_id'], ['institutions.id'], name=op.f('fk_period_submissions_tenant_id_institutions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_period_submissions')),
    sa.UniqueConstraint('tenant_id', 'period_id', name='uq_period_submissions_once')
    )
    with op.batch_alter_table('period_submissions', schema=None) as batch_op:
        batch_op.create_index('ix_period_submissions_period', ['period_id', 'status'], unique=False)

    op.create_table('submission_events',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('submission_id', sa.Uuid(), nullable=False),
    sa.Column('action', sa.Enum('opened', 'submitted', 'returned', 'accepted', name='submission_action', native_enum=False, create_constraint=True, length=12), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=200), nullable=False),
    sa.Column('actor_role', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_submission_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'submission_id'], ['period_submissions.tenant_id', 'period_submissions.id'], name=op.f('fk_submission_events_tenant_id_period_submissions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['institutions.id'], name=op.f('fk_submission_events_tenant_id_institutions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_submission_events'))
    )
    with op.batch_alter_table('submission_events', schema=None) as batch_op:
        batch_op.create_index('ix_submission_events_submission', ['tenant_id', 'submission_id', 'at'], unique=False)

    # ### end Alembic commands ###
    for name, table, columns in WORKSPACE_INDEXES:
        op.create_index(name, table, columns)
    execute_statements(op, _require_aggregate_role())
    for table in TENANT_TABLES:
        execute_statements(op, tenant_rls_statements(table))
    for table in REGION_READABLE:
        execute_statements(op, region_read_statements(table))
    execute_statements(op, [
        # The coordinator sees the state of its region's submissions (no person's data in them).
        *[f"CREATE POLICY coordinator_region ON {t} FOR SELECT TO {COORDINATOR_ROLE} USING ({IN_REGION})"
          for t in ("period_submissions", "submission_events")],
        f"GRANT SELECT ON period_submissions, submission_events TO {COORDINATOR_ROLE}",
        # region_figures: written by the aggregate role only, read by the coordinator for its region.
        "ALTER TABLE region_figures ENABLE ROW LEVEL SECURITY",
        f"REVOKE ALL ON region_figures FROM {APP_ROLE}",
        f"CREATE POLICY coordinator_region ON region_figures FOR SELECT TO {COORDINATOR_ROLE} USING ({REGION_MATCH})",
        f"GRANT SELECT ON region_figures TO {COORDINATOR_ROLE}",
        (f"CREATE POLICY aggregate_region ON region_figures TO {AGGREGATE_ROLE} USING ({REGION_MATCH})"
         f" WITH CHECK ({REGION_MATCH})"),
        f"GRANT SELECT, INSERT, DELETE ON region_figures TO {AGGREGATE_ROLE}",
        # What the aggregate role reads, always within one region.
        f"GRANT USAGE ON SCHEMA public TO {AGGREGATE_ROLE}",
        *[f"CREATE POLICY aggregate_region ON {t} FOR SELECT TO {AGGREGATE_ROLE} USING ({IN_REGION})"
          for t in ("figure_participations", "figure_activities", "period_submissions")],
        f"CREATE POLICY aggregate_region ON institutions FOR SELECT TO {AGGREGATE_ROLE} USING ({REGION_MATCH})",
        f"CREATE POLICY aggregate_region ON reporting_periods FOR SELECT TO {AGGREGATE_ROLE} USING ({REGION_MATCH})",
        (f"GRANT SELECT ON figure_participations, figure_activities, period_submissions, institutions,"
         f" reporting_periods, regions TO {AGGREGATE_ROLE}"),
        # The functions live in a schema of their own, owned by the aggregate role.
        f"CREATE SCHEMA figures_api AUTHORIZATION {AGGREGATE_ROLE}",
        "REVOKE ALL ON SCHEMA figures_api FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA figures_api TO {APP_ROLE}",
        REFRESH_FUNCTION,
        PRUNE_FUNCTION,
        *[statement for signature in ("refresh_region_period(text, text, text)", "prune_region(text, text[])")
          for statement in (f"ALTER FUNCTION figures_api.{signature} OWNER TO {AGGREGATE_ROLE}",
                            f"REVOKE ALL ON FUNCTION figures_api.{signature} FROM PUBLIC",
                            f"GRANT EXECUTE ON FUNCTION figures_api.{signature} TO {APP_ROLE}")],
    ])


def _require_aggregate_role() -> list[str]:
    """Fail with a clear message when the roles were provisioned before this revision."""
    return [f"""DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{AGGREGATE_ROLE}')
     OR NOT pg_has_role(current_user, '{AGGREGATE_ROLE}', 'MEMBER') THEN
    RAISE EXCEPTION 'role {AGGREGATE_ROLE} is missing or {OWNER_ROLE} is not a member of it: '
      'run "flask db-roles provision" again as a database administrator';
  END IF;
END $$"""]


def downgrade():
    execute_statements(op, [
        "DROP SCHEMA IF EXISTS figures_api CASCADE",
        f"REVOKE SELECT ON institutions, regions FROM {AGGREGATE_ROLE}",
        "DROP POLICY IF EXISTS aggregate_region ON institutions",
        f"REVOKE USAGE ON SCHEMA public FROM {AGGREGATE_ROLE}",
    ])
    for table in REGION_READABLE:
        execute_statements(op, drop_region_read_statements(table))
    for table in TENANT_TABLES:
        execute_statements(op, drop_tenant_rls_statements(table))
    for name, table, _columns in WORKSPACE_INDEXES:
        op.drop_index(name, table_name=table)
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('submission_events', schema=None) as batch_op:
        batch_op.drop_index('ix_submission_events_submission')

    op.drop_table('submission_events')
    with op.batch_alter_table('period_submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_period_submissions_period')

    op.drop_table('period_submissions')
    with op.batch_alter_table('figure_participations', schema=None) as batch_op:
        batch_op.drop_index('ix_figure_participations_period')

    op.drop_table('figure_participations')
    with op.batch_alter_table('figure_activities', schema=None) as batch_op:
        batch_op.drop_index('ix_figure_activities_period')

    op.drop_table('figure_activities')
    with op.batch_alter_table('reporting_periods', schema=None) as batch_op:
        batch_op.drop_index('ix_reporting_periods_region_start')

    op.drop_table('reporting_periods')
    op.drop_table('region_figures')
    op.drop_table('region_figure_runs')
    op.drop_table('region_figure_status')
    # ### end Alembic commands ###
