"""Writes to the history other than the automatic entries: redacting an erased person.

The change history is append-only for the platform (migration 0017): the runtime role can add
entries, never change or remove one. The one exception is erasure: a person's values in past
entries are replaced by the marker REDACTED, by the SECURITY DEFINER function
`history_api.redact_person`, which does only that and only in the transaction's tenant. Which
fields changed, when and by whom stays; so does the access trail's record of who opened the
person's records, without the name its `detail` gave.
"""
import uuid

from sqlalchemy import select, text

from regionet.platform.extensions import db
from regionet.platform.tenancy import current_tenant_id

from .models import REDACTED, AccessRecord, ChangeRecord

PERSON_RECORDS = ("Participant", "Enrolment", "SupportEpisode", "Outcome")


def do_redact_person_history(participant) -> int:
    """Replace every value in the history entries of `participant` (and of the enrolments, support
    episodes and outcomes its history ties to them) by REDACTED, and the `detail` of the access
    trail's entries about those records; returns how many history entries.

    Runs in the caller's transaction: flush first so that entries of this transaction (the
    deletion's own snapshot) are redacted too, and commit together with the erasure.
    """
    db.session.flush()
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        return connection.execute(text("SELECT history_api.redact_person(:tenant, :participant)"),
                                  {"tenant": current_tenant_id(), "participant": participant.id}).scalar_one()
    return _redact_without_roles(participant.id)


def _redact_without_roles(participant_id: uuid.UUID) -> int:
    """The same on SQLite (the embedded development database: no roles, no functions)."""
    records = list(db.session.execute(select(ChangeRecord).where(
        ChangeRecord.entity_type.in_(PERSON_RECORDS))).scalars())
    person = str(participant_id)

    def mentions(record, field, ids):
        value = record.changes.get(field)
        return any(str(v) in ids for v in (value if isinstance(value, list) else [value]) if v is not None)

    enrolments = {str(r.entity_id) for r in records
                  if r.entity_type == "Enrolment" and mentions(r, "participant_id", {person})}
    targets = {person} | enrolments | {str(r.entity_id) for r in records
                                       if r.entity_type in ("SupportEpisode", "Outcome")
                                       and mentions(r, "enrolment_id", enrolments)}
    redacted = 0
    for record in records:
        if str(record.entity_id) in targets:
            record.changes = {field: _redacted(value) for field, value in record.changes.items()}
            redacted += 1
    for entry in db.session.execute(select(AccessRecord).where(AccessRecord.detail.is_not(None))).scalars():
        if str(entry.subject_id) in targets:
            entry.detail = REDACTED
    db.session.flush()
    return redacted


def _redacted(value):
    if isinstance(value, list):
        return [None if v is None else REDACTED for v in value]
    return None if value is None else REDACTED
