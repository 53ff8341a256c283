"""A person's data through its life: consents by purpose, subject requests, retention, erasure.

* consents (tenant-owned): purpose, legal basis, given and withdrawn dates, evidence attachment;
* subject_requests (tenant-owned): GDPR art. 15-21 requests with due dates, assignee, answer;
* retention_listings (tenant-owned): people whose every retention ended, listed then anonymised;
* participants.anonymised_at, restricted_at, restriction_reason;
* projects.retention_until, retention_reason (the funding rules' default when empty);
* memberships.special_categories: the admin lets a member see special-category answers;
* history_api.redact_person now also redacts every entry that names the person
  (`participant_id`: consents, requests, anything added later), and history_api.redact_terms
  takes typed searches for the person (their PESEL or name) out of the access trail's `detail`.

Revision ID: 0020
Revises: 0022
Create Date: 2026-12-04 09:30:00

"""
import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

from regionet.platform.tenancy.rls import drop_tenant_rls_statements, execute_statements, tenant_rls_statements
from regionet.platform.tenancy.roles import APP_ROLE, HISTORY_ROLE

# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0022'
branch_labels = None
depends_on = None

REDACT_FUNCTION = r'''CREATE OR REPLACE FUNCTION history_api.redact_person(p_tenant integer, p_participant uuid)
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
    -- every record the history ties to the person (an enrolment, a consent, a request...)
    SELECT DISTINCT entity_type, entity_id FROM change_records
    WHERE tenant_id = p_tenant AND entity_type <> 'Participant'
      AND (changes->>'participant_id' = p_participant::text
           OR (json_typeof(changes->'participant_id') = 'array'
               AND p_participant::text IN (changes->'participant_id'->>0, changes->'participant_id'->>1)))
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

TERMS_SIGNATURE = "redact_terms(integer, text[])"
TERMS_FUNCTION = r'''CREATE FUNCTION history_api.redact_terms(p_tenant integer, p_terms text[])
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $function$
DECLARE
  redacted integer;
BEGIN
  IF p_tenant IS NULL
     OR p_tenant IS DISTINCT FROM NULLIF(current_setting('app.tenant_id', true), '')::integer THEN
    RAISE EXCEPTION 'history can be redacted only in the tenant of the transaction' USING ERRCODE = '42501';
  END IF;
  -- Searches typed for the person (their PESEL, their name) are tied to no record: the entry
  -- keeps who searched and when, the words go. Terms shorter than three characters are ignored.
  UPDATE access_records SET detail = '[redacted]'
  WHERE tenant_id = p_tenant AND detail IS NOT NULL AND detail <> '[redacted]'
    AND EXISTS (SELECT 1 FROM unnest(p_terms) AS t(term)
                WHERE length(t.term) >= 3 AND strpos(lower(detail), lower(t.term)) > 0);
  GET DIAGNOSTICS redacted = ROW_COUNT;
  RETURN redacted;
