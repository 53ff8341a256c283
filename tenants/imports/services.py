"""Writes of imports (participants, enrolments, support, outcomes): upload, decisions, and each step the worker takes.

The batch row is the state machine: queued → validating → needs_decision (errors found)
or importing → done; failed (with the reason) or cancelled. The participants of a batch
are inserted in one transaction that also marks the batch done, while the batch row is
locked, so a job delivered twice (RQ delivers at least once) cannot insert twice.
"""
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import PurePosixPath

from flask import current_app
from flask_babel import gettext as _
from redis.exceptions import RedisError
from rq import Callback, Retry
from rq.exceptions import DuplicateJobError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from regionet.platform.extensions import db
from regionet.platform.validation import violated_constraint
from regionet.tenants.audit.models import AccessAction, ChangeRecord
from regionet.tenants.audit.recording import created_entries, record_access
from regionet.tenants.figures.triggers import note_bulk_change
from regionet.tenants.participants.models import Participant
from regionet.tenants.participants.services import participant_row
from regionet.tenants.support.models import Enrolment, Outcome, SupportEpisode
from regionet.workers.queues import IMPORTS, QUEUED_TTL, get_queue, job_id
from regionet.workers.reconcile import stuck_reason

from .bulk import insert_rows
from .checking import CheckedFile
from .kinds import ImportKind
from .labels import count_text
from .models import ImportBatch, ImportMode, ImportStatus
from .project_rows import CheckedSheet

IMPORT_JOB = "regionet.workers.jobs.participant_import.run_participant_import"
IMPORT_FAILURE_CALLBACK = "regionet.workers.jobs.participant_import.on_import_failure"
# The import is idempotent (see above), so a failed or abandoned attempt is simply run again.
IMPORT_RETRY = Retry(max=3, interval=[10, 30, 60])
INSERT_CHUNK = 5000
RECORD_MODELS = {ImportKind.ENROLMENTS: Enrolment, ImportKind.EPISODES: SupportEpisode, ImportKind.OUTCOMES: Outcome}


def job_id_for(tenant_id: int, batch_id: uuid.UUID) -> str:
    return job_id(f"participant-import-{tenant_id}-{batch_id.hex}")


def do_upload_import(file_name: str, data: bytes, tenant_id: int, user_id: int | None) -> ImportBatch:
    name = PurePosixPath(file_name.replace("\\", "/")).name or "plik"  # browsers may send a whole path
    batch = ImportBatch(status=ImportStatus.QUEUED, mode=ImportMode.ALL_OR_NOTHING, progress=0,
                        file_name=name[:255], file_data=data, created_by_id=user_id)
    db.session.add(batch)
    db.session.flush()
    batch.job_id = job_id_for(tenant_id, batch.id)
    db.session.commit()
    _enqueue(batch, tenant_id, user_id)
    return batch


def do_import_valid_rows(batch: ImportBatch, tenant_id: int, user_id: int) -> bool:
    """The user's choice after errors: import the rows without errors, skip the rest."""
    if batch.status is not ImportStatus.NEEDS_DECISION or not batch.valid_rows:
        return False
    batch.mode = ImportMode.VALID_ROWS
    batch.status = ImportStatus.QUEUED
    batch.progress = 0
    db.session.commit()
    _enqueue(batch, tenant_id, user_id, suffix="-valid")
    return True


def do_cancel_import(batch: ImportBatch) -> bool:
    if batch.status not in (ImportStatus.NEEDS_DECISION, ImportStatus.FAILED):
        return False
    batch.status = ImportStatus.CANCELLED
    batch.file_data = b""  # the people's data in the file are not kept longer than needed
    batch.finished_at = datetime.now(UTC)
    db.session.commit()
    return True


def do_retry_import(batch: ImportBatch, tenant_id: int, user_id: int) -> bool:
    if batch.status is not ImportStatus.FAILED or not batch.file_data:
        return False
    batch.status = ImportStatus.QUEUED
    batch.progress = 0
    batch.failure = batch.failure_detail = None
    db.session.commit()
    _enqueue(batch, tenant_id, user_id, suffix=f"-r{int(time.time())}")
    return True


