"""The change history is append-only for the runtime role, and redacted when a person is erased.

* regionet_app may no longer UPDATE, DELETE or TRUNCATE change_records (like access_records):
  nobody using the platform can rewrite who changed what;
* history_api.redact_person(tenant, participant) is the one change the history ever gets: it
  replaces every value in the entries of a person (the participant, and the enrolments, support
  episodes and outcomes its history ties to them) by the marker "[redacted]", keeping which
  fields changed, when and by whom; the access trail's entries about those records keep who opened
  what and when, and lose the name their `detail` gave. SECURITY DEFINER, owned by the NOLOGIN
  role regionet_history, which may only read change_records and update their `changes` column,
  and read three columns of access_records and update `detail`, only in the tenant of the
  transaction (the tables' row-level security binds it like any role); the function refuses a
  tenant other than the transaction's. The runtime role may execute it.

Revision ID: 0017
Revises: 0012
Create Date: 2026-12-03 22:00:00

"""
from alembic import op

from regionet.platform.tenancy.rls import execute_statements
from regionet.platform.tenancy.roles import APP_ROLE, HISTORY_ROLE, OWNER_ROLE

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

SIGNATURE = "redact_person(integer, uuid)"
REDACT_FUNCTION = r'''CREATE FUNCTION history_api.redact_person(p_tenant integer, p_participant uuid)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $function$
DECLARE
  ids uuid[];
  redacted integer;
BEGIN
  IF p_tenant IS NULL OR p_participant IS NULL
     OR p_tenant IS DISTINCT FROM NULLIF(current_setting('app.tenant_id', true), '')::integer THEN
    RAISE EXCEPTION 'history can be redacted only in the tenant of the transaction' USING ERRCODE = '42501';
  END IF;
  WITH enrolments AS (
    -- every enrolment of the person the history knows of (a snapshot, or an update of participant_id)
    SELECT DISTINCT entity_id FROM change_records
    WHERE tenant_id = p_tenant AND entity_type = 'Enrolment'
      AND (changes->>'participant_id' = p_participant::text
           OR (json_typeof(changes->'participant_id') = 'array'
               AND p_participant::text IN (changes->'participant_id'->>0, changes->'participant_id'->>1)))
  )
  SELECT array_agg(DISTINCT entity_id) INTO ids FROM (
    SELECT p_participant AS entity_id
    UNION SELECT entity_id FROM enrolments
    UNION SELECT c.entity_id FROM change_records c
      WHERE c.tenant_id = p_tenant AND c.entity_type IN ('SupportEpisode', 'Outcome')
        AND (c.changes->>'enrolment_id') IN (SELECT CAST(e.entity_id AS text) FROM enrolments e)
  ) AS person_records;
  -- The access trail keeps who opened what and when; the name its entry gave goes.
  UPDATE access_records SET detail = '[redacted]'
  WHERE tenant_id = p_tenant AND subject_id = ANY(ids) AND detail IS NOT NULL AND detail <> '[redacted]';
  UPDATE change_records c SET changes = (
    SELECT COALESCE(json_object_agg(f.key, CASE
        WHEN json_typeof(f.value) = 'null' THEN f.value
        WHEN json_typeof(f.value) = 'array' THEN (
          SELECT COALESCE(json_agg(CASE WHEN json_typeof(v.value) = 'null' THEN v.value
                                        ELSE to_json(CAST('[redacted]' AS text)) END), '[]'::json)
          FROM json_array_elements(f.value) AS v)
        ELSE to_json(CAST('[redacted]' AS text)) END), '{}'::json)
    FROM json_each(c.changes) AS f)
  WHERE c.tenant_id = p_tenant AND c.entity_id = ANY(ids);
  GET DIAGNOSTICS redacted = ROW_COUNT;
  RETURN redacted;
END
$function$'''


def upgrade():
    execute_statements(op, [
        f"""DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{HISTORY_ROLE}')
     OR NOT pg_has_role(current_user, '{HISTORY_ROLE}', 'MEMBER') THEN
    RAISE EXCEPTION 'role {HISTORY_ROLE} is missing or {OWNER_ROLE} is not a member of it: '
      'run "flask db-roles provision" again as a database administrator';
  END IF;
END $$""",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON change_records FROM {APP_ROLE}",
        f"GRANT USAGE ON SCHEMA public TO {HISTORY_ROLE}",
        f"GRANT SELECT, UPDATE (changes) ON change_records TO {HISTORY_ROLE}",
        f"GRANT SELECT (tenant_id, subject_id, detail), UPDATE (detail) ON access_records TO {HISTORY_ROLE}",
        f"CREATE SCHEMA history_api AUTHORIZATION {HISTORY_ROLE}",
        "REVOKE ALL ON SCHEMA history_api FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA history_api TO {APP_ROLE}",
        REDACT_FUNCTION,
        f"ALTER FUNCTION history_api.{SIGNATURE} OWNER TO {HISTORY_ROLE}",
        f"REVOKE ALL ON FUNCTION history_api.{SIGNATURE} FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION history_api.{SIGNATURE} TO {APP_ROLE}",
    ])


def downgrade():
    execute_statements(op, [
        "DROP SCHEMA IF EXISTS history_api CASCADE",
        f"REVOKE SELECT, UPDATE (changes) ON change_records FROM {HISTORY_ROLE}",
        f"REVOKE SELECT (tenant_id, subject_id, detail), UPDATE (detail) ON access_records FROM {HISTORY_ROLE}",
        f"REVOKE USAGE ON SCHEMA public FROM {HISTORY_ROLE}",
        f"GRANT UPDATE, DELETE, TRUNCATE ON change_records TO {APP_ROLE}",
    ])
