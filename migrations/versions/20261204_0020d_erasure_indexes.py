"""Erasure at scale: the history's and the trail's lookups of one person are indexed.

Anonymising one person of an institution with 20,000 participants took a median 218 ms
(bench/retention_bench.py), growing with the institution's history: history_api.redact_person read
every entry of the institution to find the person's. Now:

* change_records: (tenant_id, changes->>'participant_id'), (tenant_id, changes->>'enrolment_id'),
  (tenant_id, entity_id), and a partial index of the few entries whose participant_id changed;
* access_records: (tenant_id, subject_id) (also "who saw this person");
* figure_participations: (tenant_id, participant_id) (the person key rewritten in every period);
* history_api.redact_person reads through them (same result as 0020's).

Revision ID: 0020d
Revises: 0015
Create Date: 2026-12-04 10:45:00

"""
import importlib.util
from pathlib import Path

from alembic import op

from regionet.platform.tenancy.rls import execute_statements

# revision identifiers, used by Alembic.
revision = '0020d'
down_revision = '0015'
branch_labels = None
depends_on = None

INDEXES = [
    "CREATE INDEX ix_change_records_tenant_participant ON change_records (tenant_id, (changes->>'participant_id'))",
    "CREATE INDEX ix_change_records_tenant_enrolment ON change_records (tenant_id, (changes->>'enrolment_id'))",
    "CREATE INDEX ix_change_records_tenant_entity_id ON change_records (tenant_id, entity_id)",
    ("CREATE INDEX ix_change_records_moved_participant ON change_records (tenant_id) "
     "WHERE json_typeof(changes->'participant_id') = 'array'"),
    "CREATE INDEX ix_access_records_tenant_subject ON access_records (tenant_id, subject_id)",
    "CREATE INDEX ix_figure_participations_participant ON figure_participations (tenant_id, participant_id)",
]
NAMES = ["ix_change_records_tenant_participant", "ix_change_records_tenant_enrolment",
         "ix_change_records_tenant_entity_id", "ix_change_records_moved_participant",
         "ix_access_records_tenant_subject", "ix_figure_participations_participant"]

INDEXED_REDACT_FUNCTION = r'''CREATE OR REPLACE FUNCTION history_api.redact_person(p_tenant integer, p_participant uuid)
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
  WITH linked AS (
    -- every record the history ties to the person (an enrolment, a consent, a request...); two
    -- indexed reads: entries naming them, and the few whose participant_id changed
    SELECT DISTINCT entity_type, entity_id FROM (
      SELECT entity_type, entity_id FROM change_records
      WHERE tenant_id = p_tenant AND (changes->>'participant_id') = p_participant::text
      UNION ALL
      SELECT entity_type, entity_id FROM change_records
      WHERE tenant_id = p_tenant AND json_typeof(changes->'participant_id') = 'array'
        AND p_participant::text IN (changes->'participant_id'->>0, changes->'participant_id'->>1)
    ) AS refs
    WHERE entity_type <> 'Participant'
  )
  SELECT array_agg(DISTINCT entity_id) INTO ids FROM (
    SELECT p_participant AS entity_id
    UNION SELECT entity_id FROM linked
    UNION SELECT c.entity_id FROM change_records c
      WHERE c.tenant_id = p_tenant AND c.entity_type IN ('SupportEpisode', 'Outcome')
        AND (c.changes->>'enrolment_id') IN (SELECT CAST(l.entity_id AS text) FROM linked l
                                             WHERE l.entity_type = 'Enrolment')
  ) AS person_records;
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
    execute_statements(op, [*INDEXES, INDEXED_REDACT_FUNCTION])


def _previous_redact_function() -> str:
    path = Path(__file__).with_name("20261204_0020_privacy.py")
    spec = importlib.util.spec_from_file_location("migration_0020", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.REDACT_FUNCTION


def downgrade():
    execute_statements(op, [_previous_redact_function(), *[f"DROP INDEX IF EXISTS {name}" for name in NAMES]])
