"""Pages of imports (participants, and their enrolments, support and outcomes): template, upload, progress, errors and the user's decision."""
from flask import Response, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField

from regionet.platform.exports import XLSX_MIMETYPE, spreadsheet_response
from regionet.platform.tenancy import current_tenant_id
from regionet.platform.tenancy.web import TenantBlueprint, current_institution, require_writer
from regionet.platform.ui.listing import ListQuery
from regionet.tenants.audit.models import AccessAction
from regionet.tenants.audit.recording import record_access, render_recorded_view
from regionet.tenants.participants.communes import CommuneCatalogue
from regionet.tenants.participants.spreadsheet import COLUMNS

from . import services
from .kinds import COLUMNS_BY_KIND, FILE_SLUGS, SHEET_NAMES, ImportKind
from .labels import STATUS_LABELS, failure_text, imported_summary, status_label
from .models import ImportStatus
from .project_template import project_template_csv, project_template_xlsx, workbook_template_xlsx
from .queries import SORTABLE, access_import, current_progress, imports_for_tenant, projects_for_template
from .reader import first_look
from .template import template_csv, template_xlsx

bp = TenantBlueprint("tenant_imports", __name__, url_prefix="/participants/imports", template_folder="templates")
FINISHED = (ImportStatus.NEEDS_DECISION, ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.CANCELLED)
ERRORS_SHOWN = 200


class UploadForm(FlaskForm):
    file = FileField(_l("Spreadsheet file (XLSX or CSV)"))


@bp.app_context_processor
def import_labels():
    return {"import_status_label": status_label, "import_status_labels": STATUS_LABELS}


@bp.route("/")
def index(form=None):
    form = form or UploadForm()
    listing = ListQuery.from_request(SORTABLE, "created", default_descending=True)
    return render_template("imports/index.html", form=form, page=imports_for_tenant(listing), listing=listing,
                           columns=COLUMNS, sheets=[(kind, SHEET_NAMES[kind], COLUMNS_BY_KIND[kind])
                                                    for kind in ImportKind if kind is not ImportKind.PARTICIPANTS]
                           ), 422 if form.errors else 200


@bp.route("/upload", methods=["POST"])
@require_writer
def upload():
    form = UploadForm()
    upload = form.file.data if form.validate_on_submit() else None
    if upload is None or not getattr(upload, "filename", ""):
        form.file.errors = [_("Choose a file to import.")]
        return index(form)
    data = upload.read()
    # Only the first bytes are looked at here: reading a spreadsheet can take any time, so the
    # worker does it, within its limits (reader.ReadLimits), and the import page shows the outcome.
    problem = first_look(data)
    if problem:
        form.file.errors = [problem]
        return index(form)
    batch = services.do_upload_import(upload.filename, data, current_tenant_id(), current_user.id)
    if batch.status is ImportStatus.QUEUED:
        flash(_("The file has been received. Every row is now being checked; this page shows the progress."), "info")
    return redirect(url_for(".detail", import_id=batch.id))


@bp.route("/template.xlsx")
def template_as_xlsx():
    return _template("xlsx")


@bp.route("/template.csv")
def template_as_csv():
    return _template("csv")


def _template(fmt: str):
    institution = current_institution()
    communes = CommuneCatalogue.for_region(institution.region_code)
    if fmt == "xlsx":
        body, mimetype = template_xlsx(communes, institution.teryt_code), XLSX_MIMETYPE
    else:
        body, mimetype = template_csv(communes, institution.teryt_code), "text/csv; charset=utf-8"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="szablon-importu-uczestnikow.{fmt}"'})


def _kind_template(kind: ImportKind, fmt: str):
    projects = projects_for_template()
    if fmt == "xlsx":
        body, mimetype = project_template_xlsx(kind, projects), XLSX_MIMETYPE
    else:
        body, mimetype = project_template_csv(kind, projects), "text/csv; charset=utf-8"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="szablon-importu-{FILE_SLUGS[kind]}.{fmt}"'})


# One fixed route per kind and format (route arguments name tenant objects only: tests/test_isolation.py).
for _kind in (ImportKind.ENROLMENTS, ImportKind.EPISODES, ImportKind.OUTCOMES):
    for _fmt in ("xlsx", "csv"):
        bp.add_url_rule(f"/template/{_kind.value}.{_fmt}", f"template_{_kind.value}_{_fmt}",
                        lambda kind=_kind, fmt=_fmt: _kind_template(kind, fmt))


