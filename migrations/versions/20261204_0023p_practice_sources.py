"""Good practices cite where they came from: working groups, meetings and agreements (issue 16, point 5).

practice_sources: one row per cited source of a practice version (tenant-owned, with the version).
The cited row may be another institution's (a group the institution was invited to), so it is kept
by kind, owner and id with its own copy of the title, context and day, not by a foreign key.

Revision ID: 0023p
Revises: 0020d
"""
import sqlalchemy as sa
from alembic import op

from regionet.platform.tenancy.rls import drop_tenant_rls_statements, execute_statements, tenant_rls_statements

# revision identifiers, used by Alembic.
revision = '0023p'
down_revision = '0020d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'practice_sources',
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('version_id', sa.Uuid(), nullable=False),
        sa.Column('kind', sa.Enum('group', 'meeting', 'agreement', name='practice_source_kind', native_enum=False,
                                  create_constraint=True, length=10), nullable=False),
        sa.Column('source_tenant_id', sa.Integer(), nullable=False),
        sa.Column('source_id', sa.Uuid(), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('context', sa.String(length=300), nullable=True),
        sa.Column('day', sa.Date(), nullable=True),
        sa.Column('position', sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id', 'version_id'], ['practice_versions.tenant_id', 'practice_versions.id'],
                                name=op.f('fk_practice_sources_tenant_id_practice_versions'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['tenant_id'], ['institutions.id'],
                                name=op.f('fk_practice_sources_tenant_id_institutions'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_practice_sources')),
        sa.UniqueConstraint('tenant_id', 'version_id', 'kind', 'source_tenant_id', 'source_id',
                            name='uq_practice_sources_once'),
    )
    execute_statements(op, tenant_rls_statements('practice_sources'))


def downgrade():
    execute_statements(op, drop_tenant_rls_statements('practice_sources'))
    op.drop_table('practice_sources')
