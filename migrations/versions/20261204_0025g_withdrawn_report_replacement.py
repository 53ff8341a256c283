"""A withdrawn regional report names the report built in its place (withdrawal.py).

`replaced_by_id` is set by the rebuild's job; a withdrawn row without it after a while had its
rebuild never queued (Redis away at the withdrawal) and is queued again by the workers' minute
reconciliation. The coordinator's role reads the column (the detail page links the new report).

Revision ID: 0025g
Revises: 0025f
"""
import sqlalchemy as sa
from alembic import op

from regionet.platform.tenancy.roles import COORDINATOR_ROLE

# revision identifiers, used by Alembic.
revision = '0025g'
down_revision = '0025f'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('regional_reports', sa.Column('replaced_by_id', sa.Uuid(), nullable=True))
    op.create_foreign_key(op.f('fk_regional_reports_replaced_by_id_regional_reports'), 'regional_reports',
                          'regional_reports', ['replaced_by_id'], ['id'], ondelete='SET NULL')
    op.execute(f"GRANT SELECT (replaced_by_id) ON regional_reports TO {COORDINATOR_ROLE}")


def downgrade():
    op.execute(f"REVOKE SELECT (replaced_by_id) ON regional_reports FROM {COORDINATOR_ROLE}")
    op.drop_constraint(op.f('fk_regional_reports_replaced_by_id_regional_reports'), 'regional_reports',
                       type_='foreignkey')
    op.drop_column('regional_reports', 'replaced_by_id')
