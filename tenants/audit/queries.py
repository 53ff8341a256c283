"""Reads of the change history and the access trail (scoped to the current tenant)."""
from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.ui.listing import ListQuery, Page, paginate, search_clause

from .models import AccessAction, AccessRecord, ChangeRecord

ACCESS_SORTABLE = {"at": AccessRecord.at, "action": AccessRecord.action, "subject": AccessRecord.subject_type}


def history_for(obj) -> list[ChangeRecord]:
    """Every recorded change of one audited object, oldest first."""
    return list(db.session.execute(
        select(ChangeRecord).where(ChangeRecord.entity_type == type(obj).__name__, ChangeRecord.entity_id == obj.id)
        .order_by(ChangeRecord.at, ChangeRecord.id)).scalars())


def access_records_for_tenant(listing: ListQuery) -> Page:
    statement = select(AccessRecord)
    if listing.q:
        statement = statement.where(*search_clause(listing.q, AccessRecord.detail, AccessRecord.subject_type,
                                                   AccessRecord.ip_address))
    if listing.filters.get("action") in {a.value for a in AccessAction}:
        statement = statement.where(AccessRecord.action == AccessAction(listing.filters["action"]))
    return paginate(statement, listing, ACCESS_SORTABLE, tiebreaker=AccessRecord.id.desc())
