"""The coordinator's referral figures: counts and median times, never a referral or a person.

`referral_api.region_referral_figures(start, end)` counts the referrals sent from institutions of
the region in `app.region_code` between two days, by sending and receiving institution type, by
service type and by the sending institution's county (GROUPING SETS, one pass): sent, accepted,
declined, started, completed with a result, and the median days from sending to acceptance and to
the start with the number each median is taken over. SECURITY DEFINER, owned by the NOLOGIN role
regionet_aggregate, which may read referrals and catalogue services only of that region (its own
row-level security policies) and only the columns it needs; the coordinator role may EXECUTE it and
nothing else of these tables. Small counts are suppressed by the caller through disclosure control
(platform/coordinator/referral_tables.py), as every other table.

Revision ID: 0018c
Revises: 0022c
Create Date: 2026-12-04 10:05:00

"""
from alembic import op

from regionet.platform.tenancy.rls import REGION_MATCH, execute_statements
from regionet.platform.tenancy.roles import AGGREGATE_ROLE, COORDINATOR_ROLE

# revision identifiers, used by Alembic.
revision = '0018c'
down_revision = '0022c'
branch_labels = None
depends_on = None

SIGNATURE = "region_referral_figures(date, date)"
FUNCTION = r'''CREATE FUNCTION referral_api.region_referral_figures(p_start date, p_end date)
RETURNS TABLE (dim text, key text, sent bigint, accepted bigint, declined bigint, started bigint,
               completed bigint, accept_n bigint, accept_days double precision, start_n bigint,
               start_days double precision)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $function$
  WITH r AS (
    SELECT s.kind AS sender_kind, v.kind AS receiver_kind, c.service_type,
           substr(s.teryt_code, 1, 4) AS county, r.state, r.result,
           EXTRACT(EPOCH FROM r.accepted_at - r.sent_at) / 86400.0 AS to_accept,
           (r.started_on - (r.sent_at AT TIME ZONE 'Europe/Warsaw')::date)::double precision AS to_start
    FROM referrals r
    JOIN institutions s ON s.id = r.tenant_id
    JOIN institutions v ON v.id = r.receiver_tenant_id
    JOIN catalogue_services c ON c.tenant_id = r.receiver_tenant_id AND c.id = r.service_id
    WHERE s.region_code = NULLIF(current_setting('app.region_code', true), '')
      AND (r.sent_at AT TIME ZONE 'Europe/Warsaw')::date BETWEEN p_start AND p_end
  )
  SELECT CASE WHEN GROUPING(sender_kind) = 0 THEN 'sender_kind'
              WHEN GROUPING(receiver_kind) = 0 THEN 'receiver_kind'
              WHEN GROUPING(service_type) = 0 THEN 'service_type'
              WHEN GROUPING(county) = 0 THEN 'county' ELSE 'total' END,
         COALESCE(sender_kind, receiver_kind, service_type, county, ''),
         count(*), count(to_accept), count(*) FILTER (WHERE state = 'declined'), count(to_start),
         count(result), count(to_accept),
         percentile_cont(0.5) WITHIN GROUP (ORDER BY to_accept),
         count(to_start), percentile_cont(0.5) WITHIN GROUP (ORDER BY to_start)
  FROM r
  GROUP BY GROUPING SETS ((sender_kind), (receiver_kind), (service_type), (county), ())
$function$'''

IN_REGION = "tenant_id IN (SELECT id FROM institutions WHERE " + REGION_MATCH + ")"
COLUMNS = {
    "referrals": "tenant_id, receiver_tenant_id, service_id, state, result, sent_at, accepted_at, started_on",
    "catalogue_services": "tenant_id, id, service_type, region_code",
}


def upgrade():
    execute_statements(op, [
        f"CREATE POLICY aggregate_region ON referrals FOR SELECT TO {AGGREGATE_ROLE} USING ({IN_REGION})",
        f"CREATE POLICY aggregate_region ON catalogue_services FOR SELECT TO {AGGREGATE_ROLE} USING ({REGION_MATCH})",
        *[f"GRANT SELECT ({columns}) ON {table} TO {AGGREGATE_ROLE}" for table, columns in COLUMNS.items()],
        f"CREATE SCHEMA referral_api AUTHORIZATION {AGGREGATE_ROLE}",
        "REVOKE ALL ON SCHEMA referral_api FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA referral_api TO {COORDINATOR_ROLE}",
        FUNCTION,
        f"ALTER FUNCTION referral_api.{SIGNATURE} OWNER TO {AGGREGATE_ROLE}",
        f"REVOKE ALL ON FUNCTION referral_api.{SIGNATURE} FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION referral_api.{SIGNATURE} TO {COORDINATOR_ROLE}",
    ])


def downgrade():
    execute_statements(op, [
        "DROP SCHEMA IF EXISTS referral_api CASCADE",
        *[f"REVOKE SELECT ({columns}) ON {table} FROM {AGGREGATE_ROLE}" for table, columns in COLUMNS.items()],
        "DROP POLICY IF EXISTS aggregate_region ON catalogue_services",
        "DROP POLICY IF EXISTS aggregate_region ON referrals",
    ])
