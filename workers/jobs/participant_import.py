"""Job: check and import a spreadsheet of participants.

Every row is checked with the rules of the participant form. Rows with errors stop the
whole import (the user then chooses: import only the valid rows, or nothing) unless
the user has already chosen the valid rows. The insert is one transaction with the
batch marked done, so a retried or duplicated job never inserts twice.
"""
import uuid

from flask import current_app, g
from flask_babel import gettext as _

from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.tenancy import current_tenant_id
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.imports import services
from regionet.tenants.imports.checking import check_rows, missing_columns_message
from regionet.tenants.imports.models import ImportStatus
from regionet.tenants.imports.progress import publish_progress
from regionet.tenants.imports.queries import import_for_tenant
from regionet.tenants.imports.reader import NotASpreadsheet, ReadLimits, open_table
from regionet.tenants.participants.communes import CommuneCatalogue
from regionet.tenants.participants.queries import registered_pesels_for_tenant
from regionet.tenants.participants.spreadsheet import match_columns

from ..context import record_tenant_job_failure, tenant_job


@tenant_job
def run_participant_import(import_id: str, user_id: int | None = None) -> str:
    g.acting_user_id = user_id  # the history and the access trail name who imported
    batch = import_for_tenant(uuid.UUID(import_id))
    if batch is None:
        raise LookupError(f"import {import_id} not found for tenant {current_tenant_id()}")
    if not services.do_start_check(batch):
        return f"nothing to do ({batch.status.value})"
    institution = db.session.get(Institution, current_tenant_id())
    try:
        limits = ReadLimits(seconds=current_app.config["IMPORT_READ_SECONDS"])
        table = open_table(batch.file_data, batch.file_name, limits)
        columns = match_columns(table.headers)
        if columns.missing:
            raise NotASpreadsheet(missing_columns_message([c.header for c in columns.missing]))
        checked = check_rows(table, columns, CommuneCatalogue.for_region(institution.region_code), today_in_poland(),
                             registered_pesels_for_tenant(), lambda p: services.do_set_progress(batch, p))
    except NotASpreadsheet as error:
        services.do_fail_import(batch, str(error))
        return "file refused"
    if checked.total_rows == 0:
        services.do_fail_import(batch, _("The file has no participants to import: only the header row "
                                         "(and perhaps the template's example row)."))
        return "no rows"
    services.do_record_check(batch, checked)
    if batch.status is ImportStatus.NEEDS_DECISION:
        return f"{len(checked.errors)} errors in {checked.rows_with_errors} rows: waiting for a decision"
    batch_id = batch.id
    imported = services.do_import_rows(batch_id, checked.valid, institution.region_code, user_id,
                                       lambda p: publish_progress(batch_id, p))
    return "already imported" if imported is None else f"{imported} participants imported"


def on_import_failure(job, connection, exc_type, exc_value, tb) -> None:
    """Record the failure on the batch; RQ calls this for every failed attempt."""
    record_tenant_job_failure(job, exc_type, exc_value, _record_failure, tb)


def _record_failure(import_id: uuid.UUID, reason: str, will_retry: bool) -> None:
    batch = import_for_tenant(import_id)
    if batch is not None:
        services.do_record_job_failure(batch, reason, will_retry)
