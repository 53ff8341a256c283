"""A built regional report that shows a photo whose consent is gone is withdrawn (photos.py).

regional_reports gets `withdrawn_at` and `withdrawn_reason` (nullable: nothing built so far is
withdrawn); the PDF of a withdrawn row is deleted. The coordinator's role reads both columns
(it reads that table column by column since migration 0014). The trigger of a report gains
'withdrawal': the fresh build requested in place of a withdrawn one.

Revision ID: 0025f
Revises: 0023d
"""
import sqlalchemy as sa
from alembic import op

from regionet.platform.tenancy.roles import COORDINATOR_ROLE

# revision identifiers, used by Alembic.
revision = '0025f'
down_revision = '0023d'
branch_labels = None
depends_on = None

TRIGGERS = "'coordinator', 'schedule', 'operator'"
CHECK = 'ck_regional_reports_regional_report_trigger'


def _triggers(values: str) -> None:
    op.drop_constraint(op.f(CHECK), 'regional_reports', type_='check')
    op.create_check_constraint(op.f(CHECK), 'regional_reports', f"trigger IN ({values})")


def upgrade():
    op.add_column('regional_reports', sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('regional_reports', sa.Column('withdrawn_reason', sa.String(length=40), nullable=True))
    op.execute(f"GRANT SELECT (withdrawn_at, withdrawn_reason) ON regional_reports TO {COORDINATOR_ROLE}")
    _triggers(f"{TRIGGERS}, 'withdrawal'")


def downgrade():
    op.execute("UPDATE regional_reports SET trigger = 'operator' WHERE trigger = 'withdrawal'")
    _triggers(TRIGGERS)
    op.execute(f"REVOKE SELECT (withdrawn_at, withdrawn_reason) ON regional_reports FROM {COORDINATOR_ROLE}")
    op.drop_column('regional_reports', 'withdrawn_reason')
    op.drop_column('regional_reports', 'withdrawn_at')
