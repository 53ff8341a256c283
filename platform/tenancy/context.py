"""The tenant context: which institution (or region) the current work is for.

The scope lives on `flask.g`, so each request and each job (both run in their own
app context) starts with no tenant at all. No tenant means no tenant rows: the ORM
refuses to query tenant-owned models and PostgreSQL returns nothing (fail closed).
"""
from contextlib import contextmanager
from dataclasses import dataclass

from flask import g, has_app_context
from sqlalchemy import text

from ..extensions import db


@dataclass(frozen=True)
class Scope:
    tenant_id: int | None = None
    region_code: str | None = None


NO_SCOPE = Scope()
_G_KEY = "_regionet_scope"


def current_scope() -> Scope:
    if not has_app_context():
        return NO_SCOPE
    return g.get(_G_KEY, NO_SCOPE)


def current_tenant_id() -> int | None:
    return current_scope().tenant_id


def activate_scope(scope: Scope) -> None:
    """Make `scope` current, including in a database transaction already under way."""
    setattr(g, _G_KEY, scope)
    session = db.session()  # the request's (or job's) actual Session behind the scoped proxy
    transaction = session.get_transaction()
    # A transaction that failed (a unique violation, say) only waits for its rollback: touching it would
    # raise PendingRollbackError and hide the real error; the next transaction gets the scope when it begins.
    if transaction is not None and transaction.is_active:
        apply_scope_to_connection(session.connection(), scope)


def activate_tenant(tenant_id: int) -> None:
    activate_scope(Scope(tenant_id=tenant_id))


@contextmanager
def scope(new_scope: Scope):
    """Run a block in `new_scope`, then restore whatever was current before."""
    previous = current_scope()
    activate_scope(new_scope)
    try:
        yield
    finally:
        activate_scope(previous)


def tenant_scope(tenant_id: int):
    """Run a block (a job, a seed step, a CLI command) as one institution."""
    return scope(Scope(tenant_id=tenant_id))


def region_scope(region_code: str):
    return scope(Scope(region_code=region_code))


def apply_scope_to_connection(connection, scope: Scope, statement_timeout_ms: int | None = None) -> None:
    """Set the transaction-local settings the row-level security policies read.

    set_config(..., true) lasts until the end of the transaction, so a pooled
    connection never carries one tenant's setting into another's work.
    """
    connection.execute(
        text(
            "SELECT set_config('app.tenant_id', :tenant, true),"
            " set_config('app.region_code', :region, true)"
            + (", set_config('statement_timeout', :timeout, true)" if statement_timeout_ms else "")
        ),
        {
            "tenant": "" if scope.tenant_id is None else str(scope.tenant_id),
            "region": scope.region_code or "",
            "timeout": str(statement_timeout_ms or ""),
        },
    )

