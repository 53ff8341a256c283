"""Writing the change history and the personal-data access trail.

Models that set `__audited__ = True` get a ChangeRecord for every create, update and
delete, written in the same flush (so a change and its history commit together).
Exports of personal data call `record_access`; pages showing it call `render_recorded_view`.
"""
import enum
import uuid
from datetime import date, datetime
from decimal import Decimal

from flask import g, has_app_context, has_request_context, render_template, request
from flask_login import current_user
from flask_sqlalchemy.session import Session
from sqlalchemy import event, inspect
from uuid6 import uuid7

from regionet.platform.extensions import db

from .models import AccessAction, AccessRecord, ChangeAction, ChangeRecord
from .trail import mark_recorded

# Never copied into the history: bookkeeping, files, and the pseudonym (never shown anywhere).
SKIPPED_FIELDS = {"tenant_id", "id", "created_at", "updated_at", "pseudonym", "pdf", "data", "file_data"}


def acting_user_id() -> int | None:
    """The signed-in user, or the user a job acts for (`g.acting_user_id`)."""
    if has_app_context() and g.get("acting_user_id"):
        return g.acting_user_id
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id
    return None


def _jsonable(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def _columns(obj):
    # Columns the database computes (sort keys, folded search text) are not what anyone edited.
    return [attr for attr in inspect(obj).mapper.column_attrs
            if attr.key not in SKIPPED_FIELDS and attr.columns[0].computed is None]


def _snapshot(obj) -> dict:
    values = {attr.key: getattr(obj, attr.key) for attr in _columns(obj)}
    # A new record attached through a relationship (`enrolment.episodes.append(...)`) gets its
    # foreign key only at the flush: take it from the parent, so the entry says whose it is
    # (history_api.redact_person finds a person's records by these keys).
    for relationship in inspect(obj).mapper.relationships:
        parent = obj.__dict__.get(relationship.key)
        if relationship.direction.name == "MANYTOONE" and parent is not None:
            for local, remote in relationship.local_remote_pairs:
                if local.key in values and values[local.key] is None:
                    values[local.key] = getattr(parent, remote.key, None)
    return {key: _jsonable(value) for key, value in values.items()}


def created_entries(model, rows: list[dict], user_id: int | None) -> list[dict]:
    """The history rows (change_records values) of records inserted without the ORM, as the flush
    would write them: for set-based inserts (imports), which insert these in the same transaction."""
    keys = [attr.key for attr in inspect(model).column_attrs
            if attr.key not in SKIPPED_FIELDS and attr.columns[0].computed is None]
    return [{"tenant_id": row["tenant_id"], "id": uuid7(), "entity_type": model.__name__, "entity_id": row["id"],
             "action": ChangeAction.CREATE, "changes": {key: _jsonable(row.get(key)) for key in keys},
             "user_id": user_id} for row in rows]


def _diff(obj) -> dict:
    state = inspect(obj)
    changes = {}
    for attr in _columns(obj):
        history = state.attrs[attr.key].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                changes[attr.key] = [_jsonable(old), _jsonable(new)]
    return changes


@event.listens_for(Session, "before_flush")
def _record_changes(session, flush_context, instances) -> None:
    user_id = acting_user_id()
    records = []
    created = [obj for obj in session.new if getattr(obj, "__audited__", False)]
    for obj in created:   # ids first: a new record's entry names its new parent
        if obj.id is None:
            obj.id = uuid7()
    for obj in created:
        records.append((obj, ChangeAction.CREATE, _snapshot(obj)))
    for obj in session.dirty:
        if getattr(obj, "__audited__", False) and session.is_modified(obj, include_collections=False):
            changes = _diff(obj)
            if changes:
                records.append((obj, ChangeAction.UPDATE, changes))
    for obj in session.deleted:
        if getattr(obj, "__audited__", False):
            records.append((obj, ChangeAction.DELETE, _snapshot(obj)))
    for obj, action, changes in records:
        session.add(ChangeRecord(tenant_id=obj.tenant_id, entity_type=type(obj).__name__, entity_id=obj.id,
                                 action=action, changes=changes, user_id=user_id))


def record_access(action: AccessAction, subject_type: str, subject_id: uuid.UUID | None = None,
                  detail: str | None = None) -> None:
    """Append one entry to the access trail and commit it at once.

    The commit keeps what the request has loaded (the signed-in user, the institution):
    it writes only this entry, and expiring them would make every page read them again.
    """
    mark_recorded()
    db.session.add(AccessRecord(
        action=action, subject_type=subject_type, subject_id=subject_id, detail=detail, user_id=acting_user_id(),
        ip_address=request.remote_addr if has_request_context() else None,
        user_agent=(request.user_agent.string or "")[:300] if has_request_context() else None))
    session = db.session()
    expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire_on_commit


def render_recorded_view(template: str, subject_type: str, subject_id: uuid.UUID | None = None,
                         detail: str | None = None, **context) -> str:
    """Render a page that shows personal data, then record the view in the access trail.

    The entry is written once the page exists and before it is sent, and its commit ends the
    request's one transaction: a page that fails to render shows nothing and records nothing,
    and a page that renders costs no second transaction (with its own scope round trip).
    """
    html = render_template(template, **context)
    record_access(AccessAction.VIEW, subject_type, subject_id, detail=detail)
    return html
