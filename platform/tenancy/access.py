"""Fetching one tenant-owned object for the current tenant, or answering 404.

An object of another tenant is indistinguishable from one that does not exist:
the scoped query simply finds nothing, and the user sees 404, never 403.
"""
import uuid

from flask import abort
from sqlalchemy import select

from ..extensions import db
from .models import TenantScoped


def get_for_tenant_or_404(model: type[TenantScoped], object_id: uuid.UUID, *options):
    statement = select(model).where(model.id == object_id)
    if options:
        statement = statement.options(*options)
    found = db.session.execute(statement).scalar_one_or_none()
    if found is None:
        abort(404)
    return found


def tenant_models() -> list[type[TenantScoped]]:
    """Every mapped tenant-owned model, for the isolation tests and the RLS check."""
    return sorted(
        (m.class_ for m in db.Model.registry.mappers if issubclass(m.class_, TenantScoped)),
        key=lambda cls: cls.__tablename__,
    )


def tenant_table_names() -> list[str]:
    """Every table holding tenant rows: the models' tables and their association tables."""
    return sorted(name for name, table in db.metadata.tables.items() if "tenant_id" in table.c)


def models_by_url_arg() -> dict[str, type[TenantScoped]]:
    return {cls.__url_arg__: cls for cls in tenant_models() if cls.__url_arg__}
