"""Working groups of several institutions, their meetings, minutes and tasks; party sets.

* shared_parties: the institutions of a party set (platform/tenancy/sharing.py, PartySetShared):
  the owner manages its sets, an institution reads and removes its own rows;
* working_groups and every table inside a group carry the owner's tenant_id and the group's id;
  the owner and every institution of the group's party set read and write them (policy party_set),
  nobody else sees them.

Revision ID: 0021
Revises: 0022b
Create Date: 2026-12-04 10:00:00

"""
import sqlalchemy as sa
from alembic import op

from regionet.platform.tenancy.rls import execute_statements
from regionet.platform.tenancy.sharing import (
    drop_shared_rls_statements,
    party_set_rls_statements,
    shared_parties_rls_statements,
)

# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0022b'
branch_labels = None
depends_on = None


def _enum(name, values, length):
    return sa.Enum(*values, name=name, native_enum=False, length=length, create_constraint=True)


def _keys():
    return [sa.Column('tenant_id', sa.Integer(), nullable=False), sa.Column('id', sa.Uuid(), nullable=False)]


def _owner_key():
    return [sa.ForeignKeyConstraint(['tenant_id'], ['institutions.id'], ondelete='RESTRICT'),
            sa.PrimaryKeyConstraint('tenant_id', 'id')]


def _in_group():
    return [sa.Column('group_id', sa.Uuid(), nullable=False)]


def _group_fk():
    return sa.ForeignKeyConstraint(['tenant_id', 'group_id'], ['working_groups.tenant_id', 'working_groups.id'],
                                   ondelete='CASCADE')


def _meeting_fk():
    return sa.ForeignKeyConstraint(['tenant_id', 'meeting_id'], ['group_meetings.tenant_id', 'group_meetings.id'],
                                   ondelete='CASCADE')


GROUP_TABLES = [('working_groups', 'id'), ('working_group_institutions', 'group_id'),
                ('working_group_members', 'group_id'), ('group_meetings', 'group_id'),
                ('group_agenda_items', 'group_id'), ('group_attendance', 'group_id'), ('group_minutes', 'group_id'),
                ('group_action_items', 'group_id')]


