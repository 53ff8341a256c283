"""Operations: natural keys unique in the database, and reports that can be cancelled.

* partner_organisations: one partner per NIP and one per platform institution within an
  institution (the forms checked before inserting; two simultaneous posts made two partners);
* reporting_periods: one period per region and dates (the same check-then-insert);
* institution_reports, regional_reports: status 'cancelled' (the cancel button of a waiting,
  stuck or failed report).

Existing duplicates stop the upgrade with their names: merge them by hand, then upgrade again.

Revision ID: 0019
Revises: 0014
"""
from alembic import op
from sqlalchemy import text

# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0014'
branch_labels = None
depends_on = None

DUPLICATES = {
    "partner NIP": "SELECT tenant_id, nip FROM partner_organisations WHERE nip IS NOT NULL "
                   "GROUP BY tenant_id, nip HAVING count(*) > 1",
    "partner institution": "SELECT tenant_id, institution_id FROM partner_organisations WHERE institution_id IS NOT NULL "
                           "GROUP BY tenant_id, institution_id HAVING count(*) > 1",
    "reporting period dates": "SELECT region_code, start_date, end_date FROM reporting_periods "
                              "GROUP BY region_code, start_date, end_date HAVING count(*) > 1",
}
STATUSES = "'queued', 'running', 'retrying', 'done', 'failed'"


def upgrade():
    connection = op.get_bind()
    found = {what: connection.execute(text(sql)).fetchall() for what, sql in DUPLICATES.items()}
    found = {what: rows for what, rows in found.items() if rows}
    if found:
        raise RuntimeError(f"duplicates to merge before migration 0019: {found}")
    op.create_index('uq_partner_organisations_nip', 'partner_organisations', ['tenant_id', 'nip'], unique=True,
                    postgresql_where=text('nip IS NOT NULL'))
    op.create_index('uq_partner_organisations_institution', 'partner_organisations', ['tenant_id', 'institution_id'],
                    unique=True, postgresql_where=text('institution_id IS NOT NULL'))
    op.create_unique_constraint('uq_reporting_periods_dates', 'reporting_periods',
                                ['region_code', 'start_date', 'end_date'])
    for table, check in (('institution_reports', 'report_status'), ('regional_reports', 'regional_report_status')):
        op.drop_constraint(op.f(f'ck_{table}_{check}'), table, type_='check')
        op.create_check_constraint(op.f(f'ck_{table}_{check}'), table, f"status IN ({STATUSES}, 'cancelled')")


def downgrade():
    for table, check in (('institution_reports', 'report_status'), ('regional_reports', 'regional_report_status')):
        op.execute(f"UPDATE {table} SET status = 'failed' WHERE status = 'cancelled'")
        op.drop_constraint(op.f(f'ck_{table}_{check}'), table, type_='check')
        op.create_check_constraint(op.f(f'ck_{table}_{check}'), table, f"status IN ({STATUSES})")
    op.drop_constraint('uq_reporting_periods_dates', 'reporting_periods', type_='unique')
    op.drop_index('uq_partner_organisations_institution', table_name='partner_organisations')
    op.drop_index('uq_partner_organisations_nip', table_name='partner_organisations')
