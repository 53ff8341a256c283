"""Index of agreement parties by partner: the agreements of one partner (partner pages, the
deletion check, the partner list sorted by its number of agreements) without a scan.

No new table, so no row-level security to add.

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-23 16:34:24.174961

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agreement_parties', schema=None) as batch_op:
        batch_op.create_index('ix_agreement_parties_partner', ['tenant_id', 'partner_id'], unique=False)


def downgrade():
    with op.batch_alter_table('agreement_parties', schema=None) as batch_op:
        batch_op.drop_index('ix_agreement_parties_partner')
