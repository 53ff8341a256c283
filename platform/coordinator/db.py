"""The coordinator's own database connection.

The regional coordinator never uses the application's ORM session. Its pages read
through a separate engine that connects as the coordinator role, which PostgreSQL
lets read only region-scoped tables and aggregate views, and only for the region set
in `app.region_code`. On SQLite (the embedded default) both are the same file.
"""
from contextlib import contextmanager

from flask import current_app
from sqlalchemy import create_engine

from ..tenancy.context import Scope, apply_scope_to_connection


def coordinator_engine():
    engine = current_app.extensions.get("regionet.coordinator_engine")
    if engine is None:
        url = current_app.config["COORDINATOR_DATABASE_URL"]
        engine = create_engine(url, pool_pre_ping=True, pool_size=5) if not url.startswith("sqlite") \
            else create_engine(url)
        current_app.extensions["regionet.coordinator_engine"] = engine
    return engine


def drop_inherited_coordinator_connections() -> None:
    """In a forked work horse: forget the parent's pooled connections (never close them)."""
    engine = current_app.extensions.get("regionet.coordinator_engine")
    if engine is not None:
        engine.dispose(close=False)


@contextmanager
def region_reader(region_code: str):
    """A read-only transaction scoped to one region."""
    with coordinator_engine().connect() as connection:
        with connection.begin() as transaction:
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql("SET TRANSACTION READ ONLY")
                apply_scope_to_connection(connection, Scope(region_code=region_code),
                                          current_app.config.get("DB_STATEMENT_TIMEOUT_MS"))
            yield connection
            transaction.rollback()