def upgrade():
    op.create_table(
        'shared_parties', *_keys(),
        sa.Column('party_set_id', sa.Uuid(), nullable=False),
        sa.Column('institution_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], ondelete='CASCADE'),
        sa.UniqueConstraint('tenant_id', 'party_set_id', 'institution_id', name='uq_shared_parties_set_institution'),
        *_owner_key())
    op.create_index('ix_shared_parties_party_set_id', 'shared_parties', ['party_set_id'])
    op.create_index('ix_shared_parties_institution_id', 'shared_parties', ['institution_id'])
    op.create_table(
        'working_groups', *_keys(),
        sa.Column('name', sa.String(length=250), nullable=False),
        sa.Column('kind', _enum('working_group_kind', ('working', 'thematic', 'committee', 'employment_pact',
                                                       'other'), 20), nullable=False),
        sa.Column('purpose', sa.Text(), nullable=False),
        sa.Column('link_note', sa.String(length=300), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        *_owner_key())
    op.create_table(
        'working_group_institutions', *_keys(), *_in_group(),
        sa.Column('institution_id', sa.Integer(), nullable=False),
        sa.Column('status', _enum('working_group_party_status', ('invited', 'member'), 10), nullable=False),
        sa.Column('invited_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('joined_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], ondelete='CASCADE'),
        sa.UniqueConstraint('tenant_id', 'group_id', 'institution_id', name='uq_working_group_institutions'),
        _group_fk(), *_owner_key())
    op.create_index('ix_working_group_institutions_institution_id', 'working_group_institutions', ['institution_id'])
    op.create_table(
        'working_group_members', *_keys(), *_in_group(),
        sa.Column('full_name', sa.String(length=200), nullable=False),
        sa.Column('institution_id', sa.Integer(), nullable=True),
        sa.Column('organisation', sa.String(length=250), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('role', _enum('working_group_member_role', ('chair', 'secretary', 'member', 'guest'), 10),
                  nullable=False),
        sa.Column('term_from', sa.Date(), nullable=True),
        sa.Column('term_to', sa.Date(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint('term_to IS NULL OR term_from IS NULL OR term_from <= term_to',
                           name='ck_working_group_members_term'),
        sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'),
        _group_fk(), *_owner_key())
    op.create_table(
        'group_meetings', *_keys(), *_in_group(),
        sa.Column('title', sa.String(length=250), nullable=False),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('place', sa.String(length=300), nullable=True),
        sa.Column('online_url', sa.String(length=500), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('ends_at IS NULL OR ends_at > starts_at', name='ck_group_meetings_times'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        _group_fk(), *_owner_key())
    op.create_index('ix_group_meetings_group_starts', 'group_meetings', ['tenant_id', 'group_id', 'starts_at'])
    op.create_table(
        'group_agenda_items', *_keys(), *_in_group(),
        sa.Column('meeting_id', sa.Uuid(), nullable=False),
        sa.Column('position', sa.SmallInteger(), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('presenter', sa.String(length=250), nullable=True),
        sa.Column('duration_minutes', sa.SmallInteger(), nullable=True),
        sa.Column('notes', sa.Text(), nullable=True),
        sa.CheckConstraint('duration_minutes IS NULL OR duration_minutes BETWEEN 1 AND 600',
                           name='ck_group_agenda_items_duration'),
        _group_fk(), _meeting_fk(), *_owner_key())
    op.create_table(
        'group_attendance', *_keys(), *_in_group(),
        sa.Column('meeting_id', sa.Uuid(), nullable=False),
        sa.Column('member_id', sa.Uuid(), nullable=True),
        sa.Column('guest_name', sa.String(length=200), nullable=True),
        sa.Column('guest_organisation', sa.String(length=250), nullable=True),
        sa.Column('rsvp', _enum('group_attendance_rsvp', ('none', 'yes', 'no'), 5), nullable=False),
        sa.Column('presence', _enum('group_attendance_presence', ('unknown', 'present', 'excused', 'absent'), 10),
                  nullable=False),
        sa.Column('substitute', sa.String(length=200), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint('member_id IS NOT NULL OR guest_name IS NOT NULL', name='ck_group_attendance_who'),
        sa.ForeignKeyConstraint(['tenant_id', 'member_id'], ['working_group_members.tenant_id',
                                                             'working_group_members.id'], ondelete='CASCADE'),
        sa.UniqueConstraint('tenant_id', 'meeting_id', 'member_id', name='uq_group_attendance_member'),
        _group_fk(), _meeting_fk(), *_owner_key())
    op.create_table(
        'group_minutes', *_keys(), *_in_group(),
        sa.Column('meeting_id', sa.Uuid(), nullable=False),
        sa.Column('number', sa.SmallInteger(), nullable=False),
        sa.Column('state', _enum('group_minutes_state', ('draft', 'approved', 'superseded'), 10), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('decisions', sa.Text(), nullable=True),
        sa.Column('written_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('approved_by_id', sa.Integer(), nullable=True),
        sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['written_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.UniqueConstraint('tenant_id', 'meeting_id', 'number', name='uq_group_minutes_number'),
        _group_fk(), _meeting_fk(), *_owner_key())
    op.create_table(
        'group_action_items', *_keys(), *_in_group(),
        sa.Column('meeting_id', sa.Uuid(), nullable=True),
        sa.Column('title', sa.String(length=500), nullable=False),
        sa.Column('owner_member_id', sa.Uuid(), nullable=True),
        sa.Column('owner_institution_id', sa.Integer(), nullable=True),
        sa.Column('deadline', sa.Date(), nullable=False),
        sa.Column('state', _enum('group_action_state', ('open', 'done'), 10), nullable=False),
        sa.Column('done_on', sa.Date(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id', 'owner_member_id'], ['working_group_members.tenant_id',
                                                                   'working_group_members.id']),
        sa.ForeignKeyConstraint(['owner_institution_id'], ['institutions.id'], ondelete='SET NULL'),
        _group_fk(), _meeting_fk(), *_owner_key())
    op.create_index('ix_group_action_items_owner', 'group_action_items', ['owner_institution_id', 'state',
                                                                          'deadline'])
    execute_statements(op, shared_parties_rls_statements())
    for table, column in GROUP_TABLES:
        execute_statements(op, party_set_rls_statements(table, column))


def downgrade():
    for table, _column in reversed(GROUP_TABLES):
        execute_statements(op, drop_shared_rls_statements(table))
        op.drop_table(table)
    execute_statements(op, drop_shared_rls_statements('shared_parties'))
    op.drop_table('shared_parties')
