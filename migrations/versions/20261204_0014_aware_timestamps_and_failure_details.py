"""Every timestamp is timezone-aware; why a job failed is kept for the log, never shown.

* Any column still of type `timestamp without time zone` becomes `timestamptz`, its values read
  as UTC (what the application always wrote). The models use `db_types.Timestamp`, which
  refuses a naive datetime.
* The text of a failed job attempt (an exception's type and message) moves to columns no page
  shows: `region_figure_runs.failure` -> `failure_detail`, `regional_reports.error` and
  `institution_reports.error` -> `error_detail`, and a new `import_batches.failure_detail`
  (`import_batches.failure` keeps the Polish reason a file was refused for). The coordinator's
  role reads `region_figure_runs` and `regional_reports` column by column, without the detail.

Revision ID: 0014
Revises: 0020b
Create Date: 2026-12-04 09:30:00

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy import text

from regionet.platform.tenancy.roles import COORDINATOR_ROLE

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0020b'
branch_labels = None
depends_on = None

RENAMED = (("region_figure_runs", "failure", "failure_detail"), ("regional_reports", "error", "error_detail"),
           ("institution_reports", "error", "error_detail"))
COORDINATOR_TABLES = {"region_figure_runs": "failure_detail", "regional_reports": "error_detail"}


def _naive_columns(conn) -> list[tuple[str, str]]:
    return [tuple(row) for row in conn.execute(text(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'"
        " AND data_type = 'timestamp without time zone' ORDER BY table_name, column_name"))]


def _columns(conn, table: str) -> list[str]:
    return list(conn.execute(text(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'"
        " AND table_name = :t ORDER BY ordinal_position"), {"t": table}).scalars())


def _grant_coordinator(conn, hidden: dict[str, str]) -> None:
    """SELECT on every column of each table but the hidden one (a column added later needs its own grant)."""
    for table, column in hidden.items():
        op.execute(f"REVOKE SELECT ON {table} FROM {COORDINATOR_ROLE}")
        shown = ", ".join(f'"{c}"' for c in _columns(conn, table) if c != column)
        op.execute(f"GRANT SELECT ({shown}) ON {table} TO {COORDINATOR_ROLE}")


def upgrade():
    conn = op.get_bind()
    for table, column in _naive_columns(conn):
        op.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE timestamptz'
                   f' USING "{column}" AT TIME ZONE \'UTC\'')
    for table, old, new in RENAMED:
        op.alter_column(table, old, new_column_name=new)
    op.add_column("import_batches", sa.Column("failure_detail", sa.Text(), nullable=True))
    _grant_coordinator(conn, COORDINATOR_TABLES)


def downgrade():
    # Columns made aware stay aware: nothing tells which ones were naive.
    for table in COORDINATOR_TABLES:
        op.execute(f"REVOKE SELECT ON {table} FROM {COORDINATOR_ROLE}")
    op.drop_column("import_batches", "failure_detail")
    for table, old, new in RENAMED:
        op.alter_column(table, new, new_column_name=old)
    for table in COORDINATOR_TABLES:  # back to 0007/0008's table-wide grant
        op.execute(f"GRANT SELECT ON {table} TO {COORDINATOR_ROLE}")
