"""The tenant criteria: every statement the session runs reads and changes one tenant's rows.

Two complementary ways, both applied to every SELECT, UPDATE and DELETE that names a tenant
table anywhere (in its columns, FROM, WHERE, joins, subqueries, EXISTS, a `with_only_columns`
count), whatever the statement's columns are:

* `with_loader_criteria(TenantScoped, ...)`: the ORM's own option, which reaches entities,
  aliases, relationship joins (ON clause) and relationship loads;
* `scope_statement`: the same condition (`sharing.visible_to`: the institution's own rows, plus
  those published to its region or shared with it) written into the SQL itself, for every SELECT in the
  statement tree, on every tenant table (or alias of one) it reads from: into WHERE, or into the
  ON clause of the join that brings the table in (so an outer join stays outer). It reaches what
  the ORM option cannot see: `exists()` built from a WHERE clause, Core tables (`__table__`),
  counts whose FROM is all that is left of an entity.

The criterion is a bound parameter, so the compiled statement is cached once for all tenants.
A statement built once and run on every request (`built_once`, its values as execution
parameters) is copied once per tenant instead of on every execution.
A statement that names a tenant table with no tenant in context raises `TenantScopeMissing`.
Row-level security in PostgreSQL enforces the same boundary a second time (`rls.py`);
`tests/test_isolation_without_rls.py` shows that this layer holds on its own.
"""
import functools
import weakref

from flask_sqlalchemy.session import Session
from sqlalchemy import Table, and_, event, inspect
from sqlalchemy.orm import with_loader_criteria
from sqlalchemy.sql import visitors
from sqlalchemy.sql.selectable import Alias, Join, Select, SelectBase

from ..extensions import db
from .context import current_scope
from .models import TenantScoped
from .sharing import visible_to

_TENANT_COLUMN = "tenant_id"
DML = ("update", "delete")


# Statements built once and run on every request (`built_once`): the scoped copy of each, per tenant.
_SCOPED_ONCE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def built_once(statement):
    """Mark `statement` (built once, run again and again with its values as execution parameters)
    so that its scoped copy is made once per tenant rather than on every execution: copying a
    statement with a nested select costs more than running it. Returns `statement`."""
    _SCOPED_ONCE.setdefault(statement, {})
    return statement


class TenantScopeMissing(RuntimeError):
    """Tenant-owned data was touched with no tenant in context."""


def _original(element):
    """The element a (cloned, annotated) element was made from: the identity sources compare by."""
    element = element._deannotate()
    while getattr(element, "_is_clone_of", None) is not None:
        element = element._is_clone_of
    return element


def _tenant_source(element):
    """The tenant table (or alias of one) an element of a statement reads from, else None."""
    if isinstance(element, Table | Alias):
        base = _original(element)
        table = base.element if isinstance(base, Alias) else base
        if isinstance(table, Table) and _TENANT_COLUMN in table.c:
            return base
    return None


def _referenced_source(element):
    """The tenant source behind a table or one of its columns."""
    source = _tenant_source(element)
    if source is None and getattr(element, "table", None) is not None:
        source = _tenant_source(element.table)
    return source


def names_tenant_tables(statement) -> bool:
    """Whether a tenant table appears anywhere in `statement` (columns, FROM, WHERE, subqueries)."""
    return _survey(statement)[0]


def _survey(statement) -> tuple[bool, bool]:
    """(a tenant table appears anywhere in `statement`, it holds a nested select or a Core join)."""
    tenant = nested = False
    for element in visitors.iterate(statement):
        if element is not statement and isinstance(element, SelectBase | Join):
            nested = True
        if not tenant and _referenced_source(element) is not None:
            tenant = True
    return tenant, nested


def _own_sources(select: Select) -> list:
    """The tenant sources `select` itself reads from (not those of the selects nested in it), in order."""
    found, stack = [], list(select.get_children())
    while stack:
        element = stack.pop()
        if isinstance(element, SelectBase):
            continue  # a nested select is scoped on its own
        source = _referenced_source(element)
        if source is not None:
            if source not in found:
                found.append(source)
            continue
        stack.extend(element.get_children())
    return found


def _leftmost(from_clause):
    while isinstance(from_clause, Join):
        from_clause = from_clause.left
    return from_clause


