"""Reads of participant imports (scoped to the current tenant by the tenancy module)."""
import uuid

from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.tenancy import get_for_tenant_or_404
from regionet.platform.ui.listing import ListQuery, Page, paginate

from .models import ImportBatch, ImportStatus
from .progress import published_progress

SORTABLE = {"created": ImportBatch.created_at, "file": ImportBatch.file_name, "status": ImportBatch.status}


def access_import(import_id: uuid.UUID) -> ImportBatch:
    return get_for_tenant_or_404(ImportBatch, import_id)


def import_for_tenant(import_id: uuid.UUID) -> ImportBatch | None:
    return db.session.execute(select(ImportBatch).where(ImportBatch.id == import_id)).scalar_one_or_none()


def imports_for_tenant(listing: ListQuery) -> Page:
    return paginate(select(ImportBatch), listing, SORTABLE, tiebreaker=ImportBatch.id.desc())


def current_progress(batch: ImportBatch) -> int:
    if batch.status is ImportStatus.IMPORTING:
        live = published_progress(batch.id)
        if live is not None:
            return max(batch.progress, live)
    return batch.progress
