"""Index of the region's one-way figures: the coordinator's pages read a period's one-way
tables and grand totals (dim_b = '') without scanning the period's cross-tables, which at
the scale of a region (150 institutions, every commune) are most of its rows.

No new table, so no row-level security to add.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 18:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_region_figures_one_way', 'region_figures',
                    ['region_code', 'period_key', 'scope', 'dim_a', 'measure', 'key_a'],
                    postgresql_where=sa.text("dim_b = ''"),
                    postgresql_include=['value'])


def downgrade():
    op.drop_index('ix_region_figures_one_way', table_name='region_figures')
