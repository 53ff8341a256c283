"""A linked set's suppression pattern keeps a digest of what it was computed from (issue 11, speed).

region_figure_patterns.content_digest: SHA-256 of the set's cells, the places of the region's
institutions, the thresholds and the algorithm. A recount that leaves a year's figures as they
were (every year but the current one, mostly) finds the same digest and reuses the pattern
instead of protecting the set again (coordinator/patterns.py). Covered by the table's grants
and policy (migration 0015): only the coordinator role reads or writes it.

Revision ID: 0023d
Revises: 0024k
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023d'
down_revision = '0024k'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('region_figure_patterns', sa.Column('content_digest', sa.String(length=64), nullable=True))


def downgrade():
    op.drop_column('region_figure_patterns', 'content_digest')
