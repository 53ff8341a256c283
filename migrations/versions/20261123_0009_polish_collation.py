"""Polish alphabetical order for the names and titles lists are sorted by.

The cluster's default collation may be C (as here), which puts "Ćwik" and "Łukasik" after
"Zawada". On PostgreSQL with ICU the sorted text columns get the `pl-PL-x-icu` collation,
so ORDER BY follows the Polish alphabet and the indexes on those columns serve that order.
Without ICU the migration leaves the columns as they are (and says so). SQLite keeps its
binary order.

Revision ID: 0009
Revises: 0008
"""
from alembic import op
from sqlalchemy import text

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

POLISH = "pl-PL-x-icu"
SORTED_TEXT_COLUMNS = (
    ("participants", "last_name"), ("participants", "first_name"), ("projects", "title"),
    ("partner_organisations", "name"), ("agreements", "title"), ("published_practices", "title"),
    ("published_practices", "institution_name"), ("institutions", "name"), ("teryt_units", "name"),
)


def _set_collation(collation: str) -> None:
    bind = op.get_bind()
    if collation != "default" and not bind.execute(
            text("SELECT 1 FROM pg_collation WHERE collname = :name"), {"name": collation}).first():
        print(f"PostgreSQL without the {collation} collation (no ICU): Polish order comes from migration 0013")
        return
    for table, column in SORTED_TEXT_COLUMNS:
        column_type = bind.execute(text(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = CAST(:table AS regclass) AND attname = :column"),
            {"table": table, "column": column}).scalar_one()
        op.execute(f'ALTER TABLE {table} ALTER COLUMN {column} TYPE {column_type} COLLATE "{collation}"')


def upgrade():
    _set_collation(POLISH)


def downgrade():
    _set_collation("default")
