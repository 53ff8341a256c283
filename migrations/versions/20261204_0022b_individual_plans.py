"""Individual plans: social contracts, IPD and IPZS, with their steps, reviews, amendments and
the support episode and outcome they wrote (plan_records). All tenant-owned: ENABLE + FORCE
row-level security and the tenant policy.

Revision ID: 0022b
Revises: 0020
"""
import sqlalchemy as sa
from alembic import op

from regionet.platform.tenancy.rls import drop_tenant_rls_statements, execute_statements, tenant_rls_statements

# revision identifiers, used by Alembic.
revision = '0022b'
down_revision = '0020'
branch_labels = None
depends_on = None

TABLES = ['individual_plans', 'plan_steps', 'plan_reviews', 'plan_amendments', 'plan_records']


def _tenant(table: str) -> list:
    return [sa.Column('tenant_id', sa.Integer(), nullable=False), sa.Column('id', sa.Uuid(), nullable=False),
            sa.ForeignKeyConstraint(['tenant_id'], ['institutions.id'], name=op.f(f'fk_{table}_tenant_id_institutions'),
                                    ondelete='RESTRICT'),
            sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f(f'pk_{table}'))]


def _to(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(['tenant_id', column], [f'{target}.tenant_id', f'{target}.id'],
                                   name=op.f(f'fk_{table}_tenant_id_{target}'), ondelete=ondelete)


def _plan(table: str) -> list:
    return [sa.Column('plan_id', sa.Uuid(), nullable=False), _to(table, 'plan_id', 'individual_plans', 'CASCADE')]


def upgrade():
    op.create_table(
        'individual_plans', *_tenant('individual_plans'),
        sa.Column('participant_id', sa.Uuid(), nullable=False),
        sa.Column('enrolment_id', sa.Uuid(), nullable=True),
        sa.Column('kind', sa.Enum('social_contract', 'ipd', 'ipzs', name='plan_kind', native_enum=False,
                                  create_constraint=True, length=32), nullable=False),
        sa.Column('number', sa.String(length=60), nullable=True),
        sa.Column('case_worker_id', sa.Integer(), nullable=True),
        sa.Column('other_parties', sa.Text(), nullable=True),
        sa.Column('start_date', sa.Date(), nullable=False),
        sa.Column('planned_end_date', sa.Date(), nullable=False),
        sa.Column('goals', sa.Text(), nullable=False),
        sa.Column('institution_obligations', sa.Text(), nullable=False),
        sa.Column('participant_obligations', sa.Text(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('ended_on', sa.Date(), nullable=True),
        sa.Column('result', sa.Enum('achieved', 'partly_achieved', 'not_achieved', 'broken_off', name='plan_result',
                                    native_enum=False, create_constraint=True, length=32), nullable=True),
        sa.Column('result_note', sa.Text(), nullable=True),
        sa.Column('signed_scan_id', sa.Uuid(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint('planned_end_date >= start_date', name=op.f('ck_individual_plans_end_after_start')),
        sa.CheckConstraint('ended_on IS NULL OR ended_on >= start_date',
                           name=op.f('ck_individual_plans_ended_after_start')),
        sa.CheckConstraint('(ended_on IS NULL) = (result IS NULL)', name=op.f('ck_individual_plans_result_with_end')),
        _to('individual_plans', 'participant_id', 'participants', 'RESTRICT'),
        _to('individual_plans', 'enrolment_id', 'enrolments', 'RESTRICT'),
        _to('individual_plans', 'signed_scan_id', 'attachments', 'RESTRICT'),
        sa.ForeignKeyConstraint(['case_worker_id'], ['users.id'], name=op.f('fk_individual_plans_case_worker_id_users'),
                                ondelete='SET NULL'),
    )
    op.create_index('ix_individual_plans_tenant_participant', 'individual_plans', ['tenant_id', 'participant_id'])
    op.create_table(
        'plan_steps', *_tenant('plan_steps'), *_plan('plan_steps'),
        sa.Column('description', sa.String(length=500), nullable=False),
        sa.Column('owner', sa.String(length=200), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('done_on', sa.Date(), nullable=True),
    )
    op.create_index('ix_plan_steps_tenant_plan', 'plan_steps', ['tenant_id', 'plan_id'])
    op.create_table(
        'plan_reviews', *_tenant('plan_reviews'), *_plan('plan_reviews'),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('held_on', sa.Date(), nullable=True),
        sa.Column('notes', sa.Text(), nullable=True),
    )
    op.create_index('ix_plan_reviews_tenant_due', 'plan_reviews', ['tenant_id', 'due_on'])
    op.create_table(
        'plan_amendments', *_tenant('plan_amendments'), *_plan('plan_amendments'),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('made_on', sa.Date(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('previous', sa.JSON(), nullable=False),
        sa.Column('made_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['made_by_id'], ['users.id'], name=op.f('fk_plan_amendments_made_by_id_users'),
                                ondelete='SET NULL'),
        sa.UniqueConstraint('tenant_id', 'plan_id', 'version', name='uq_plan_amendments_version'),
    )
    op.create_table(
        'plan_records', *_tenant('plan_records'), *_plan('plan_records'),
        sa.Column('episode_id', sa.Uuid(), nullable=True),
        sa.Column('outcome_id', sa.Uuid(), nullable=True),
        sa.CheckConstraint('(episode_id IS NULL) <> (outcome_id IS NULL)', name=op.f('ck_plan_records_one_record')),
        _to('plan_records', 'episode_id', 'support_episodes', 'CASCADE'),
        _to('plan_records', 'outcome_id', 'outcomes', 'CASCADE'),
    )
    op.create_index('ix_plan_records_tenant_plan', 'plan_records', ['tenant_id', 'plan_id'])
    execute_statements(op, [s for table in TABLES for s in tenant_rls_statements(table)])


def downgrade():
    execute_statements(op, [s for table in reversed(TABLES) for s in drop_tenant_rls_statements(table)])
    for table in reversed(TABLES):
        op.drop_table(table)