def _join_target_source(target):
    """The source an ORM join (`Select.join`) brings in: an entity, an alias or a relationship's target."""
    prop = getattr(target, "property", None)
    if prop is not None and hasattr(prop, "entity"):  # a relationship, perhaps .of_type(alias)
        entity = getattr(target, "_of_type", None) or prop.entity
        return _tenant_source(inspect(entity).selectable)
    return _tenant_source(target)


def _join_targets(select: Select) -> set:
    """Sources brought in by a join: their criterion belongs in the join's ON clause."""
    targets = {_join_target_source(target) for target, _onclause, _from, _flags in select._setup_joins}
    for join in (f for f in select._from_obj if isinstance(f, Join)):
        targets.update(_tenant_source(_leftmost(element.right)) for element in visitors.iterate(join)
                       if isinstance(element, Join))
    targets.discard(None)
    return targets


@functools.cache
def _models_by_table() -> dict:
    return {mapper.local_table: mapper.class_ for mapper in db.Model.registry.mappers
            if issubclass(mapper.class_, TenantScoped)}


def _model_of(table: Table):
    """The tenant model mapped to `table` (None for an association table: its own rows only)."""
    return _models_by_table().get(table)


def scope_statement(statement, tenant_id: int, nested: bool = True):
    """A copy of `statement` in which every SELECT, UPDATE and DELETE reads only `tenant_id`'s rows.

    `nested=False` (no select nested in it, no Core join: most statements) takes the short way, a
    `.where()` on the statement itself, instead of copying the whole tree."""

    def in_tenant(source):
        table = source.element if isinstance(source, Alias) else source
        return visible_to(_model_of(table), tenant_id, columns=source.c)

    def select_criteria(select: Select) -> list:
        joined = _join_targets(select)
        return [in_tenant(source) for source in _own_sources(select) if source not in joined]

    if not nested and isinstance(statement, Select):
        criteria = select_criteria(statement)
        return statement.where(*criteria) if criteria else statement
    if not nested and getattr(statement, "table", None) is not None and statement.__visit_name__ in DML:
        source = _tenant_source(statement.table)
        return statement if source is None else statement.where(in_tenant(source))

    def visit_select(select: Select) -> None:
        criteria = select_criteria(select)
        if criteria:
            select._where_criteria += tuple(criteria)

    def visit_join(join: Join) -> None:
        source = _tenant_source(_leftmost(join.right))
        if source is not None:
            join.onclause = and_(join.onclause, in_tenant(source))

    def visit_dml(statement) -> None:
        source = _tenant_source(statement.table)
        if source is not None:
            statement._where_criteria += (in_tenant(source),)

    # Options (loader options, earlier criteria) are kept as they are, not copied.
    options = {option for element in visitors.iterate(statement)
               for option in getattr(element, "_with_options", ())}
    return visitors.cloned_traverse(statement, {"stop_on": options},
                                    {"select": visit_select, "join": visit_join,
                                     "update": visit_dml, "delete": visit_dml})


@event.listens_for(Session, "do_orm_execute")
def _scope_tenant_statements(state) -> None:
    if not (state.is_select or state.is_update or state.is_delete) or state.is_column_load:
        return
    statement = state.statement
    scoped_once = _SCOPED_ONCE.get(statement)
    survey = scoped_once.get("survey") if scoped_once is not None else None
    if survey is None:
        survey = _survey(statement)
        if scoped_once is not None:
            scoped_once["survey"] = survey
    tenant, nested = survey
    if not tenant:
        return
    tenant_id = current_scope().tenant_id
    if tenant_id is None:
        raise TenantScopeMissing("tenant-owned data queried with no tenant in context")
    if not state.is_relationship_load:  # the ORM builds those from the relationship and the option below
        if scoped_once is None:
            statement = scope_statement(statement, tenant_id, nested)
        else:
            if tenant_id not in scoped_once:
                scoped_once[tenant_id] = scope_statement(statement, tenant_id, nested)
            statement = scoped_once[tenant_id]
    # The institution's own rows, plus the published and party-shared rows it may read (sharing.py).
    state.statement = statement.options(
        with_loader_criteria(TenantScoped, lambda cls: visible_to(cls, tenant_id), include_aliases=True))
