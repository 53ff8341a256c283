"""The ESF participant file of a project (download)."""
from regionet.platform.exports import spreadsheet_response
from regionet.platform.tenancy.web import TenantBlueprint, current_institution, sees_special_categories
from regionet.tenants.audit.models import AccessAction
from regionet.tenants.audit.recording import record_access
from regionet.tenants.projects.queries import access_project
from regionet.tenants.support.record_pages import export_format, file_code

from .participant_file import mapping, participant_file_rows

bp = TenantBlueprint("tenant_esf", __name__)


@bp.route("/projects/<uuid:project_id>/esf-participants")
def participant_file(project_id):
    project, fmt = access_project(project_id), export_format()
    rows = participant_file_rows(project.id, current_institution().name, hide_special=not sees_special_categories())
    record_access(AccessAction.EXPORT, "esf_participant_file", project.id,
                  detail=f"{project.code}: {len(rows)} / {fmt.upper()}")
    return spreadsheet_response(f"uczestnicy-efs-{file_code(project.code)}", fmt, mapping().headers, rows)
