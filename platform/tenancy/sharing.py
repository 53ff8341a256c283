"""The two deliberate, narrow ways a tenant-owned row is seen beyond its owner.

Every tenant-owned row belongs to one institution (`tenant_id`). Two kinds of rows are also seen by
others, and only through this module, enforced twice like every tenant row:

* `RegionPublished`: rows an institution publishes to every institution of its region (the
  services catalogue). Others may *read* a row when it is published and its `region_code` is the
  region of the reading institution; only the owner writes it, and only into its own region.
* `PartyShared`: rows of exactly two parties (a referral and its events): the owner (`tenant_id`,
  the sender) and `receiver_tenant_id`. Both read and write them; a third institution sees nothing.
* `PartySetShared`: rows of a set of institutions (a working group and everything in it, an
  agreement of several parties). The set is named by a column of the row (`__party_set__`, e.g. the
  group's id) and its institutions are the rows of `shared_parties` (`SharedParty`, keyed by the
  owner, the set and the institution). The owner and every institution of the set read and write the
  rows; anybody else sees nothing. Only the owner adds institutions to a set; an institution may
  take itself out of one.

ORM: `visible_to(cls, tenant_id)` is the criterion `scoping.py` adds to every query (the owner's
rows, plus what the kind of row shares); `may_write(obj, tenant_id)` is what `before_flush`
accepts. PostgreSQL: `region_published_rls_statements` and `party_shared_rls_statements` are the
policies the migrations install instead of the plain tenant policy. Pages that manage one's own
rows read them with `get_owned_or_404`, so a published or shared row of someone else is a 404
there.
"""
import uuid
from datetime import datetime
from typing import ClassVar

from flask import abort
from sqlalchemy import (
    Boolean,
    ForeignKey,
    UniqueConstraint,
    Uuid,
    and_,
    exists,
    false,
    func,
    inspect,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from ..db_types import Timestamp
from ..extensions import db
from .context import current_tenant_id
from .models import TenantScoped
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
    """Mixin (with TenantScoped): a row shared by its owner and exactly one receiving institution.

    `__receiver_writes__` names the columns the receiver may change (nothing else, ORM-checked)."""

    __receiver_writes__: ClassVar[frozenset] = frozenset()

    @declared_attr
    def receiver_tenant_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("institutions.id", ondelete="RESTRICT"), index=True)


class PartySetShared:
    """Mixin (with TenantScoped): a row of a set of party institutions (see `SharedParty`).

    `__party_set__` names the column holding the set's id (`"id"` for the row that defines the set,
    e.g. a working group; `"group_id"` for the rows inside it)."""

    __party_set__: ClassVar[str] = "id"


class SharedParty(TenantScoped, db.Model):
    """One institution of a party set: owner (`tenant_id`), set (`party_set_id`), `institution_id`.

    The owner adds and removes rows; the institution reads and may remove its own row (leaving)."""

    __tablename__ = "shared_parties"
    __table_args__ = (UniqueConstraint("tenant_id", "party_set_id", "institution_id",
                                       name="uq_shared_parties_set_institution"),)

    party_set_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())


def _is_party(cls, tenant_id, columns=None):
    # An uncorrelated IN: PostgreSQL reads the institution's sets once and hashes them (as it does for
    # the row-level policy), where a correlated EXISTS probed shared_parties once per row of a list.
    c = cls if columns is None else columns
    return tuple_(c.tenant_id, getattr(c, cls.__party_set__)).in_(
        select(SharedParty.tenant_id, SharedParty.party_set_id).where(SharedParty.institution_id == tenant_id))


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
    if isinstance(cls, type) and issubclass(cls, PartySetShared):
        return or_(c.tenant_id == tenant_id, _is_party(cls, tenant_id, c))
    if cls is SharedParty:
        return or_(c.tenant_id == tenant_id, c.institution_id == tenant_id)
    if isinstance(cls, type) and issubclass(cls, RegionPublished):
        return or_(c.tenant_id == tenant_id,
                   and_(c.published.is_(True), c.region_code == _region_of(tenant_id)))
    return c.tenant_id == tenant_id


def may_write(obj, tenant_id) -> bool:
    """`before_flush`: the current institution may write this row (owner, or the other party)."""
    if obj.tenant_id == tenant_id:
        return True
    if isinstance(obj, SharedParty):
        return obj.institution_id == tenant_id
    if isinstance(obj, PartySetShared):
        return is_party(obj.tenant_id, getattr(obj, obj.__party_set__), tenant_id)
    return isinstance(obj, PartyShared) and obj.receiver_tenant_id == tenant_id and _receiver_may_change(obj)


def _receiver_may_change(obj) -> bool:
    """The receiver adds rows (events) and changes only the columns the model lets it
    (`__receiver_writes__`: a referral's state and what the receiver records), never deletes one."""
    state = inspect(obj)
    if state.pending or state.transient:
        return True
    session = state.session
    if session is not None and obj in session.deleted:
        return False
    allowed = getattr(type(obj), "__receiver_writes__", frozenset())
    return all(attr.key in allowed for attr in state.attrs if attr.history.has_changes())


def is_party(owner_id: int, party_set_id, tenant_id) -> bool:
    """Whether `tenant_id` is one of the institutions of the owner's party set."""
    if party_set_id is None or tenant_id is None:
        return False
    with db.session.no_autoflush:
        return db.session.execute(select(exists().where(
            SharedParty.tenant_id == owner_id, SharedParty.party_set_id == party_set_id,
            SharedParty.institution_id == tenant_id))).scalar_one()


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


def shared_parties_rls_statements() -> list[str]:
    """`shared_parties`: the owner manages its sets; an institution reads and removes its own rows.
    (The policy cannot read the table it guards, so co-parties are listed by the domain's own rows.)"""
    mine = f"(tenant_id = {TENANT_SETTING} OR institution_id = {TENANT_SETTING})"
    return [
        "ALTER TABLE shared_parties ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE shared_parties FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY party_read ON shared_parties FOR SELECT USING {mine}",
        f"CREATE POLICY owner_insert ON shared_parties FOR INSERT WITH CHECK ({TENANT_MATCH})",
        f"CREATE POLICY owner_update ON shared_parties FOR UPDATE USING ({TENANT_MATCH}) WITH CHECK ({TENANT_MATCH})",
        f"CREATE POLICY party_delete ON shared_parties FOR DELETE USING {mine}",
    ]


def party_set_rls_statements(table: str, set_column: str = "id") -> list[str]:
    """The owner and every institution of the row's party set read, add, change and delete it."""
    party = (f"(tenant_id = {TENANT_SETTING} OR EXISTS (SELECT 1 FROM shared_parties p"
             f" WHERE p.tenant_id = {table}.tenant_id AND p.party_set_id = {table}.{set_column}"
             f" AND p.institution_id = {TENANT_SETTING}))")
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY party_set ON {table} USING {party} WITH CHECK {party}",
    ]


def drop_shared_rls_statements(table: str) -> list[str]:
    names = ("tenant_isolation", "region_published", "own_region_insert", "own_region_update",
             "party_read", "party_insert", "party_update", "owner_delete", "owner_insert", "owner_update",
             "party_delete", "party_set")
    return [f"DROP POLICY IF EXISTS {name} ON {table}" for name in names] + [
        f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY", f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY"]


__all__ = ["RegionPublished", "PartyShared", "PartySetShared", "SharedParty", "visible_to", "may_write",
           "is_party", "owned_only", "get_owned_or_404", "region_published_rls_statements",
           "party_shared_rls_statements", "shared_parties_rls_statements", "party_set_rls_statements",
           "drop_shared_rls_statements"]
