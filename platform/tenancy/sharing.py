"""The two deliberate, narrow ways a tenant-owned row is seen beyond its owner.

Every tenant-owned row belongs to one institution (`tenant_id`). Two kinds of rows are also seen by
others, and only through this module, enforced twice like every tenant row:

* `RegionPublished`: rows an institution publishes to every institution of its region (the
  services catalogue). Others may *read* a row when it is published and its `region_code` is the
  region of the reading institution; only the owner writes it, and only into its own region.
* `PartyShared`: rows of exactly two parties (a referral and its events): the owner (`tenant_id`,
  the sender) and `receiver_tenant_id`. Both read and write them; a third institution sees nothing.

ORM: `visible_to(cls, tenant_id)` is the criterion `scoping.py` adds to every query (the owner's
rows, plus what the kind of row shares); `may_write(obj, tenant_id)` is what `before_flush`
accepts. PostgreSQL: `region_published_rls_statements` and `party_shared_rls_statements` are the
policies the migrations install instead of the plain tenant policy. Pages that manage one's own
rows read them with `get_owned_or_404`, so a published or shared row of someone else is a 404
there.
"""
import uuid

from flask import abort
from sqlalchemy import Boolean, ForeignKey, and_, false, or_, select
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from ..extensions import db
from .context import current_tenant_id
from .rls import TENANT_MATCH

TENANT_SETTING = "NULLIF(current_setting('app.tenant_id', true), '')::integer"
TENANT_REGION = f"(SELECT i.region_code FROM institutions i WHERE i.id = {TENANT_SETTING})"


class RegionPublished:
    """Mixin (with TenantScoped): a row its owner may publish to the institutions of its region."""

    @declared_attr
    def region_code(cls) -> Mapped[str]:
        return mapped_column(ForeignKey("regions.teryt_code"), index=True)

    @declared_attr
    def published(cls) -> Mapped[bool]:
        return mapped_column(Boolean, default=False, server_default=false())


class PartyShared:
    """Mixin (with TenantScoped): a row shared by its owner and exactly one receiving institution."""

    @declared_attr
    def receiver_tenant_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("institutions.id", ondelete="RESTRICT"), index=True)


def _region_of(tenant_id):
    from ..institutions.models import Institution

    return select(Institution.region_code).where(Institution.id == tenant_id).scalar_subquery()


def visible_to(cls, tenant_id, columns=None):
    """The criterion: which rows of `cls` the institution `tenant_id` may read. `columns`: the
    columns to write it with (a table's or an alias's `.c`, for criteria.scope_statement), else
    the class's attributes; `cls` is None for a tenant table without a model (association tables)."""
    c = cls if columns is None else columns
    if isinstance(cls, type) and issubclass(cls, PartyShared):
        return or_(c.tenant_id == tenant_id, c.receiver_tenant_id == tenant_id)
    if isinstance(cls, type) and issubclass(cls, RegionPublished):
        return or_(c.tenant_id == tenant_id,
                   and_(c.published.is_(True), c.region_code == _region_of(tenant_id)))
    return c.tenant_id == tenant_id


def may_write(obj, tenant_id) -> bool:
    """`before_flush`: the current institution may write this row (owner, or the other party)."""
    if obj.tenant_id == tenant_id:
        return True
    return isinstance(obj, PartyShared) and obj.receiver_tenant_id == tenant_id


def owned_only(model):
    """A criterion for pages that manage the institution's own rows of a shared kind."""
    return model.tenant_id == current_tenant_id()


def get_owned_or_404(model, object_id: uuid.UUID, *options):
    """The current institution's own row, never one it only sees published or shared."""
    statement = select(model).where(model.id == object_id, owned_only(model))
    if options:
        statement = statement.options(*options)
    found = db.session.execute(statement).scalar_one_or_none()
    if found is None:
        abort(404)
    return found


def region_published_rls_statements(table: str) -> list[str]:
    """The owner reads and writes its rows (the usual tenant policy); every institution of the same
    region reads the published ones; a row can only be written into its owner's region."""
    own_region = f"region_code = {TENANT_REGION}"
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY tenant_isolation ON {table} USING ({TENANT_MATCH}) WITH CHECK ({TENANT_MATCH})",
        f"CREATE POLICY region_published ON {table} FOR SELECT USING (published AND {own_region})",
        f"CREATE POLICY own_region_insert ON {table} AS RESTRICTIVE FOR INSERT WITH CHECK ({own_region})",
        f"CREATE POLICY own_region_update ON {table} AS RESTRICTIVE FOR UPDATE USING (true)"
        f" WITH CHECK ({own_region})",
    ]


def party_shared_rls_statements(table: str) -> list[str]:
    """Both parties read, add and change the rows; only the owner deletes them."""
    party = f"(tenant_id = {TENANT_SETTING} OR receiver_tenant_id = {TENANT_SETTING})"
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY party_read ON {table} FOR SELECT USING {party}",
        f"CREATE POLICY party_insert ON {table} FOR INSERT WITH CHECK {party}",
        f"CREATE POLICY party_update ON {table} FOR UPDATE USING {party} WITH CHECK {party}",
        f"CREATE POLICY owner_delete ON {table} FOR DELETE USING ({TENANT_MATCH})",
    ]


def drop_shared_rls_statements(table: str) -> list[str]:
    names = ("tenant_isolation", "region_published", "own_region_insert", "own_region_update",
             "party_read", "party_insert", "party_update", "owner_delete")
    return [f"DROP POLICY IF EXISTS {name} ON {table}" for name in names] + [
        f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY", f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY"]


__all__ = ["RegionPublished", "PartyShared", "visible_to", "may_write", "owned_only", "get_owned_or_404",
           "region_published_rls_statements", "party_shared_rls_statements", "drop_shared_rls_statements"]
