"""Referrals between institutions and their events.

referrals and referral_events are shared by exactly two parties (platform/tenancy/sharing.py,
`PartyShared`): the sender (tenant_id) and the receiver (receiver_tenant_id) read, add and change
them, only the sender deletes them, a third institution sees nothing. A referral resting on the
person's consent points at the sender's consent record (`consents`, migration 0020).

Revision ID: 0018b
Revises: 0021
Create Date: 2026-12-04 10:00:00

"""
import sqlalchemy as sa
from alembic import op

from regionet.platform.tenancy.rls import execute_statements
from regionet.platform.tenancy.sharing import drop_shared_rls_statements, party_shared_rls_statements

# revision identifiers, used by Alembic.
revision = '0018b'
down_revision = '0021'
branch_labels = None
depends_on = None


def _enum(name, values, length):
    return sa.Enum(*values, name=name, native_enum=False, length=length, create_constraint=True)


STATES = ('sent', 'received', 'accepted', 'declined', 'started', 'completed', 'ended_early', 'closed', 'withdrawn')
REASONS = ('no_capacity', 'not_eligible', 'unreachable', 'refused', 'no_longer_needed', 'dropped_out', 'other')


def upgrade():
    op.create_table(
        'referrals',
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('receiver_tenant_id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Uuid(), nullable=False),
        sa.Column('service_id', sa.Uuid(), nullable=False),
        sa.Column('service_name', sa.String(length=200), nullable=False),
        sa.Column('state', _enum('referral_state', STATES, 20), nullable=False),
        sa.Column('urgency', _enum('referral_urgency', ('normal', 'urgent'), 10), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('legal_basis', _enum('referral_basis', ('statute', 'consent'), 10), nullable=False),
        sa.Column('legal_reference', sa.String(length=300), nullable=True),
        sa.Column('consent_id', sa.Uuid(), nullable=True),
        sa.Column('consent_notice', sa.String(length=60), nullable=True),
        sa.Column('consent_evidence', sa.String(length=300), nullable=True),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('sent_by_id', sa.Integer(), nullable=True),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('started_on', sa.Date(), nullable=True),
        sa.Column('finished_on', sa.Date(), nullable=True),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('stop_reason', _enum('referral_stop_reason', REASONS, 20), nullable=True),
        sa.Column('stop_comment', sa.String(length=500), nullable=True),
        sa.Column('result', sa.String(length=40), nullable=True),
        sa.Column('redirect_tenant_id', sa.Integer(), nullable=True),
        sa.Column('redirect_service_id', sa.Uuid(), nullable=True),
        sa.Column('receiver_participant_id', sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(['tenant_id'], ['institutions.id'], ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['receiver_tenant_id'], ['institutions.id'], ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['tenant_id', 'participant_id'], ['participants.tenant_id', 'participants.id'],
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['receiver_tenant_id', 'service_id'],
                                ['catalogue_services.tenant_id', 'catalogue_services.id']),
        sa.ForeignKeyConstraint(['redirect_tenant_id'], ['institutions.id']),
        sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('tenant_id', 'id'),
    )
    op.create_index('ix_referrals_receiver_tenant_id', 'referrals', ['receiver_tenant_id'])
    op.create_index('ix_referrals_tenant_state', 'referrals', ['tenant_id', 'state'])
    op.create_index('ix_referrals_receiver_state', 'referrals', ['receiver_tenant_id', 'state'])
    op.create_table(
        'referral_events',
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('receiver_tenant_id', sa.Integer(), nullable=False),
        sa.Column('referral_id', sa.Uuid(), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('actor_tenant_id', sa.Integer(), nullable=False),
        sa.Column('actor_user_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.String(length=500), nullable=True),
        sa.Column('on_day', sa.Date(), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['institutions.id'], ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['receiver_tenant_id'], ['institutions.id'], ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['tenant_id', 'referral_id'], ['referrals.tenant_id', 'referrals.id'],
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['actor_tenant_id'], ['institutions.id']),
        sa.ForeignKeyConstraint(['actor_user_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('tenant_id', 'id'),
    )
    op.create_index('ix_referral_events_receiver_tenant_id', 'referral_events', ['receiver_tenant_id'])
    op.create_index('ix_referral_events_referral', 'referral_events', ['tenant_id', 'referral_id', 'at'])
    for table in ('referrals', 'referral_events'):
        execute_statements(op, party_shared_rls_statements(table))


def downgrade():
    for table in ('referral_events', 'referrals'):
        execute_statements(op, drop_shared_rls_statements(table))
        op.drop_table(table)
