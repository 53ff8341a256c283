"""The region's network in the coordinator's figures: referrals and working groups counted into
region_figures, so that they are protected in the linked set with every other table.

`figures_api.refresh_region_network(region, period, start, end)` writes, for one period, the
network measures of coordinator/dimensions.py (NETWORK_MEASURES) into region_figures (scope
"all"): referrals sent in the period by the sending and receiving institution's type, the
service's type and the sending institution's county, with four cross-tables (the median times are
not counts: referral_api.region_referral_figures of 0018c gives them, and the page shows one only
over exactly a published count that reaches the threshold); working groups and meetings by the types and counties of the institutions taking
part, attendance by the attendee's institution type, and action items whose deadline has passed
by the owner's institution type. Counts below the region's threshold are stored as NULL, as
figures_api.refresh_region_period does. It runs right after that function (which empties the
period's rows) in coordinator/refresh.py.

SECURITY DEFINER, owned by the NOLOGIN role regionet_aggregate, which may read only the columns it
counts and only rows of institutions of the region in `app.region_code` (policies aggregate_region,
as for referrals in 0018c); the runtime role may EXECUTE it. Never a name, a referral or a row.

Revision ID: 0023n
Revises: 0023t
Create Date: 2026-12-04 12:50:00

"""
from alembic import op

from regionet.platform.tenancy.rls import execute_statements
from regionet.platform.tenancy.roles import AGGREGATE_ROLE, APP_ROLE

# revision identifiers, used by Alembic.
revision = '0023n'
down_revision = '0023t'
branch_labels = None
depends_on = None

