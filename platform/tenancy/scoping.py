"""One mechanism for tenant-scoped reads and writes in the ORM.

- reads: `do_orm_execute` adds `with_loader_criteria` on every tenant-owned model to
  every ORM SELECT, UPDATE and DELETE;
- writes: `before_flush` stamps new rows with the current tenant and refuses rows of
  another tenant;
- PostgreSQL: `after_begin` hands the scope to the database, whose row-level security
  policies enforce the same boundary a second time.
"""
from flask_sqlalchemy.session import Session
from sqlalchemy import event
from sqlalchemy.orm import with_loader_criteria

from .context import apply_scope_to_connection, current_scope
from .models import TenantScoped
from .sharing import may_write, visible_to


class TenantScopeMissing(RuntimeError):
    """Tenant-owned data was touched with no tenant in context."""


class CrossTenantWrite(RuntimeError):
    """A row of one tenant was written while another tenant was in context."""


def _touches_tenant_models(state) -> bool:
    return any(issubclass(m.class_, TenantScoped) for m in state.all_mappers)


@event.listens_for(Session, "do_orm_execute")
def _scope_tenant_reads(state) -> None:
    if not (state.is_select or state.is_update or state.is_delete) or state.is_column_load:
        return
    if not _touches_tenant_models(state):
        return
    tenant_id = current_scope().tenant_id
    if tenant_id is None:
        raise TenantScopeMissing("tenant-owned data queried with no tenant in context")
    # The institution's own rows, plus the published and party-shared rows it may read (sharing.py).
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantScoped, lambda cls: visible_to(cls, tenant_id), include_aliases=True
        )
    )


@event.listens_for(Session, "before_flush")
def _stamp_tenant_writes(session, flush_context, instances) -> None:
    tenant_id = current_scope().tenant_id
    for obj in session.new:
        if not isinstance(obj, TenantScoped):
            continue
        if tenant_id is None:
            raise TenantScopeMissing(f"{type(obj).__name__} created with no tenant in context")
        if obj.tenant_id is None:
            obj.tenant_id = tenant_id
        elif not may_write(obj, tenant_id):
            raise CrossTenantWrite(f"{type(obj).__name__} of tenant {obj.tenant_id} written as {tenant_id}")
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, TenantScoped) and not may_write(obj, tenant_id):
            raise CrossTenantWrite(f"{type(obj).__name__} of tenant {obj.tenant_id} changed as {tenant_id}")


@event.listens_for(Session, "after_begin")
def _hand_scope_to_postgresql(session, transaction, connection) -> None:
    # A new transaction starts with no app.* setting (they are transaction-local), which
    # the policies read as "no tenant": only a transaction with a scope needs a round trip.
    scope = current_scope()
    if scope.tenant_id is not None or scope.region_code:
        apply_scope_to_connection(connection, scope)
