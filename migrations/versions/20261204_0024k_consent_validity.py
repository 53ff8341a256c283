"""A consent given for a limited time: consents.valid_until (issue 17, point 4).

Nullable: a consent without it holds until withdrawn, as every consent recorded so far. The due
dashboard lists consents whose validity ends within a month, so they are renewed in time.

Revision ID: 0024k
Revises: 0024h
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0024k'
down_revision = '0024h'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('consents', sa.Column('valid_until', sa.Date(), nullable=True))
    op.create_check_constraint(op.f('ck_consents_valid_until_after_given'), 'consents',
                               'valid_until IS NULL OR valid_until >= given_on')


def downgrade():
    op.drop_constraint(op.f('ck_consents_valid_until_after_given'), 'consents', type_='check')
    op.drop_column('consents', 'valid_until')
