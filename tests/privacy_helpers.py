"""Looking for a person's data in every table of the database, as its owner sees it."""
from sqlalchemy import text


def traces(admin_engine, terms: list[str]) -> list[tuple[str, str, str]]:
    """(table, column, term) for every text, JSON or binary column of the public schema that holds
    one of the terms (case-insensitive for text; JSON compared unescaped; bytes as UTF-8)."""
    found = []
    with admin_engine.connect() as conn:
        columns = conn.execute(text(
            "SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c"
            " JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name"
            " WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'"
            " AND c.table_name <> 'teryt_units'"   # the public register of places, not a person's data
            " AND c.data_type IN ('text', 'character varying', 'json', 'jsonb', 'bytea')")).all()
        for table, column, kind in columns:
            if kind == "bytea":
                condition = f'position(convert_to(:term, \'UTF8\') in "{column}") > 0'
            elif kind in ("json", "jsonb"):
                condition = f'strpos(lower("{column}"::jsonb::text), lower(:term)) > 0'
            else:
                condition = f'strpos(lower("{column}"), lower(:term)) > 0'
            for term in terms:
                if conn.execute(text(f'SELECT EXISTS (SELECT 1 FROM "{table}" WHERE {condition})'),
                                {"term": term}).scalar_one():
                    found.append((table, column, term))
    return found
