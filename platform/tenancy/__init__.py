"""Tenancy: the one module that owns which institution the current work belongs to.

Everything else imports from here: the scope (`tenant_scope`, `activate_tenant`),
the base of tenant-owned models (`TenantScoped`), and the 404-on-foreign lookup
(`get_for_tenant_or_404`). Importing this package installs the session hooks.
"""
from . import criteria, scoping  # noqa: F401  (install the session event listeners)
from .access import get_for_tenant_or_404, models_by_url_arg, tenant_models, tenant_table_names
from .context import (
    NO_SCOPE,
    Scope,
    activate_scope,
    activate_tenant,
    current_scope,
    current_tenant_id,
    region_scope,
    tenant_scope,
)
from .criteria import TenantScopeMissing
from .models import TenantScoped, tenant_foreign_key
from .scoping import CrossTenantWrite

__all__ = [
    "NO_SCOPE", "Scope", "TenantScoped", "tenant_foreign_key", "activate_scope", "activate_tenant",
    "current_scope", "current_tenant_id", "region_scope", "tenant_scope", "get_for_tenant_or_404",
    "tenant_models", "tenant_table_names", "models_by_url_arg", "CrossTenantWrite", "TenantScopeMissing",
]