def do_reconcile_with_queue(batch: ImportBatch) -> None:
    """A batch waiting for a worker whose job the queue lost or gave up on is shown failed (with its retry
    and cancel buttons) or waiting for its retry; when Redis is down it keeps its stored state."""
    if batch.status not in (ImportStatus.QUEUED, ImportStatus.VALIDATING, ImportStatus.IMPORTING):
        return
    found = stuck_reason(batch.job_id, batch.created_at, running=batch.status is not ImportStatus.QUEUED)
    if found is None:
        return
    # A worker inserting the rows holds the batch's row lock: then it is not stuck.
    free = db.session.execute(select(ImportBatch).where(ImportBatch.id == batch.id)
                              .with_for_update(skip_locked=True)).scalar_one_or_none()
    if free is None:
        db.session.rollback()
        return
    do_record_job_failure(free, *found)


def _enqueue(batch: ImportBatch, tenant_id: int, user_id: int, suffix: str = "", job: str | None = None) -> None:
    batch.job_id = job_id_for(tenant_id, batch.id) + suffix   # the page checks this job (reconcile)
    try:
        get_queue(IMPORTS).enqueue(
            job or current_app.config.get("PARTICIPANT_IMPORT_JOB", IMPORT_JOB), tenant_id, str(batch.id), user_id,
            job_id=batch.job_id, unique=True, retry=IMPORT_RETRY,
            job_timeout=current_app.config["IMPORT_JOB_TIMEOUT"], ttl=QUEUED_TTL, result_ttl=3600,
            failure_ttl=30 * 24 * 3600, on_failure=Callback(IMPORT_FAILURE_CALLBACK),
            meta={"tenant_id": tenant_id, "import_id": str(batch.id)},
        )
        db.session.commit()
    except DuplicateJobError:
        db.session.commit()   # the same step is already queued: it runs once
    except RedisError:
        # Nothing would ever run it: say so on the batch (with a retry button) instead of leaving it queued.
        do_fail_import(batch, _("The background queue is unavailable. Try again in a moment."))


def do_start_check(batch: ImportBatch) -> bool:
    """Claim the batch for checking; False when there is nothing to do (finished, or waiting for the user)."""
    if batch.status in (ImportStatus.DONE, ImportStatus.CANCELLED, ImportStatus.NEEDS_DECISION):
        return False
    batch.status = ImportStatus.VALIDATING
    batch.progress = 0
    batch.failure = batch.failure_detail = None
    db.session.commit()
    return True


def do_set_progress(batch: ImportBatch, percent: int) -> None:
    batch.progress = max(0, min(100, int(percent)))
    db.session.commit()


def do_record_check(batch: ImportBatch, checked: CheckedFile, sheets: list[CheckedSheet] = ()) -> None:
    """`checked`: the participants (perhaps none); `sheets`: the enrolments, episodes and outcomes."""
    batch.total_rows = checked.total_rows + sum(sheet.total_rows for sheet in sheets)
    batch.valid_rows = len(checked.valid) + sum(len(sheet.valid) for sheet in sheets)
    batch.errors = checked.errors + [error for sheet in sheets for error in sheet.errors]
    if batch.errors and batch.mode is ImportMode.ALL_OR_NOTHING:
        batch.status = ImportStatus.NEEDS_DECISION
        batch.progress = 100
    else:
        batch.status = ImportStatus.IMPORTING
        batch.progress = 50
    db.session.commit()