SIGNATURE = "refresh_region_network(text, text, date, date)"
FUNCTION = r'''CREATE FUNCTION figures_api.refresh_region_network(p_region text, p_period text, p_start date, p_end date)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $function$
DECLARE
  written integer;
  added integer;
  normal integer;
BEGIN
  PERFORM set_config('app.region_code', p_region, true);
  SELECT suppression_threshold INTO normal FROM regions WHERE teryt_code = p_region;
  DELETE FROM region_figures WHERE region_code = p_region AND period_key = p_period AND scope = 'all'
    AND split_part(measure, '_', 1) IN ('ref', 'grp', 'att', 'act');

  -- referrals sent in the period from the region's institutions
  WITH r AS (
    SELECT CAST(s.kind AS text) AS ref_from, CAST(v.kind AS text) AS ref_to, CAST(c.service_type AS text) AS ref_service,
           substr(s.teryt_code, 1, 4) AS ref_county, r.state, r.result, r.accepted_at AS to_accept,
           r.started_on AS to_start
    FROM referrals r
    JOIN institutions s ON s.id = r.tenant_id
    JOIN institutions v ON v.id = r.receiver_tenant_id
    JOIN catalogue_services c ON c.tenant_id = r.receiver_tenant_id AND c.id = r.service_id
    WHERE s.region_code = p_region
      AND (r.sent_at AT TIME ZONE 'Europe/Warsaw')::date BETWEEN p_start AND p_end
  ),
  g AS (
    SELECT GROUPING(ref_from) AS gf, GROUPING(ref_to) AS gt, GROUPING(ref_service) AS gs, GROUPING(ref_county) AS gc,
           ref_from, ref_to, ref_service, ref_county,
           count(*) AS sent, count(to_accept) AS accepted, count(*) FILTER (WHERE state = 'declined') AS declined,
           count(to_start) AS started, count(result) AS completed
    FROM r
    GROUP BY GROUPING SETS ((ref_from), (ref_to), (ref_service), (ref_county), (ref_from, ref_to),
                            (ref_from, ref_service), (ref_to, ref_service), (ref_to, ref_county), ())
  ),
  named AS (   -- dim_a: the first grouped dimension in the stored order (from, to, service, county)
    SELECT g.*,
           CASE WHEN gf = 0 THEN 'ref_from' WHEN gt = 0 THEN 'ref_to' WHEN gs = 0 THEN 'ref_service'
                WHEN gc = 0 THEN 'ref_county' ELSE '' END AS dim_a,
           COALESCE(CASE WHEN gf = 0 THEN ref_from WHEN gt = 0 THEN ref_to WHEN gs = 0 THEN ref_service
                         WHEN gc = 0 THEN ref_county END, '') AS key_a,
           CASE WHEN (4 - gf - gt - gs - gc) < 2 THEN '' WHEN gc = 0 THEN 'ref_county' WHEN gs = 0 THEN 'ref_service'
                ELSE 'ref_to' END AS dim_b,
           CASE WHEN (4 - gf - gt - gs - gc) < 2 THEN '' WHEN gc = 0 THEN ref_county WHEN gs = 0 THEN ref_service
                ELSE ref_to END AS key_b
    FROM g
  )
  INSERT INTO region_figures (region_code, period_key, scope, measure, dim_a, key_a, dim_b, key_b, value)
  SELECT p_region, p_period, 'all', m.measure, n.dim_a, n.key_a, n.dim_b, COALESCE(n.key_b, ''),
         CASE WHEN m.value > 0 AND m.value < normal THEN NULL ELSE m.value END
  FROM named n CROSS JOIN LATERAL (VALUES
      ('ref_sent', n.sent), ('ref_accepted', n.accepted), ('ref_declined', n.declined),
      ('ref_started', n.started), ('ref_completed', n.completed)) AS m(measure, value);
  GET DIAGNOSTICS written = ROW_COUNT;

  -- working groups of the region's institutions and the institutions taking part in them
  WITH parties AS (
    SELECT DISTINCT wg.id AS group_id, wg.tenant_id, CAST(i.kind AS text) AS grp_kind,
           substr(i.teryt_code, 1, 4) AS grp_county
    FROM working_groups wg
    JOIN institutions o ON o.id = wg.tenant_id
    JOIN LATERAL (SELECT wg.tenant_id AS institution_id
                  UNION SELECT wi.institution_id FROM working_group_institutions wi
                        WHERE wi.tenant_id = wg.tenant_id AND wi.group_id = wg.id AND wi.status = 'member') p ON true
    JOIN institutions i ON i.id = p.institution_id
    WHERE o.region_code = p_region
  ),
  facts AS (
    SELECT 'grp_groups' AS measure, p.group_id AS unit, p.grp_kind, p.grp_county
    FROM parties p JOIN working_groups wg ON wg.tenant_id = p.tenant_id AND wg.id = p.group_id
    WHERE (wg.created_at AT TIME ZONE 'Europe/Warsaw')::date <= p_end
    UNION ALL
    SELECT 'grp_meetings', m.id, p.grp_kind, p.grp_county
    FROM parties p JOIN group_meetings m ON m.tenant_id = p.tenant_id AND m.group_id = p.group_id
    WHERE (m.starts_at AT TIME ZONE 'Europe/Warsaw')::date BETWEEN p_start AND p_end
  ),
  g AS (
    SELECT measure, GROUPING(grp_kind) AS gk, GROUPING(grp_county) AS gc, grp_kind, grp_county,
           count(DISTINCT unit) AS value
    FROM facts
    GROUP BY measure, GROUPING SETS ((grp_kind), (grp_county), (grp_kind, grp_county), ())
  )
  INSERT INTO region_figures (region_code, period_key, scope, measure, dim_a, key_a, dim_b, key_b, value)
  SELECT p_region, p_period, 'all', measure,
         CASE WHEN gk = 0 THEN 'grp_kind' WHEN gc = 0 THEN 'grp_county' ELSE '' END,
         COALESCE(CASE WHEN gk = 0 THEN grp_kind ELSE grp_county END, ''),
         CASE WHEN gk = 0 AND gc = 0 THEN 'grp_county' ELSE '' END,
         CASE WHEN gk = 0 AND gc = 0 THEN grp_county ELSE '' END,
         CASE WHEN value > 0 AND value < normal THEN NULL ELSE value END
  FROM g;
  GET DIAGNOSTICS added = ROW_COUNT;
  written := written + added;

  -- attendance recorded at the meetings held in the period, by the attendee's institution type
  -- (guests and members of no institution of the region: ''), and action items whose deadline in
  -- the period has passed, by the owner's institution type
  WITH facts AS (
    SELECT 'att' AS block, COALESCE(CAST(i.kind AS text), '') AS kind, a.presence = 'present' AS good
    FROM group_attendance a
    JOIN group_meetings m ON m.tenant_id = a.tenant_id AND m.id = a.meeting_id
    JOIN institutions o ON o.id = a.tenant_id
    LEFT JOIN working_group_members wm ON wm.tenant_id = a.tenant_id AND wm.id = a.member_id
    LEFT JOIN institutions i ON i.id = wm.institution_id
    WHERE o.region_code = p_region AND a.presence IN ('present', 'excused', 'absent')
      AND (m.starts_at AT TIME ZONE 'Europe/Warsaw')::date BETWEEN p_start AND p_end
    UNION ALL
    SELECT 'act', COALESCE(CAST(i.kind AS text), ''), ai.state = 'done' AND ai.done_on <= ai.deadline
    FROM group_action_items ai
    JOIN institutions o ON o.id = ai.tenant_id
    LEFT JOIN working_group_members wm ON wm.tenant_id = ai.tenant_id AND wm.id = ai.owner_member_id
    LEFT JOIN institutions i ON i.id = COALESCE(ai.owner_institution_id, wm.institution_id)
    WHERE o.region_code = p_region AND ai.deadline BETWEEN p_start AND p_end
      AND ai.deadline < (now() AT TIME ZONE 'Europe/Warsaw')::date
  ),
  g AS (
    SELECT block, GROUPING(kind) AS gk, kind, count(*) AS total, count(*) FILTER (WHERE good) AS good
    FROM facts GROUP BY block, GROUPING SETS ((kind), ())
  )
  INSERT INTO region_figures (region_code, period_key, scope, measure, dim_a, key_a, dim_b, key_b, value)
  SELECT p_region, p_period, 'all', m.measure, CASE WHEN gk = 0 THEN block || '_kind' ELSE '' END,
         CASE WHEN gk = 0 THEN kind ELSE '' END, '', '',
         CASE WHEN m.value > 0 AND m.value < normal THEN NULL ELSE m.value END
  FROM g CROSS JOIN LATERAL (VALUES
      (CASE WHEN block = 'att' THEN 'att_recorded' ELSE 'act_due' END, total),
      (CASE WHEN block = 'att' THEN 'att_present' ELSE 'act_on_time' END, good)) AS m(measure, value);
  GET DIAGNOSTICS added = ROW_COUNT;
  RETURN written + added;
END
$function$'''

