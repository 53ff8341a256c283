"""One mechanism for tenant-scoped reads and writes in the ORM.

- reads: `criteria.py` scopes every SELECT, UPDATE and DELETE the session runs;
- writes: `before_flush` stamps new rows with the current tenant and refuses rows of
  another tenant;
- PostgreSQL: `after_begin` hands the scope to the database, whose row-level security
  policies enforce the same boundary a second time.
"""
from flask_sqlalchemy.session import Session
from sqlalchemy import event

from .context import apply_scope_to_connection, current_scope
from .criteria import TenantScopeMissing
from .models import TenantScoped
from .sharing import may_write


class CrossTenantWrite(RuntimeError):
    """A row of one tenant was written while another tenant was in context."""


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
