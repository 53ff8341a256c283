"""Job: check and import a spreadsheet of participants, and of their enrolments, support and outcomes.

Every row is checked with the rules of the forms (participants, then the sheets that refer
to them: kinds.py, project_rows.py). Rows with errors stop the
whole import (the user then chooses: import only the valid rows, or nothing) unless
the user has already chosen the valid rows. The insert is one transaction with the
batch marked done, so a retried or duplicated job never inserts twice.
"""
import uuid

from flask import current_app, g
from flask_babel import gettext as _
from uuid6 import uuid7

from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.tenancy import current_tenant_id
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.imports import services
from regionet.tenants.imports.checking import CheckedFile, check_rows, missing_columns_message
from regionet.tenants.imports.kinds import SHEET_NAMES, ImportKind, match_kind_columns
from regionet.tenants.imports.models import ImportStatus
from regionet.tenants.imports.progress import publish_progress
from regionet.tenants.imports.project_rows import check_project_rows
from regionet.tenants.imports.queries import import_for_tenant, import_lookups_for_tenant
from regionet.tenants.imports.reader import NotASpreadsheet, ReadLimits, Sheet, open_sheets
from regionet.tenants.participants.communes import CommuneCatalogue
from regionet.tenants.participants.spreadsheet import ColumnMatch, match_columns

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
        sheets = open_sheets(batch.file_data, batch.file_name, limits)
        columns = [_columns(sheet, len(sheets) > 1) for sheet in sheets]
        lookups = import_lookups_for_tenant()
        people, others = CheckedFile(), []
        spans = _progress_spans([sheet.kind for sheet in sheets])
        for sheet, matched, (low, high) in zip(sheets, columns, spans, strict=True):
            if low:
                services.do_set_progress(batch, low)
            if sheet.kind is ImportKind.PARTICIPANTS:
                people = check_rows(sheet.table, matched, CommuneCatalogue.for_region(institution.region_code),
                                    today_in_poland(), {pesel: found[0] for pesel, found in
                                                        lookups.people_by_pesel.items()},
                                    lambda p, low=low, high=high: services.do_set_progress(
                                        batch, low + (high - low) * p // 50))
                if len(sheets) > 1:
                    for error in people.errors:
                        error["sheet"] = sheet.name
                people_ids = [(uuid7(), values) for _number, values in people.valid]
                lookups.add_people(people_ids)
                lookups.refused_people.update(people.refused)
            else:
                others.append(check_project_rows(sheet.kind, sheet.name or SHEET_NAMES[sheet.kind],
                                                 sheet.table.rows, matched, lookups, today_in_poland()))
    except NotASpreadsheet as error:
        services.do_fail_import(batch, str(error))
        return "file refused"
    if people.total_rows + sum(sheet.total_rows for sheet in others) == 0:
        services.do_fail_import(batch, _("The file has no participants to import: only the header row "
                                         "(and perhaps the template's example row)."))
        return "no rows"
    services.do_record_check(batch, people, others)
    if batch.status is ImportStatus.NEEDS_DECISION:
        errors = batch.errors or []
        rows = len({(error.get("sheet"), error["row"]) for error in errors})
        return f"{len(errors)} errors in {rows} rows: waiting for a decision"
    batch_id = batch.id
    imported = services.do_import_rows(batch_id, people_ids if people.total_rows else [], institution.region_code,
                                       user_id, lambda p: publish_progress(batch_id, p),
                                       {sheet.kind: sheet.valid for sheet in others})
    if imported is None:
        return "already imported"
    stored = ", ".join(f"{len(sheet.valid)} {sheet.kind.value}" for sheet in others)
    return f"{imported} participants imported" + (f", {stored}" if stored else "")


def _columns(sheet: Sheet, named: bool) -> ColumnMatch:
    """The sheet's columns, or the file refused for the required ones it lacks (naming the sheet)."""
    if sheet.kind is ImportKind.PARTICIPANTS:
        columns = match_columns(sheet.table.headers)
    else:
        columns = match_kind_columns(sheet.kind, sheet.table.headers)
    if columns.missing:
        message = missing_columns_message([c.header for c in columns.missing])
        if named or sheet.kind is not ImportKind.PARTICIPANTS:
            message = _("Sheet “%(sheet)s”: %(message)s", sheet=sheet.name or SHEET_NAMES[sheet.kind],
                        message=message)
        raise NotASpreadsheet(message)
    return columns


WEIGHTS = {ImportKind.PARTICIPANTS: 4, ImportKind.ENROLMENTS: 1, ImportKind.EPISODES: 2, ImportKind.OUTCOMES: 1}


def _progress_spans(kinds: list[ImportKind]) -> list[tuple[int, int]]:
    """Which part of the checking half (0–50 %) each sheet's check fills."""
    total, spans, done = sum(WEIGHTS[kind] for kind in kinds), [], 0
    for kind in kinds:
        spans.append((50 * done // total, 50 * (done + WEIGHTS[kind]) // total))
        done += WEIGHTS[kind]
    return spans


def on_import_failure(job, connection, exc_type, exc_value, tb) -> None:
    """Record the failure on the batch; RQ calls this for every failed attempt."""
    record_tenant_job_failure(job, exc_type, exc_value, _record_failure, tb)


def _record_failure(import_id: uuid.UUID, reason: str, will_retry: bool) -> None:
    batch = import_for_tenant(import_id)
    if batch is not None:
        services.do_record_job_failure(batch, reason, will_retry)
