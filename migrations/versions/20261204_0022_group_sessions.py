"""Group sessions and their attendance.

* group_sessions: one session of an instrument in a project (date, hours, topic, place,
  instructor);
* group_session_attendance: one row per person present, owning that person's support episode
  (deleted with the session, the enrolment or the episode).
Both tenant-owned: ENABLE + FORCE row-level security and the tenant policy.

Revision ID: 0022
Revises: 0018
"""
import sqlalchemy as sa
from alembic import op

from regionet.platform.tenancy.rls import drop_tenant_rls_statements, execute_statements, tenant_rls_statements

# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0018'
branch_labels = None
depends_on = None

INSTRUMENTS = ('internship', 'socially_useful_work', 'kis', 'cis', 'vocational_course', 'family_assistant',
               'disability_assistant', 'specialist_counselling', 'social_contract', 'individual_action_plan',
               'activation_programme', 'local_activity_programme', 'tutoring', 'art_therapy', 'other')


def upgrade():
    op.create_table(
        'group_sessions',
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('project_id', sa.Uuid(), nullable=False),
        sa.Column('instrument', sa.Enum(*INSTRUMENTS, name='group_session_instrument', native_enum=False,
                                        create_constraint=True, length=32), nullable=False),
        sa.Column('held_on', sa.Date(), nullable=False),
        sa.Column('hours', sa.Numeric(precision=5, scale=1), nullable=False),
        sa.Column('place', sa.String(length=200), nullable=True),
        sa.Column('instructor', sa.String(length=200), nullable=True),
        sa.Column('topic', sa.String(length=300), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint('hours > 0', name=op.f('ck_group_sessions_hours_positive')),
        sa.ForeignKeyConstraint(['tenant_id', 'project_id'], ['projects.tenant_id', 'projects.id'],
                                name=op.f('fk_group_sessions_tenant_id_projects'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['tenant_id'], ['institutions.id'],
                                name=op.f('fk_group_sessions_tenant_id_institutions'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_group_sessions')),
    )
    op.create_index('ix_group_sessions_tenant_project_day', 'group_sessions', ['tenant_id', 'project_id', 'held_on'])
    op.create_table(
        'group_session_attendance',
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('group_session_id', sa.Uuid(), nullable=False),
        sa.Column('enrolment_id', sa.Uuid(), nullable=False),
        sa.Column('episode_id', sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id', 'group_session_id'], ['group_sessions.tenant_id', 'group_sessions.id'],
                                name=op.f('fk_group_session_attendance_tenant_id_group_sessions'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['tenant_id', 'enrolment_id'], ['enrolments.tenant_id', 'enrolments.id'],
                                name=op.f('fk_group_session_attendance_tenant_id_enrolments'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['tenant_id', 'episode_id'], ['support_episodes.tenant_id', 'support_episodes.id'],
                                name=op.f('fk_group_session_attendance_tenant_id_support_episodes'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['tenant_id'], ['institutions.id'],
                                name=op.f('fk_group_session_attendance_tenant_id_institutions'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_group_session_attendance')),
        sa.UniqueConstraint('tenant_id', 'group_session_id', 'enrolment_id', name='uq_attendance_once_per_session'),
        sa.UniqueConstraint('tenant_id', 'episode_id', name='uq_attendance_episode'),
    )
    op.create_index('ix_group_session_attendance_enrolment', 'group_session_attendance', ['tenant_id', 'enrolment_id'])
    execute_statements(op, tenant_rls_statements('group_sessions') + tenant_rls_statements('group_session_attendance'))


def downgrade():
    execute_statements(op, drop_tenant_rls_statements('group_session_attendance')
                       + drop_tenant_rls_statements('group_sessions'))
    op.drop_index('ix_group_session_attendance_enrolment', table_name='group_session_attendance')
    op.drop_table('group_session_attendance')
    op.drop_index('ix_group_sessions_tenant_project_day', table_name='group_sessions')
    op.drop_table('group_sessions')
