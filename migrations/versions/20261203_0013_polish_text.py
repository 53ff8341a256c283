"""Polish text without ICU: search that ignores case and diacritics, Polish alphabetical order.

The same on every PostgreSQL the platform supports (15 to 18), the embedded one (built
without ICU) and managed ones alike; it needs only the contrib extensions `unaccent` and
`pg_trgm`, both trusted (the owner creates them). Replaces migration 0009's ICU collation.

* `search_fold(text)`: lower case without diacritics ("ŁĘCKA" -> "lecka"), the form search
  compares. IMMUTABLE (the dictionary is named) so that stored columns and indexes can use it.
* `polish_sort_key(text)`: bytes whose order is the Polish alphabet's, letter by letter
  (a ą b c ć d e ę … l ł … o ó … s ś … z ź ż), case-insensitive, other diacritics ignored.
  Each Polish letter becomes its base letter followed by "~" ("ż": "~~"), which sorts after
  every letter, digit and space: "Bazylak" < "Bąk" < "Brzezińska", "Lis" < "Łukasik" < "Mazur".
  Bytes compare the same under any database collation.
* participants: `name_key` (last then first name) and `search_text` (first and last name,
  folded), stored columns the database computes; the list's name order reads the
  (tenant_id, name_key) index, and search uses a trigram index on `search_text`.
* teryt_units: `name_key`, so the participant list sorted by commune needs no computation.
* Columns that 0009 gave the ICU `pl-PL-x-icu` collation go back to the database default:
  order comes from the keys above on every server.

Revision ID: 0013
Revises: 0017
Create Date: 2026-12-03 23:30:00

"""
from alembic import op
from sqlalchemy import text

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0017'
branch_labels = None
depends_on = None

ICU_POLISH = "pl-PL-x-icu"
COLUMNS_0009 = (
    ("participants", "last_name"), ("participants", "first_name"), ("projects", "title"),
    ("partner_organisations", "name"), ("agreements", "title"), ("published_practices", "title"),
    ("published_practices", "institution_name"), ("institutions", "name"), ("teryt_units", "name"),
)

SEARCH_FOLD = """CREATE FUNCTION public.search_fold(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$"""

_POLISH_LOWER, _POLISH_UPPER = "ąćęłńóśźż", "ĄĆĘŁŃÓŚŹŻ"
_EXPANDED = {"ą": "a~", "ć": "c~", "ę": "e~", "ł": "l~", "ń": "n~", "ó": "o~", "ś": "s~", "ź": "z~", "ż": "z~~"}


def _polish_sort_key_sql() -> str:
    expression = f"translate(replace(value, '~', ''), '{_POLISH_UPPER}', '{_POLISH_LOWER}')"
    for letter, expanded in _EXPANDED.items():
        expression = f"replace({expression}, '{letter}', '{expanded}')"
    return f"""CREATE FUNCTION public.polish_sort_key(value text) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT convert_to(lower(public.unaccent('public.unaccent'::regdictionary, {expression})), 'UTF8') $$"""


def _set_collation(collation: str, only_from: str) -> None:
    """Give the 0009 columns `collation` where they now have `only_from`."""
    bind = op.get_bind()
    for table, column in COLUMNS_0009:
        column_type, current = bind.execute(text(
            "SELECT format_type(a.atttypid, a.atttypmod), c.collname FROM pg_attribute a "
            "JOIN pg_collation c ON c.oid = a.attcollation "
            "WHERE a.attrelid = CAST(:table AS regclass) AND a.attname = :column"),
            {"table": table, "column": column}).one()
        if current == only_from:
            op.execute(f'ALTER TABLE {table} ALTER COLUMN {column} TYPE {column_type} COLLATE "{collation}"')


def upgrade():
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
    _set_collation("default", only_from=ICU_POLISH)
    op.execute(SEARCH_FOLD)
    op.execute(_polish_sort_key_sql())
    op.execute("DROP INDEX ix_participants_tenant_name")
    op.execute("ALTER TABLE participants "
               "ADD COLUMN name_key bytea GENERATED ALWAYS AS "
               "(polish_sort_key(last_name || ' ' || first_name)) STORED, "
               "ADD COLUMN search_text text GENERATED ALWAYS AS "
               "(search_fold(first_name || ' ' || last_name)) STORED")
    op.execute("CREATE INDEX ix_participants_tenant_name_key ON participants (tenant_id, name_key)")
    op.execute("CREATE INDEX ix_participants_search_text ON participants USING gin (search_text gin_trgm_ops)")
    op.execute("ALTER TABLE teryt_units ADD COLUMN name_key bytea GENERATED ALWAYS AS (polish_sort_key(name)) STORED")


def downgrade():
    op.execute("ALTER TABLE teryt_units DROP COLUMN name_key")
    op.execute("DROP INDEX ix_participants_search_text")
    op.execute("DROP INDEX ix_participants_tenant_name_key")
    op.execute("ALTER TABLE participants DROP COLUMN search_text, DROP COLUMN name_key")
    op.execute("CREATE INDEX ix_participants_tenant_name ON participants (tenant_id, last_name, first_name)")
    op.execute("DROP FUNCTION public.polish_sort_key(text)")
    op.execute("DROP FUNCTION public.search_fold(text)")
    if op.get_bind().execute(text("SELECT 1 FROM pg_collation WHERE collname = :c"), {"c": ICU_POLISH}).first():
        _set_collation(ICU_POLISH, only_from="default")
    # The extensions stay: another schema object may use them, and they hold no data.
