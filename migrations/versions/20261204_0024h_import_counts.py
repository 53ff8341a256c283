"""Whole-project imports (issue 17, point 5): how many records of each kind an import stored.

import_batches.imported_counts: {"enrolments": n, "episodes": n, "outcomes": n}; the participants
stay in imported_rows.

Revision ID: 0024h
Revises: 0023n
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0024h'
down_revision = '0023n'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('import_batches', sa.Column('imported_counts', sa.JSON(), nullable=True))


def downgrade():
    op.drop_column('import_batches', 'imported_counts')
