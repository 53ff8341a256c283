"""Documents attached to agenda items (issue 16, point 2).

group_agenda_documents: a checked upload (tenants/attachments' checks) stored with the group, carrying
the group owner's tenant_id and the group's id like every row inside a group; the party set's policy
lets every institution of the group read it and nobody else.

Revision ID: 0023t
Revises: 0023s
"""
import sqlalchemy as sa
from alembic import op

from regionet.platform.tenancy.rls import execute_statements
from regionet.platform.tenancy.sharing import drop_shared_rls_statements, party_set_rls_statements

# revision identifiers, used by Alembic.
revision = '0023t'
down_revision = '0023s'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'group_agenda_documents',
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('group_id', sa.Uuid(), nullable=False),
        sa.Column('agenda_item_id', sa.Uuid(), nullable=False),
        sa.Column('file_name', sa.String(length=255), nullable=False),
        sa.Column('content_type', sa.String(length=120), nullable=False),
        sa.Column('size_bytes', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('uploaded_by_institution_id', sa.Integer(), nullable=True),
        sa.Column('uploaded_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id', 'group_id'], ['working_groups.tenant_id', 'working_groups.id'],
                                name=op.f('fk_group_agenda_documents_tenant_id_working_groups'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['tenant_id', 'agenda_item_id'],
                                ['group_agenda_items.tenant_id', 'group_agenda_items.id'],
                                name=op.f('fk_group_agenda_documents_tenant_id_group_agenda_items'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['tenant_id'], ['institutions.id'],
                                name=op.f('fk_group_agenda_documents_tenant_id_institutions'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'],
                                name=op.f('fk_group_agenda_documents_uploaded_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['uploaded_by_institution_id'], ['institutions.id'],
                                name=op.f('fk_group_agenda_documents_uploaded_by_institution_id_institutions'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_group_agenda_documents')),
    )
    op.create_index('ix_group_agenda_documents_item', 'group_agenda_documents', ['tenant_id', 'agenda_item_id'])
    execute_statements(op, party_set_rls_statements('group_agenda_documents', 'group_id'))


def downgrade():
    execute_statements(op, drop_shared_rls_statements('group_agenda_documents'))
    op.drop_index('ix_group_agenda_documents_item', table_name='group_agenda_documents')
    op.drop_table('group_agenda_documents')