IN_REGION = "tenant_id IN (SELECT id FROM institutions WHERE region_code = NULLIF(current_setting('app.region_code', true), ''))"
# What the function reads of the groups' tables: never a name, a title or a text.
COLUMNS = {
    "working_groups": "tenant_id, id, created_at",
    "working_group_institutions": "tenant_id, group_id, institution_id, status",
    "working_group_members": "tenant_id, id, institution_id",
    "group_meetings": "tenant_id, id, group_id, starts_at",
    "group_attendance": "tenant_id, meeting_id, member_id, presence",
    "group_action_items": "tenant_id, owner_member_id, owner_institution_id, deadline, state, done_on",
    "shared_parties": "tenant_id, party_set_id, institution_id",   # the tables' own policies look there
}


def upgrade():
    execute_statements(op, [
        *[f"CREATE POLICY aggregate_region ON {table} FOR SELECT TO {AGGREGATE_ROLE} USING ({IN_REGION})"
          for table in COLUMNS],
        *[f"GRANT SELECT ({columns}) ON {table} TO {AGGREGATE_ROLE}" for table, columns in COLUMNS.items()],
        FUNCTION,
        f"ALTER FUNCTION figures_api.{SIGNATURE} OWNER TO {AGGREGATE_ROLE}",
        f"REVOKE ALL ON FUNCTION figures_api.{SIGNATURE} FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION figures_api.{SIGNATURE} TO {APP_ROLE}",
    ])


def downgrade():
    execute_statements(op, [
        f"DROP FUNCTION IF EXISTS figures_api.{SIGNATURE}",
        *[f"REVOKE SELECT ({columns}) ON {table} FROM {AGGREGATE_ROLE}" for table, columns in COLUMNS.items()],
        *[f"DROP POLICY IF EXISTS aggregate_region ON {table}" for table in COLUMNS],
    ])
