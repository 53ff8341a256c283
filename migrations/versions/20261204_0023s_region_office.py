"""The coordinator owns regional working groups (issue 16, point 1).

A group's rows carry their owner's tenant_id (row-level security, party sets), so what the region's
coordinator owns lives in one workspace of the region: the institution whose `office_of_region` is the
region's code (created when the coordinator creates the first regional group; no members, not active,
so no list of institutions offers it). Existing groups keep their institution owners.

Revision ID: 0023s
Revises: 0023q
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023s'
down_revision = '0023q'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('institutions', sa.Column('office_of_region', sa.String(length=2), nullable=True))
    op.create_foreign_key(op.f('fk_institutions_office_of_region_regions'), 'institutions', 'regions',
                          ['office_of_region'], ['teryt_code'])
    op.create_unique_constraint(op.f('uq_institutions_office_of_region'), 'institutions', ['office_of_region'])


def downgrade():
    op.drop_constraint(op.f('uq_institutions_office_of_region'), 'institutions', type_='unique')
    op.drop_constraint(op.f('fk_institutions_office_of_region_regions'), 'institutions', type_='foreignkey')
    op.drop_column('institutions', 'office_of_region')
