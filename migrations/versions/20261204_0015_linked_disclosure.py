"""Disclosure control across everything a coordinator can download (issue 11).

* Thresholds are the operator's: regionet_app may no longer UPDATE regions'
  suppression_threshold and sensitive_threshold (table-level UPDATE is replaced by UPDATE on
  the other columns). figures_api.set_region_thresholds(region, normal, sensitive, actor,
  reason) is the one way to change them: SECURITY DEFINER, owned by the aggregate role, it
  refuses an actor who is not an operator and an empty reason, and writes the change with its
  reason into the accounts' trail (account_events, append-only for the runtime role) in the
  same statement. The thresholds can no longer go below the law's floor: 3, and 5 for
  special-category breakdowns (check constraints).
* region_figure_patterns: the suppression pattern of each linked set of the region's figures
  (coordinator/figure_links.py), one row per period and scope, stamped with what it was
  computed from. Written and read by the coordinator role for its region only; the runtime
  role has no access at all (it can neither read secondary cells' positions nor blank a
  pattern to make cells visible: a missing or stale pattern is recomputed before anything
  is shown).

Revision ID: 0015
Revises: 0020c
Create Date: 2026-12-04 09:30:00

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from regionet.platform.tenancy.rls import REGION_MATCH, execute_statements
from regionet.platform.tenancy.roles import AGGREGATE_ROLE, APP_ROLE, COORDINATOR_ROLE

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0020c'
branch_labels = None
depends_on = None

REGION_COLUMNS_FOR_APP = "teryt_code, slug, name, require_second_factor, created_at"
SIGNATURE = "set_region_thresholds(text, integer, integer, integer, text)"
THRESHOLDS_FUNCTION = r'''CREATE FUNCTION figures_api.set_region_thresholds(
  p_region text, p_normal integer, p_sensitive integer, p_actor integer, p_reason text)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $function$
DECLARE
  old_normal integer;
  old_sensitive integer;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM users WHERE id = p_actor AND is_operator) THEN
    RAISE EXCEPTION 'only the platform operator changes disclosure thresholds' USING ERRCODE = '42501';
  END IF;
  IF p_reason IS NULL OR length(btrim(p_reason)) < 3 THEN
    RAISE EXCEPTION 'a change of thresholds needs a reason' USING ERRCODE = '22023';
  END IF;
  SELECT suppression_threshold, sensitive_threshold INTO old_normal, old_sensitive
  FROM regions WHERE teryt_code = p_region FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no region %', p_region USING ERRCODE = '22023';
  END IF;
  UPDATE regions SET suppression_threshold = p_normal, sensitive_threshold = p_sensitive
  WHERE teryt_code = p_region;
  INSERT INTO account_events (at, kind, actor_id, region_code, detail)
  VALUES (now(), 'thresholds_changed', p_actor, p_region,
          json_build_object('from', json_build_array(old_normal, old_sensitive),
                            'to', json_build_array(p_normal, p_sensitive), 'reason', btrim(p_reason)));
END
$function$'''


def upgrade():
    op.create_table(
        'region_figure_patterns',
        sa.Column('region_code', sa.String(length=2), nullable=False),
        sa.Column('period_key', sa.String(length=40), nullable=False),
        sa.Column('scope', sa.String(length=10), nullable=False),
        sa.Column('set_key', sa.String(length=40), nullable=False),
        sa.Column('stamp', sa.String(length=64), nullable=False),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('seconds', sa.Float(), nullable=False),
        sa.Column('one_way', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('cross', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(['region_code'], ['regions.teryt_code'],
                                name=op.f('fk_region_figure_patterns_region_code_regions')),
        sa.PrimaryKeyConstraint('region_code', 'period_key', 'scope', name=op.f('pk_region_figure_patterns')),
    )
    execute_statements(op, [
        "ALTER TABLE regions DROP CONSTRAINT ck_regions_threshold_positive",
        "ALTER TABLE regions DROP CONSTRAINT ck_regions_sensitive_stricter",
        "ALTER TABLE regions ADD CONSTRAINT ck_regions_threshold_floor CHECK (suppression_threshold >= 3)",
        ("ALTER TABLE regions ADD CONSTRAINT ck_regions_sensitive_stricter"
         " CHECK (sensitive_threshold >= suppression_threshold AND sensitive_threshold >= 5)"),
        f"REVOKE UPDATE ON regions FROM {APP_ROLE}",
        f"GRANT UPDATE ({REGION_COLUMNS_FOR_APP}) ON regions TO {APP_ROLE}",
        f"GRANT UPDATE (suppression_threshold, sensitive_threshold) ON regions TO {AGGREGATE_ROLE}",
        f"GRANT SELECT (id, is_operator) ON users TO {AGGREGATE_ROLE}",
        f"GRANT INSERT ON account_events TO {AGGREGATE_ROLE}",
        f"GRANT USAGE ON SEQUENCE account_events_id_seq TO {AGGREGATE_ROLE}",
        THRESHOLDS_FUNCTION,
        f"ALTER FUNCTION figures_api.{SIGNATURE} OWNER TO {AGGREGATE_ROLE}",
        f"REVOKE ALL ON FUNCTION figures_api.{SIGNATURE} FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION figures_api.{SIGNATURE} TO {APP_ROLE}",
        "ALTER TABLE region_figure_patterns ENABLE ROW LEVEL SECURITY",
        f"REVOKE ALL ON region_figure_patterns FROM {APP_ROLE}",
        (f"CREATE POLICY coordinator_region ON region_figure_patterns TO {COORDINATOR_ROLE}"
         f" USING ({REGION_MATCH}) WITH CHECK ({REGION_MATCH})"),
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON region_figure_patterns TO {COORDINATOR_ROLE}",
    ])


def downgrade():
    execute_statements(op, [
        f"DROP FUNCTION IF EXISTS figures_api.{SIGNATURE}",
        f"REVOKE USAGE ON SEQUENCE account_events_id_seq FROM {AGGREGATE_ROLE}",
        f"REVOKE INSERT ON account_events FROM {AGGREGATE_ROLE}",
        f"REVOKE SELECT (id, is_operator) ON users FROM {AGGREGATE_ROLE}",
        f"REVOKE UPDATE (suppression_threshold, sensitive_threshold) ON regions FROM {AGGREGATE_ROLE}",
        f"REVOKE UPDATE ({REGION_COLUMNS_FOR_APP}) ON regions FROM {APP_ROLE}",
        f"GRANT UPDATE ON regions TO {APP_ROLE}",
        "ALTER TABLE regions DROP CONSTRAINT ck_regions_sensitive_stricter",
        "ALTER TABLE regions DROP CONSTRAINT ck_regions_threshold_floor",
        "ALTER TABLE regions ADD CONSTRAINT ck_regions_threshold_positive CHECK (suppression_threshold >= 1)",
        ("ALTER TABLE regions ADD CONSTRAINT ck_regions_sensitive_stricter"
         " CHECK (sensitive_threshold >= suppression_threshold)"),
    ])
    op.drop_table('region_figure_patterns')
