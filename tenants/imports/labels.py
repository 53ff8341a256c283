"""What users read for the state of an import."""
from flask_babel import lazy_gettext as _l

from .models import ImportBatch, ImportStatus

STATUS_LABELS = {
    ImportStatus.QUEUED: _l("Waiting in the queue"),
    ImportStatus.VALIDATING: _l("Checking the rows"),
    ImportStatus.NEEDS_DECISION: _l("Errors found: waiting for your decision"),
    ImportStatus.IMPORTING: _l("Importing"),
    ImportStatus.DONE: _l("Import completed"),
    ImportStatus.FAILED: _l("Failed"),
    ImportStatus.CANCELLED: _l("Cancelled"),
}
RETRYING_LABEL = _l("Failed, will be retried")


def status_label(batch: ImportBatch):
    # A failed attempt with attempts left goes back to the queue with its reason kept.
    if batch.status is ImportStatus.QUEUED and batch.failure:
        return RETRYING_LABEL
    return STATUS_LABELS[batch.status]
