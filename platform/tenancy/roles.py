"""PostgreSQL roles and their provisioning.

- OWNER_ROLE owns the schema and the tables and runs the migrations;
- APP_ROLE is what the web processes and the workers connect as: not an owner, not a
  superuser, no BYPASSRLS, DML only, so row-level security always applies to it;
- COORDINATOR_ROLE is what the regional coordinator's pages connect as: SELECT on the
  region-scoped tables and aggregate views the migrations grant it, nothing else;
- AGGREGATE_ROLE cannot log in: it owns the SECURITY DEFINER functions that count the
  institutions' figure facts across one region (migration 0006). Row-level security
  lets it read those facts for the region in `app.region_code` only; the owner role is
  a member so that migrations can hand it the functions.
- HISTORY_ROLE cannot log in either: it owns the SECURITY DEFINER function that replaces an
  erased person's values in the change history by a marker (migration 0017), the only
  change ever made to that append-only table. It may read the history and update its
  `changes` column, within the tenant of the transaction (row-level security).
"""
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

OWNER_ROLE = "regionet_owner"
APP_ROLE = "regionet_app"
COORDINATOR_ROLE = "regionet_coordinator"
AGGREGATE_ROLE = "regionet_aggregate"
HISTORY_ROLE = "regionet_history"

_ROLE_ATTRIBUTES = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION"
_NOLOGIN_ATTRIBUTES = "NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION"


def provision_database(admin_url: str, database: str, passwords: dict[str, str | None]) -> list[str]:
    """Create the three roles and the database if missing; return what was done.

    Runs as an administrative role (e.g. `postgres`). Safe to run again: existing
    roles get their attributes (and password, when one is given) reasserted.
    """
    done: list[str] = []
    admin = create_engine(make_url(admin_url).set(drivername="postgresql+psycopg"),
                          isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for role in (OWNER_ROLE, APP_ROLE, COORDINATOR_ROLE):
                existing = conn.execute(text(
                    "SELECT rolcanlogin AND NOT rolsuper AND NOT rolcreatedb AND NOT rolcreaterole"
                    " AND NOT rolbypassrls AND NOT rolreplication FROM pg_roles WHERE rolname = :r"),
                    {"r": role}).first()
                password = passwords.get(role)
                if existing is None:
                    conn.execute(text(f'CREATE ROLE "{role}" {_ROLE_ATTRIBUTES}'))
                elif not existing[0]:
                    conn.execute(text(f'ALTER ROLE "{role}" {_ROLE_ATTRIBUTES}'))
                if password:
                    conn.execute(text(f'ALTER ROLE "{role}" PASSWORD ' + _literal(conn, password)))
                done.append(f"role {role}: {'exists' if existing else 'created'}")
            for role in (AGGREGATE_ROLE, HISTORY_ROLE):
                _ensure_function_owner_role(conn, role, done)
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": database}).first():
                conn.execute(text(f'CREATE DATABASE "{database}" OWNER "{OWNER_ROLE}" ENCODING \'UTF8\' TEMPLATE template0'))
                done.append(f"database {database}: created")
        db_admin = create_engine(make_url(admin_url).set(drivername="postgresql+psycopg", database=database),
                                 isolation_level="AUTOCOMMIT")
        try:
            with db_admin.connect() as conn:
                for statement in _database_grants(database):
                    conn.execute(text(statement))
            done.append(f"database {database}: privileges set")
        finally:
            db_admin.dispose()
    finally:
        admin.dispose()
    return done


def _ensure_function_owner_role(conn, role: str, done: list[str]) -> None:
    """A role that cannot log in and owns SECURITY DEFINER functions; the owner role, a member,
    hands the functions over to it in the migrations."""
    existing = conn.execute(text(
        "SELECT NOT rolcanlogin AND NOT rolsuper AND NOT rolcreatedb AND NOT rolcreaterole"
        " AND NOT rolbypassrls AND NOT rolreplication FROM pg_roles WHERE rolname = :r"),
        {"r": role}).first()
    if existing is None:
        conn.execute(text(f'CREATE ROLE "{role}" {_NOLOGIN_ATTRIBUTES}'))
    elif not existing[0]:
        conn.execute(text(f'ALTER ROLE "{role}" {_NOLOGIN_ATTRIBUTES}'))
    conn.execute(text(f'GRANT "{role}" TO "{OWNER_ROLE}"'))
    done.append(f"role {role}: {'exists' if existing else 'created'}")


def _database_grants(database: str) -> list[str]:
    return [
        f'ALTER DATABASE "{database}" OWNER TO "{OWNER_ROLE}"',
        f'ALTER SCHEMA public OWNER TO "{OWNER_ROLE}"',
        f'REVOKE ALL ON DATABASE "{database}" FROM PUBLIC',
        f'GRANT CONNECT, TEMPORARY ON DATABASE "{database}" TO "{APP_ROLE}", "{COORDINATOR_ROLE}"',
        'REVOKE CREATE ON SCHEMA public FROM PUBLIC',
        f'GRANT USAGE ON SCHEMA public TO "{APP_ROLE}", "{COORDINATOR_ROLE}"',
        # Every table the owner creates is readable and writable by the runtime role;
        # the coordinator gets nothing by default, only what migrations grant it.
        f'ALTER DEFAULT PRIVILEGES FOR ROLE "{OWNER_ROLE}" IN SCHEMA public '
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{APP_ROLE}"',
        f'ALTER DEFAULT PRIVILEGES FOR ROLE "{OWNER_ROLE}" IN SCHEMA public '
        f'GRANT USAGE, SELECT ON SEQUENCES TO "{APP_ROLE}"',
    ]


def _literal(conn, value: str) -> str:
    """Quote a password for ALTER ROLE, which takes no bind parameters."""
    return conn.execute(text("SELECT quote_literal(:v)"), {"v": value}).scalar_one()