def do_import_rows(batch_id: uuid.UUID, rows: list[tuple[uuid.UUID, dict]], region_code: str, user_id: int | None,
                   progress: Callable[[int], None] = lambda p: None,
                   records: dict[ImportKind, list[dict]] | None = None) -> int | None:
    """Insert the checked rows and mark the batch done, all in one transaction.

    `rows`: the participants with the ids the checks gave them (other rows name them by these);
    `records`: enrolments, episodes and outcomes as table values. All are inserted set-based
    (bulk.insert_rows, 5,000 rows a statement), each chunk with its history entries as the ORM's
    flush would write them, and the figures' refresh requested as for ORM writes.
    Returns how many participants were imported, or None if another delivery of the job already did it.
    """
    records = {kind: found for kind, found in (records or {}).items() if found}
    db.session.commit()
    # FOR UPDATE: a second delivery of the job waits here until the first commits, then sees DONE.
    batch = db.session.execute(select(ImportBatch).where(ImportBatch.id == batch_id).with_for_update()
                               .execution_options(populate_existing=True)).scalar_one()
    if batch.status is ImportStatus.DONE:
        db.session.rollback()
        return None
    total = max(1, len(rows) + sum(len(found) for found in records.values()))
    tenant_id, done = batch.tenant_id, 0
    try:
        people = [{**participant_row(values, region_code), "id": participant_id, "tenant_id": tenant_id,
                   "created_by_id": user_id} for participant_id, values in rows]
        tables = [(Participant, people), *((model, records.get(kind, ())) for kind, model in RECORD_MODELS.items())]
        for model, found in tables:
            for start in range(0, len(found), INSERT_CHUNK):
                chunk = [{**values, "tenant_id": tenant_id} for values in found[start:start + INSERT_CHUNK]]
                insert_rows(model.__table__, chunk)
                insert_rows(ChangeRecord.__table__, created_entries(model, chunk, user_id))
                done += len(chunk)
                progress(50 + 50 * done // total)
        note_bulk_change(db.session(), tenant_id)
    except IntegrityError as error:
        reason = INSERT_CONFLICTS.get(violated_constraint(error))
        if reason is None:
            raise
        db.session.rollback()   # nothing of the file is kept
        do_fail_import(db.session.get(ImportBatch, (batch.tenant_id, batch_id)), reason())
        return 0
    batch.status = ImportStatus.DONE
    batch.imported_rows = len(rows)
    batch.imported_counts = {kind.value: len(records.get(kind, ())) for kind in RECORD_MODELS} if records else None
    batch.progress = 100
    batch.finished_at = datetime.now(UTC)
    batch.file_data = b""  # the people are now records; the file is not kept
    imported = len(rows) + sum(len(found) for found in records.values())
    skipped = (batch.total_rows or 0) - imported
    detail = _("%(count)s participants imported from %(file)s", count=len(rows), file=batch.file_name)
    for kind, found in records.items():
        detail += "; " + count_text(kind, len(found))
    if skipped:
        detail += "; " + _("rows with errors skipped: %(n)s", n=skipped)
    record_access(AccessAction.IMPORT, "participant_import", batch.id, detail=detail)  # commits it all together
    return len(rows)


# Someone else recorded the same person or participation while the file was being imported.
INSERT_CONFLICTS = {
    "uq_participants_tenant_pesel": lambda: _(
        "Nothing was imported: a participant with a PESEL number from this file was registered in your "
        "institution while the file was being imported. Try again: the check will show which rows."),
    "uq_enrolments_once_per_project": lambda: _(
        "Nothing was imported: a person from this file was enrolled in one of its projects while the file "
        "was being imported. Try again: the check will show which rows."),
}


def do_fail_import(batch: ImportBatch, reason: str) -> None:
    """A failure no retry can mend (the file itself): shown to the user at once."""
    batch.status = ImportStatus.FAILED
    batch.failure = reason[:2000]
    batch.finished_at = datetime.now(UTC)
    db.session.commit()


def do_record_job_failure(batch: ImportBatch, reason: str, will_retry: bool) -> None:
    if batch.status in (ImportStatus.DONE, ImportStatus.CANCELLED, ImportStatus.NEEDS_DECISION):
        return
    batch.failure_detail = reason[:2000]  # for the log: the page says what to do instead
    # While attempts remain the batch waits in the queue again; the page says it failed and will be retried.
    batch.status = ImportStatus.QUEUED if will_retry else ImportStatus.FAILED
    if not will_retry:
        batch.finished_at = datetime.now(UTC)
    db.session.commit()
