"""What users read for the state of an import."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from regionet.platform.run_status import RETRYING_ADVICE

from .kinds import ImportKind
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
IMPORT_FAILED_ADVICE = _l("The import could not be completed and nothing from the file was saved. Use “Try again”; "
                          "if it fails again, tell the platform's operator: the details of the error are in the "
                          "server's log.")


def failure_text(batch: ImportBatch) -> str | None:
    """What the page says about a failure: why the file was refused (Polish, for the user), or, when a
    job attempt failed, what to do (the exception's text is for the log only)."""
    if batch.status not in (ImportStatus.FAILED, ImportStatus.QUEUED):
        return None
    if batch.failure:
        return _("Reason: %(reason)s", reason=batch.failure)
    if batch.failure_detail:
        return str(RETRYING_ADVICE if batch.status is ImportStatus.QUEUED else IMPORT_FAILED_ADVICE)
    return None


def status_label(batch: ImportBatch):
    # A failed attempt with attempts left goes back to the queue with its reason kept.
    if batch.status is ImportStatus.QUEUED and (batch.failure or batch.failure_detail):
        return RETRYING_LABEL
    return STATUS_LABELS[batch.status]


def count_text(kind: ImportKind, n: int) -> str:
    """How many records of a kind an import stored, for the page and the access trail."""
    return {
        ImportKind.PARTICIPANTS: lambda: _("participants: %(n)s", n=n),
        ImportKind.ENROLMENTS: lambda: _("participations in projects: %(n)s", n=n),
        ImportKind.EPISODES: lambda: _("support episodes: %(n)s", n=n),
        ImportKind.OUTCOMES: lambda: _("outcomes: %(n)s", n=n),
    }[kind]()


def imported_summary(batch: ImportBatch) -> list[str]:
    """The records a whole-project import stored, kind by kind (empty for a participants-only import)."""
    if not batch.imported_counts:
        return []
    counts = {ImportKind.PARTICIPANTS.value: batch.imported_rows or 0, **batch.imported_counts}
    return [count_text(kind, counts.get(kind.value, 0)) for kind in ImportKind]
