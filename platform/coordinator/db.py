"""The coordinator's own database connection.

The regional coordinator never uses the application's ORM session. Its pages read
through a separate engine that connects as the coordinator role, which PostgreSQL
lets read only region-scoped tables and aggregate views, and only for the region set
in `app.region_code`.

Within a request, every read of one region shares one read-only transaction (a page
makes a dozen small reads: one transaction instead of a dozen saves the round trips of
opening and scoping each, and the page's numbers come from the same moment); it ends
when the request does. Outside a request (jobs, commands) each read has its own.
"""
from contextlib import contextmanager

from flask import current_app, g, has_request_context
from sqlalchemy import create_engine

from ..tenancy.context import Scope, apply_scope_to_connection


def coordinator_engine():
    engine = current_app.extensions.get("regionet.coordinator_engine")
    if engine is None:
        url = current_app.config["COORDINATOR_DATABASE_URL"]
        engine = create_engine(url, pool_pre_ping=True, pool_size=5)
        current_app.extensions["regionet.coordinator_engine"] = engine
    return engine


def drop_inherited_coordinator_connections() -> None:
    """In a forked work horse: forget the parent's pooled connections (never close them)."""
    engine = current_app.extensions.get("regionet.coordinator_engine")
    if engine is not None:
        engine.dispose(close=False)


def _open(region_code: str, read_only: bool = True):
    connection = coordinator_engine().connect()
    try:
        connection.begin()
        if read_only:
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")
        apply_scope_to_connection(connection, Scope(region_code=region_code),
                                  current_app.config.get("DB_STATEMENT_TIMEOUT_MS"))
    except Exception:
        connection.close()
        raise
    return connection


def _close(connection) -> None:
    try:
        connection.rollback()
    finally:
        connection.close()


@contextmanager
def region_reader(region_code: str):
    """A read-only transaction scoped to one region (the request's, if there is one)."""
    if not has_request_context():
        connection = _open(region_code)
        try:
            yield connection
        finally:
            _close(connection)
        return
    readers = g.setdefault("_region_readers", {})
    connection = readers.get(region_code)
    if connection is None:
        connection = readers[region_code] = _open(region_code)
    try:
        yield connection
    except BaseException:
        # A failed statement spoils the transaction: later reads of the request start a new one.
        readers.pop(region_code, None)
        _close(connection)
        raise


def close_region_readers(_exc=None) -> None:
    """End the request's read transactions (registered as a teardown of every request)."""
    for connection in g.pop("_region_readers", {}).values():
        _close(connection)


@contextmanager
def region_writer(region_code: str):
    """A transaction of its own, scoped to one region, that commits: the only write the coordinator
    role makes is the suppression pattern of the region's figures (coordinator/patterns.py)."""
    connection = _open(region_code, read_only=False)
    try:
        yield connection
        connection.commit()
    finally:
        _close(connection)
