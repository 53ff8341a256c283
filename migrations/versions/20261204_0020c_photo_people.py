"""The people shown in a good practice's photo (practice_photo_people, tenant-owned): a photo is used
while their consent to the purpose "photo" holds; withdrawing it removes the photo from the practice
and from the region's catalogue copies, so the next report is without it.

Revision ID: 0020c
Revises: 0019
Create Date: 2026-12-04 10:30:00

"""
import sqlalchemy as sa
from alembic import op

from regionet.platform.tenancy.rls import drop_tenant_rls_statements, execute_statements, tenant_rls_statements

# revision identifiers, used by Alembic.
revision = '0020c'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'practice_photo_people',
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('photo_id', sa.Uuid(), nullable=False),
        sa.Column('participant_id', sa.Uuid(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id', 'photo_id'], ['practice_photos.tenant_id', 'practice_photos.id'],
                                name=op.f('fk_practice_photo_people_tenant_id_practice_photos'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['tenant_id', 'participant_id'], ['participants.tenant_id', 'participants.id'],
                                name=op.f('fk_practice_photo_people_tenant_id_participants'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['tenant_id'], ['institutions.id'],
                                name=op.f('fk_practice_photo_people_tenant_id_institutions'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_practice_photo_people')),
        sa.UniqueConstraint('tenant_id', 'photo_id', 'participant_id', name='uq_practice_photo_people'),
    )
    op.create_index('ix_practice_photo_people_participant', 'practice_photo_people', ['tenant_id', 'participant_id'])
    execute_statements(op, tenant_rls_statements('practice_photo_people'))


def downgrade():
    execute_statements(op, drop_tenant_rls_statements('practice_photo_people'))
    op.drop_index('ix_practice_photo_people_participant', table_name='practice_photo_people')
    op.drop_table('practice_photo_people')
