"""Downloading an attachment of the institution (404 for any other institution's file)."""
import io

from flask import send_file

from regionet.platform.tenancy.web import TenantBlueprint
from regionet.tenants.audit.models import AccessAction
from regionet.tenants.audit.recording import record_access

from .queries import access_attachment

bp = TenantBlueprint("tenant_attachments", __name__, url_prefix="/attachments")


@bp.route("/<uuid:attachment_id>")
def download(attachment_id):
    attachment = access_attachment(attachment_id, with_data=True)
    from regionet.tenants.privacy.queries import person_of_document  # privacy builds on attachments

    person = person_of_document(attachment.id)
    if person is not None:   # a person's signed form or scan: its download is in the access trail
        record_access(AccessAction.DOWNLOAD, "participant", person, detail=attachment.file_name)
    # Always a download with the type found at upload, never rendered inline: a file cannot
    # run as a page of this site, whatever it holds.
    response = send_file(io.BytesIO(attachment.data), mimetype=attachment.content_type, as_attachment=True,
                         download_name=attachment.file_name, max_age=0, etag=attachment.sha256,
                         last_modified=attachment.uploaded_at)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox; frame-ancestors 'none'"
    return response