END
$function$'''


def _tenant_table_columns() -> list:
    return [sa.Column('tenant_id', sa.Integer(), nullable=False), sa.Column('id', sa.Uuid(), nullable=False)]


def _enum(name: str, values: tuple[str, ...], length: int) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=length, create_constraint=True)


def upgrade():
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('restricted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('restriction_reason', sa.Text(), nullable=True))
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('retention_reason', sa.Text(), nullable=True))
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('special_categories', sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_table(
        'consents', *_tenant_table_columns(),
        sa.Column('participant_id', sa.Uuid(), nullable=False),
        sa.Column('purpose', _enum('consent_purpose', ('project', 'follow_up', 'photo', 'referral', 'newsletter'),
                                   20), nullable=False),
        sa.Column('basis', _enum('consent_basis', ('consent', 'legal_obligation', 'public_task', 'contract'), 20),
                  nullable=False),
        sa.Column('given_on', sa.Date(), nullable=False),
        sa.Column('withdrawn_on', sa.Date(), nullable=True),
        sa.Column('withdrawal_note', sa.Text(), nullable=True),
        sa.Column('evidence_id', sa.Uuid(), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint('withdrawn_on IS NULL OR withdrawn_on >= given_on',
                           name=op.f('ck_consents_withdrawn_after_given')),
        sa.ForeignKeyConstraint(['tenant_id', 'participant_id'], ['participants.tenant_id', 'participants.id'],
                                name=op.f('fk_consents_tenant_id_participants'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['tenant_id', 'evidence_id'], ['attachments.tenant_id', 'attachments.id'],
                                name=op.f('fk_consents_tenant_id_attachments')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_consents_recorded_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['tenant_id'], ['institutions.id'], name=op.f('fk_consents_tenant_id_institutions'),
                                ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_consents')),
    )
    op.create_index('ix_consents_tenant_participant', 'consents', ['tenant_id', 'participant_id'])

    op.create_table(
        'subject_requests', *_tenant_table_columns(),
        sa.Column('participant_id', sa.Uuid(), nullable=True),
        sa.Column('requester', sa.String(length=200), nullable=False),
        sa.Column('kind', _enum('subject_request_kind',
                                ('access', 'rectification', 'erasure', 'restriction', 'objection'), 20),
                  nullable=False),
        sa.Column('status', _enum('subject_request_status', ('open', 'closed'), 10), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('extension_reason', sa.Text(), nullable=True),
        sa.Column('details', sa.Text(), nullable=True),
        sa.Column('assigned_to_id', sa.Integer(), nullable=True),
        sa.Column('closed_on', sa.Date(), nullable=True),
        sa.Column('answer', sa.Text(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint('due_on >= received_on', name=op.f('ck_subject_requests_due_after_received')),
        sa.ForeignKeyConstraint(['tenant_id', 'participant_id'], ['participants.tenant_id', 'participants.id'],
                                name=op.f('fk_subject_requests_tenant_id_participants')),
        sa.ForeignKeyConstraint(['assigned_to_id'], ['users.id'],
                                name=op.f('fk_subject_requests_assigned_to_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_subject_requests_created_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['tenant_id'], ['institutions.id'],
                                name=op.f('fk_subject_requests_tenant_id_institutions'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_subject_requests')),
    )
    op.create_index('ix_subject_requests_tenant_due', 'subject_requests', ['tenant_id', 'status', 'due_on'])

    op.create_table(
        'retention_listings', *_tenant_table_columns(),
        sa.Column('participant_id', sa.Uuid(), nullable=False),
        sa.Column('retention_ended_on', sa.Date(), nullable=False),
        sa.Column('listed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['tenant_id', 'participant_id'], ['participants.tenant_id', 'participants.id'],
                                name=op.f('fk_retention_listings_tenant_id_participants'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['tenant_id'], ['institutions.id'],
                                name=op.f('fk_retention_listings_tenant_id_institutions'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_retention_listings')),
        sa.UniqueConstraint('tenant_id', 'participant_id', name='uq_retention_listings_participant'),
    )
    statements = []
    for table in ('consents', 'subject_requests', 'retention_listings'):
        statements += tenant_rls_statements(table)
    execute_statements(op, [
        *statements,
        REDACT_FUNCTION,
        TERMS_FUNCTION,
        f"ALTER FUNCTION history_api.{TERMS_SIGNATURE} OWNER TO {HISTORY_ROLE}",
        f"REVOKE ALL ON FUNCTION history_api.{TERMS_SIGNATURE} FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION history_api.{TERMS_SIGNATURE} TO {APP_ROLE}",
    ])


def _previous_redact_function() -> str:
    path = Path(__file__).with_name("20261203_0017_append_only_history.py")
    spec = importlib.util.spec_from_file_location("migration_0017", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.REDACT_FUNCTION.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


def downgrade():
    statements = [f"DROP FUNCTION IF EXISTS history_api.{TERMS_SIGNATURE}", _previous_redact_function()]
    for table in ('retention_listings', 'subject_requests', 'consents'):
        statements += drop_tenant_rls_statements(table)
    execute_statements(op, statements)
    op.drop_table('retention_listings')
    op.drop_index('ix_subject_requests_tenant_due', table_name='subject_requests')
    op.drop_table('subject_requests')
    op.drop_index('ix_consents_tenant_participant', table_name='consents')
    op.drop_table('consents')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_column('special_categories')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_column('retention_reason')
        batch_op.drop_column('retention_until')
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_column('restriction_reason')
        batch_op.drop_column('restricted_at')
        batch_op.drop_column('anonymised_at')
