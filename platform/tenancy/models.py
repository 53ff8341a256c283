"""The base of every tenant-owned table.

Every tenant-owned row has (tenant_id, id) as its primary key and every foreign key
between tenant-owned tables includes tenant_id, so the schema can be distributed by
tenant (Citus) later without a rewrite. Ids are time-ordered UUIDs: they need no
per-table sequence and are not guessable.
"""
import uuid
from typing import ClassVar

from sqlalchemy import ForeignKey, ForeignKeyConstraint, Uuid
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from uuid6 import uuid7


class TenantScoped:
    """Mixin for tenant-owned models. Reads are scoped and writes stamped automatically.

    `__url_arg__` names the URL argument that identifies one object of the model
    (e.g. "report_id"); the cross-tenant tests use it to cover every route.
    """

    __url_arg__: ClassVar[str | None] = None

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:
        return mapped_column(
            ForeignKey("institutions.id", ondelete="RESTRICT"), primary_key=True, sort_order=-20
        )

    @declared_attr
    def id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(Uuid, primary_key=True, default=uuid7, sort_order=-19)


def tenant_foreign_key(column: str, target_table: str, **kwargs) -> ForeignKeyConstraint:
    """A foreign key to another tenant-owned table, carrying tenant_id with it."""
    return ForeignKeyConstraint(
        ["tenant_id", column], [f"{target_table}.tenant_id", f"{target_table}.id"], **kwargs
    )