@bp.route("/template-workbook.xlsx")
def workbook_template():
    institution = current_institution()
    body = workbook_template_xlsx(CommuneCatalogue.for_region(institution.region_code), institution.teryt_code,
                                  projects_for_template())
    return Response(body, mimetype=XLSX_MIMETYPE, headers={
        "Content-Disposition": 'attachment; filename="szablon-importu-projektu.xlsx"'})


@bp.route("/<uuid:import_id>")
def detail(import_id):
    batch = access_import(import_id)
    services.do_reconcile_with_queue(batch)
    errors = batch.errors or []
    context = dict(batch=batch, form=FlaskForm(), failure_text=failure_text, errors=errors[:ERRORS_SHOWN],
                   error_count=len(errors), error_rows=len({(e.get("sheet"), e["row"]) for e in errors}),
                   progress=current_progress(batch), finished=batch.status in FINISHED,
                   with_sheets=any("sheet" in e for e in errors), summary=imported_summary(batch))
    if errors:   # the error report repeats what people typed: names, PESEL numbers
        return render_recorded_view("imports/detail.html", "participant_import_errors", batch.id,
                                    detail=_("Error report of %(file)s (%(n)s errors)", file=batch.file_name,
                                             n=len(errors)), **context)
    return render_template("imports/detail.html", **context)


@bp.route("/<uuid:import_id>/status")
def status(import_id):
    batch = access_import(import_id)
    services.do_reconcile_with_queue(batch)
    return jsonify(status=batch.status.value, label=str(status_label(batch)), progress=current_progress(batch),
                   finished=batch.status in FINISHED, error=failure_text(batch))


@bp.route("/<uuid:import_id>/errors.xlsx")
def error_report_xlsx(import_id):
    return _error_report(import_id, "xlsx")


@bp.route("/<uuid:import_id>/errors.csv")
def error_report_csv(import_id):
    return _error_report(import_id, "csv")


def _error_report(import_id, fmt: str):
    batch = access_import(import_id)
    errors = batch.errors or []
    # The report repeats what people typed (names, PESEL numbers): its download is personal data access.
    record_access(AccessAction.DOWNLOAD, "participant_import_errors", batch.id,
                  detail=_("Error report of %(file)s (%(n)s errors)", file=batch.file_name, n=len(errors)))
    rows = [[e["row"], e["column"], e.get("value", ""), e["message"]] for e in errors]
    headers = ["Wiersz", "Kolumna", "Wartość w pliku", "Błąd"]
    if any("sheet" in e for e in errors):   # a whole-project import: which sheet the row is in
        headers = ["Arkusz", *headers]
        rows = [[e.get("sheet", ""), *row] for e, row in zip(errors, rows, strict=True)]
    return spreadsheet_response(f"bledy-importu-{batch.created_at:%Y-%m-%d}", fmt, headers, rows)


@bp.route("/<uuid:import_id>/import-valid", methods=["POST"])
@require_writer
def import_valid(import_id):
    batch = access_import(import_id)
    if FlaskForm().validate_on_submit() and services.do_import_valid_rows(batch, current_tenant_id(), current_user.id):
        flash(_("The rows without errors are being imported; the rows with errors are skipped."), "info")
    return redirect(url_for(".detail", import_id=batch.id))


@bp.route("/<uuid:import_id>/cancel", methods=["POST"])
@require_writer
def cancel(import_id):
    batch = access_import(import_id)
    if FlaskForm().validate_on_submit() and services.do_cancel_import(batch):
        flash(_("The import has been cancelled. Nothing was imported."), "info")
    return redirect(url_for(".detail", import_id=batch.id))


@bp.route("/<uuid:import_id>/retry", methods=["POST"])
@require_writer
def retry(import_id):
    batch = access_import(import_id)
    if FlaskForm().validate_on_submit() and services.do_retry_import(batch, current_tenant_id(), current_user.id):
        flash(_("The import has been queued again."), "info")
    return redirect(url_for(".detail", import_id=batch.id))
